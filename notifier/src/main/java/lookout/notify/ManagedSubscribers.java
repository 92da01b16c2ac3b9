package lookout.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import lookout.kernel.Severity;
import lookout.kernel.UsageException;

/**
 * The subscribers the notifier manages itself, besides the subscribers file: those a dashboard user keeps through
 * the subscriptions API (one per dashboard account, its {@code owner}) and the anonymous SMS subscribers who
 * texted JOIN. They live in {@code STORE/subscribers.json}, readable by the notifier's user only, rewritten whole
 * (a new file moved over the old) at every change, so a deleted subscriber's contact details are gone from the
 * file the moment the change returns. Every change is seen by the dispatcher's next look at the subscribers.
 *
 * <p>Ids are random ({@code sub-} and 12 hex digits): the delivery log names channels by them, and once the
 * subscriber is deleted nothing links such an id to a person. A STOP from a number that the subscribers file
 * holds cannot edit that file; the number is kept in {@code stopped_numbers} and no channel of the file to it
 * gets anything more, wherever the operator moves it in the file, until the file no longer has that number. A
 * channel's id would not do: it is the channel's position, which an edit of the file gives to another number.
 */
public final class ManagedSubscribers {
    /** A dashboard account's name, as the dashboards' users file allows it. */
    public static final Pattern OWNER = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String FILE = "subscribers.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SMS_NAME = "SMS subscriber";

    private record Entry(String owner, Subscriber subscriber) {}

    private final Path file;
    private final SecureRandom random = new SecureRandom();
    /** By subscriber id, in the order they were added. */
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** The numbers of the subscribers file that texted STOP. */
    private final Set<String> stoppedNumbers = new LinkedHashSet<>();
    /** The channel ids a file of an earlier version kept for its stops, until they are turned into numbers. */
    private final Set<String> stoppedChannelIds = new LinkedHashSet<>();
    private List<Subscriber> list = List.of();

    private ManagedSubscribers(Path file) {
        this.file = file;
    }

    /** Opens (or starts) the store's subscribers file; a damaged one stops the notifier with one line. */
    public static ManagedSubscribers open(Path storeDir) {
        ManagedSubscribers m = new ManagedSubscribers(storeDir.resolve(FILE));
        try {
            Files.createDirectories(storeDir);
            if (Files.exists(m.file)) {
                m.read(JSON.readTree(m.file.toFile()));
            }
        } catch (IOException e) {
            throw new UsageException("cannot read the notifier's managed subscribers " + m.file);
        }
        m.list = m.subscribers();
        return m;
    }

    private void read(JsonNode root) {
        String where = "the notifier's managed subscribers " + file;
        if (root == null || !root.path("subscribers").isArray()) {
            throw new UsageException(where + " must be an object with a \"subscribers\" array");
        }
        for (JsonNode s : root.path("subscribers")) {
            ObjectNode copy = s.deepCopy();
            JsonNode owner = copy.remove("owner");
            Subscriber subscriber = Subscriptions.subscriber(copy, where + ": subscriber");
            // An entry without an owner is a number that texted JOIN: nobody vouches for it.
            entries.put(subscriber.id(), owner == null ? new Entry(null, subscriber.asPublic())
                    : new Entry(owner.asText(), subscriber));
        }
        root.path("stopped_numbers").forEach(n -> stoppedNumbers.add(n.asText()));
        root.path("stopped_channels").forEach(c -> stoppedChannelIds.add(c.asText()));
    }

    /** Every managed subscriber now. */
    public synchronized List<Subscriber> list() {
        return list;
    }

    /** The file's subscribers without their SMS channels that texted STOP (a subscriber left with none is dropped). */
    synchronized List<Subscriber> withoutStopped(List<Subscriber> fromFile) {
        adoptStoppedChannelIds(fromFile);
        if (stoppedNumbers.isEmpty()) {
            return fromFile;
        }
        List<Subscriber> kept = new ArrayList<>();
        for (Subscriber s : fromFile) {
            List<Channel> channels = s.channels().stream().filter(c -> !isStopped(c)).toList();
            if (!channels.isEmpty()) {
                kept.add(channels.size() == s.channels().size() ? s : s.withChannels(channels));
            }
        }
        return kept;
    }

    private boolean isStopped(Channel c) {
        return c.kind() == Channel.Kind.SMS && stoppedNumbers.contains(c.address());
    }

    /**
     * An earlier version kept a stop as the channel's id: the first look at the file turns each into the number
     * the channel has (the file as it was then is the best guess of the number that texted STOP). Written with
     * the next change of the store.
     */
    private void adoptStoppedChannelIds(List<Subscriber> fromFile) {
        if (stoppedChannelIds.isEmpty()) {
            return;
        }
        fromFile.forEach(s -> s.channels().stream()
                .filter(c -> c.kind() == Channel.Kind.SMS && stoppedChannelIds.contains(c.id()))
                .forEach(c -> stoppedNumbers.add(c.address())));
        stoppedChannelIds.clear();
    }

    /**
     * Whether {@code subscriberId} is the subscriber of a dashboard account: that account changes or stops its alerts
     * on the dashboards' notifications page, which its emails point to. Neither an SMS subscriber (who texts STOP) nor
     * one of the subscribers file (the operator's) is.
     */
    public synchronized boolean keptByAccount(String subscriberId) {
        Entry e = entries.get(subscriberId);
        return e != null && e.owner() != null;
    }

    public synchronized Optional<Subscriber> ofOwner(String owner) {
        return entries.values().stream().filter(e -> owner.equals(e.owner())).map(Entry::subscriber).findFirst();
    }

    /**
     * Creates or replaces the subscription of dashboard account {@code owner} from {@code body}, in the
     * subscribers file's format without {@code id}; a bad body is refused with a {@link UsageException} that names
     * the field, never a value. The subscriber keeps its id unless a channel id would name another address: the
     * delivery log knows a channel by its id ({@code sub-…/email1}, its kind and place among its kind), so an address
     * given the id of one that was told of an alert would never be told of it, yet get its all-clear. That happens
     * when an address is changed or removed, or a new one put before one of its kind. Under a new id, every channel
     * is told of the open alerts once more, and an address removed hears nothing further.
     */
    public synchronized Subscriber putForOwner(String owner, JsonNode body) {
        if (!body.isObject()) {
            throw new UsageException("the subscription must be a JSON object");
        }
        if (body.has("id")) {
            throw new UsageException("the subscription's id is given by the notifier, not the request");
        }
        Optional<Subscriber> old = ofOwner(owner);
        Subscriber subscriber = parse(body, old.map(Subscriber::id).orElseGet(this::newId));
        Map<String, Entry> before = new LinkedHashMap<>(entries);
        if (old.isPresent() && !addresses(subscriber).entrySet().containsAll(addresses(old.get()).entrySet())) {
            entries.remove(old.get().id());
            subscriber = parse(body, newId());
        }
        entries.put(subscriber.id(), new Entry(owner, subscriber));
        save(before);
        return subscriber;
    }

    private static Subscriber parse(JsonNode body, String id) {
        ObjectNode copy = ((ObjectNode) body).deepCopy();
        copy.put("id", id);
        return Subscriptions.subscriber(copy, "subscription");
    }

    /** A subscriber's addresses by channel id (which holds the kind). */
    private static Map<String, String> addresses(Subscriber s) {
        return s.channels().stream().collect(Collectors.toMap(Channel::id, Channel::address));
    }

    /** Deletes the subscription of {@code owner} and with it every contact detail; whether there was one. */
    public synchronized boolean deleteOwner(String owner) {
        Optional<Subscriber> s = ofOwner(owner);
        if (s.isEmpty()) {
            return false;
        }
        Map<String, Entry> before = new LinkedHashMap<>(entries);
        entries.remove(s.get().id());
        save(before);
        return true;
    }

    /** The language of the subscriber whose SMS channel is {@code number}, if any (replies speak it). */
    public synchronized Optional<String> languageOf(String number) {
        return entries.values().stream().map(Entry::subscriber)
                .filter(s -> s.channels().stream().anyMatch(c -> c.kind() == Channel.Kind.SMS && c.address().equals(number)))
                .map(Subscriber::language).findFirst();
    }

    /**
     * Subscribes {@code number} to {@code areaId} (null: all areas), immediately, from low severity, to what the
     * public is told ({@link Subscriber#publicTier}): a number already subscribed by SMS gets the area added to
     * theirs (and the language given).
     */
    public synchronized Subscriber joinSms(String number, String areaId, String language) {
        Entry existing = entries.values().stream().filter(e -> e.owner() == null && e.subscriber().channels().stream()
                .anyMatch(c -> c.kind() == Channel.Kind.SMS && c.address().equals(number))).findFirst().orElse(null);
        String id = existing == null ? newId() : existing.subscriber().id();
        Set<String> areas = new LinkedHashSet<>();
        if (areaId != null && (existing == null || !existing.subscriber().allAreas())) {
            if (existing != null) {
                areas.addAll(existing.subscriber().areas());
            }
            areas.add(areaId);
        }
        Subscriber s = new Subscriber(id, SMS_NAME, language,
                List.of(new Channel(id + "/sms1", Channel.Kind.SMS, number, null)), Set.copyOf(areas), Set.of(),
                Severity.LOW, true, null).asPublic();
        Map<String, Entry> before = new LinkedHashMap<>(entries);
        entries.put(id, new Entry(null, s));
        save(before);
        return s;
    }

    /**
     * STOP from {@code number}: every managed SMS channel to it is removed (a subscriber left without a channel
     * is deleted whole), and every channel of the subscribers file to it is stopped. Returns how many channels
     * stopped.
     */
    public synchronized int stopSms(String number, List<Subscriber> fromFile) {
        adoptStoppedChannelIds(fromFile);
        Map<String, Entry> before = new LinkedHashMap<>(entries);
        Set<String> stoppedBefore = new LinkedHashSet<>(stoppedNumbers);
        int stopped = 0;
        for (Entry e : List.copyOf(entries.values())) {
            Subscriber s = e.subscriber();
            List<Channel> kept = s.channels().stream()
                    .filter(c -> !(c.kind() == Channel.Kind.SMS && c.address().equals(number))).toList();
            stopped += s.channels().size() - kept.size();
            if (kept.isEmpty()) {
                entries.remove(s.id());
            } else if (kept.size() != s.channels().size()) {
                entries.put(s.id(), new Entry(e.owner(), s.withChannels(kept)));
            }
        }
        Set<String> inFile = new LinkedHashSet<>();
        fromFile.forEach(s -> s.channels().stream().filter(c -> c.kind() == Channel.Kind.SMS)
                .forEach(c -> inFile.add(c.address())));
        if (inFile.contains(number) && stoppedNumbers.add(number)) {
            stopped += (int) fromFile.stream().flatMap(s -> s.channels().stream())
                    .filter(c -> c.kind() == Channel.Kind.SMS && c.address().equals(number)).count();
        }
        // A stop of a number the file no longer has is done: the operator removed it.
        stoppedNumbers.retainAll(inFile);
        if (!before.equals(entries) || !stoppedBefore.equals(stoppedNumbers)) {
            try {
                save(before);
            } catch (UncheckedIOException e) {
                stoppedNumbers.clear();
                stoppedNumbers.addAll(stoppedBefore);
                throw e;
            }
        }
        return stopped;
    }

    private String newId() {
        byte[] bytes = new byte[6];
        String id;
        do {
            random.nextBytes(bytes);
            id = "sub-" + HexFormat.of().formatHex(bytes);
        } while (entries.containsKey(id));
        return id;
    }

    private List<Subscriber> subscribers() {
        return entries.values().stream().map(Entry::subscriber).toList();
    }

    /**
     * Writes the whole file anew beside the old and moves it over it, then lets the dispatcher see the change. A
     * write that fails leaves the old file and restores {@code before}, so the memory never says more than the disk.
     */
    private void save(Map<String, Entry> before) {
        ObjectNode root = JSON.createObjectNode();
        var array = root.putArray("subscribers");
        for (Entry e : entries.values()) {
            ObjectNode o = Subscriptions.json(e.subscriber());
            if (e.owner() != null) {
                o.put("owner", e.owner());
            }
            array.add(o);
        }
        stoppedNumbers.forEach(root.putArray("stopped_numbers")::add);
        Path next = file.resolveSibling(FILE + ".next");
        try {
            Files.deleteIfExists(next);
            Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel out = FileChannel.open(next, StandardOpenOption.WRITE)) {
                out.write(java.nio.ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root)
                        .getBytes(StandardCharsets.UTF_8)));
                out.force(true);
            }
            try {
                Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | UnsupportedOperationException e) {
            entries.clear();
            entries.putAll(before);
            throw new UncheckedIOException(new IOException("cannot write the notifier's managed subscribers " + file));
        }
        list = subscribers();
    }
}
