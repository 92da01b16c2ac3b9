package lookout.notify;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import lookout.kernel.AlertSignals;
import lookout.kernel.Severity;
import lookout.kernel.UsageException;

/**
 * The subscribers file (JSON; its format is in the README, "Subscriptions"), plus the subscribers managed in the
 * notifier's own store ({@link ManagedSubscribers}): the file and the store are the notifier's only copies of
 * contact details. Removing a subscriber from the file removes their addresses, and the notifier rereads it when
 * it changes. Errors name the subscriber and the field, never an address.
 */
public final class Subscriptions {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    /** Ids appear in the delivery log, so they are short codes, not names or addresses. */
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    /**
     * An address a mail server takes as it is: printable ASCII (no SMTPUTF8 here; an accented domain is written in
     * its xn-- form), at most 64 characters before the @ and 254 in all (RFC 5321). Format characters such as a
     * zero-width space or a right-to-left override would make an address that cannot be delivered look right.
     */
    private static final Pattern EMAIL = Pattern.compile("(?=.{3,254}$)[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}"
            + "@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z][A-Za-z0-9-]{0,62}");
    /** A name is for people reading the file or the dashboards, not a document: the file is read at every change. */
    static final int MAX_NAME_CHARS = 200;
    private static final Pattern PHONE = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Set<String> SUBSCRIBER_FIELDS = Set.of("id", "name", "language", "channels", "areas",
            "signals", "min_severity", "immediate", "quiet_hours");

    private final Path file;
    private final ManagedSubscribers managed;
    private FileTime loadedAt;
    private List<Subscriber> subscribers;
    private String problem;

    private Subscriptions(Path file, ManagedSubscribers managed) {
        this.file = file;
        this.managed = managed;
    }

    /** Reads the file now, so that a bad file stops the command before it consumes anything. */
    public static Subscriptions open(Path file) {
        return open(file, null);
    }

    /** The file's subscribers and, when not null, the managed ones, as they are at each call. */
    public static Subscriptions open(Path file, ManagedSubscribers managed) {
        Subscriptions s = new Subscriptions(file, managed);
        s.fromFile();
        return s;
    }

    /**
     * Everyone subscribed now: the file's subscribers, without the SMS channels that sent STOP, then the managed
     * ones. Changes to either are seen by the next call.
     */
    public List<Subscriber> current() {
        List<Subscriber> file = fromFile();
        if (managed == null) {
            return file;
        }
        List<Subscriber> all = new ArrayList<>(managed.withoutStopped(file));
        all.addAll(managed.list());
        return all;
    }

    /** The file's subscribers as they are now (for the managed store's STOP of a file's SMS channel). */
    List<Subscriber> fileSubscribers() {
        return fromFile();
    }

    /**
     * The subscribers as the file says now: reread when its modification time changed. A file that turned bad
     * while running keeps the last good list until it is fixed, and {@link #problem()} says why.
     */
    private synchronized List<Subscriber> fromFile() {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            if (subscribers != null) {
                return subscribers;
            }
            throw new UsageException("subscriptions file " + file + " does not exist");
        }
        if (subscribers == null || !modified.equals(loadedAt)) {
            try {
                subscribers = parse(file);
                problem = null;
            } catch (UsageException e) {
                if (subscribers == null) {
                    throw e;
                }
                problem = e.getMessage();
            }
            loadedAt = modified;
        }
        return subscribers;
    }

    /** Why the file's latest version was not taken (the last good list is used meanwhile), or null. */
    public synchronized String problem() {
        return problem;
    }

    public static List<Subscriber> parse(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new UsageException("subscriptions file " + file + " is not valid JSON (line "
                    + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new UsageException("cannot read subscriptions file " + file);
        }
        if (root == null || !root.path("subscribers").isArray()) {
            throw new UsageException("subscriptions file " + file + " must be an object with a \"subscribers\" array");
        }
        List<Subscriber> list = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int n = 0;
        for (JsonNode s : root.path("subscribers")) {
            n++;
            Subscriber subscriber = subscriber(s, "subscriptions file " + file + ": subscriber " + n);
            if (!ids.add(subscriber.id())) {
                throw new UsageException("subscriptions file " + file + ": subscriber id '" + subscriber.id()
                        + "' appears twice");
            }
            list.add(subscriber);
        }
        return List.copyOf(list);
    }

    /** One subscriber in the file's format; {@code where} starts every error. */
    static Subscriber subscriber(JsonNode s, String where) {
        if (!s.isObject()) {
            throw new UsageException(where + " is not an object");
        }
        for (Iterator<String> it = s.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!SUBSCRIBER_FIELDS.contains(field)) {
                throw new UsageException(where + ": unknown field \"" + field + "\" (known: "
                        + String.join(", ", SUBSCRIBER_FIELDS.stream().sorted().toList()) + ")");
            }
        }
        String id = text(s, "id", where);
        if (!ID.matcher(id).matches()) {
            throw new UsageException(where + ": id must be 1 to 64 lower-case letters, digits, - or _ (a code, not a"
                    + " name: it appears in the delivery log)");
        }
        where = where + " (" + id + ")";
        String name = text(s, "name", where);
        if (name.length() > MAX_NAME_CHARS) {
            throw new UsageException(where + ": name must be at most " + MAX_NAME_CHARS + " characters");
        }
        String language = s.has("language") ? text(s, "language", where) : Messages.LANGUAGES.get(0);
        if (!Messages.LANGUAGES.contains(language)) {
            throw new UsageException(where + ": language must be one of " + String.join(", ", Messages.LANGUAGES));
        }
        Areas areas = areas(s.get("areas"), where);
        return new Subscriber(id, name, language, channels(id, s.path("channels"), where), areas.ids(),
                signals(s.get("signals"), where), severity(s.get("min_severity"), where),
                bool(s.get("immediate"), where), quietHours(s.get("quiet_hours"), where), areas.withNeighbours());
    }

    private static List<Channel> channels(String subscriberId, JsonNode channels, String where) {
        if (!channels.isArray() || channels.isEmpty()) {
            throw new UsageException(where + ": channels must be a non-empty array");
        }
        Map<Channel.Kind, Integer> ordinals = new EnumMap<>(Channel.Kind.class);
        List<Channel> list = new ArrayList<>();
        int n = 0;
        for (JsonNode c : channels) {
            n++;
            String at = where + ", channel " + n;
            Channel.Kind kind = channelKind(c, at);
            String address = c.path(kind.code()).asText();
            Channel.WebhookKind webhookKind = null;
            switch (kind) {
                case EMAIL -> {
                    if (!EMAIL.matcher(address).matches() || !EmailSender.isAddress(address)) {
                        throw new UsageException(at + ": email is not an address like name@example.org");
                    }
                }
                case SMS -> {
                    if (!PHONE.matcher(address).matches()) {
                        throw new UsageException(at + ": sms must be a number in international form, like +14165550100");
                    }
                }
                case WEBHOOK -> {
                    checkWebhookUrl(address, at);
                    webhookKind = webhookKind(c.get("kind"), at);
                }
            }
            int ordinal = ordinals.merge(kind, 1, Integer::sum);
            list.add(new Channel(subscriberId + "/" + kind.code() + ordinal, kind, address, webhookKind));
        }
        return List.copyOf(list);
    }

    private static Channel.Kind channelKind(JsonNode c, String at) {
        Channel.Kind found = null;
        for (Channel.Kind kind : Channel.Kind.values()) {
            if (c.has(kind.code())) {
                if (found != null) {
                    throw new UsageException(at + ": one address per channel (email, webhook or sms)");
                }
                found = kind;
            }
        }
        if (found == null || !c.path(found.code()).isTextual()) {
            throw new UsageException(at + ": needs one of \"email\", \"webhook\" or \"sms\" with a text value");
        }
        for (Iterator<String> it = c.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!field.equals(found.code()) && !(found == Channel.Kind.WEBHOOK && field.equals("kind"))) {
                throw new UsageException(at + ": unknown field \"" + field + "\"");
            }
        }
        return found;
    }

    private static void checkWebhookUrl(String address, String at) {
        try {
            URI uri = new URI(address);
            if ((uri.getScheme() != null && (uri.getScheme().equals("https") || uri.getScheme().equals("http")))
                    && uri.getHost() != null) {
                return;
            }
        } catch (URISyntaxException e) {
            // reported below without the address
        }
        throw new UsageException(at + ": webhook is not an http(s) URL");
    }

    private static Channel.WebhookKind webhookKind(JsonNode kind, String at) {
        if (kind == null) {
            return Channel.WebhookKind.GENERIC;
        }
        for (Channel.WebhookKind k : Channel.WebhookKind.values()) {
            if (k.name().toLowerCase(Locale.ROOT).equals(kind.asText())) {
                return k;
            }
        }
        throw new UsageException(at + ": kind must be generic, slack or teams");
    }

    /** One subscriber in the file's format (what {@link #subscriber} reads back). */
    static ObjectNode json(Subscriber s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", s.id());
        o.put("name", s.name());
        o.put("language", s.language());
        ArrayNode channels = o.putArray("channels");
        for (Channel c : s.channels()) {
            ObjectNode channel = channels.addObject().put(c.kind().code(), c.address());
            if (c.webhookKind() != null) {
                channel.put("kind", c.webhookKind().name().toLowerCase(Locale.ROOT));
            }
        }
        if (s.allAreas()) {
            o.put("areas", "ALL");
        } else {
            ArrayNode areas = o.putArray("areas");
            s.areas().stream().sorted().forEach(area -> {
                if (s.neighbourAreas().contains(area)) {
                    areas.addObject().put("area", area).put("neighbours", true);
                } else {
                    areas.add(area);
                }
            });
        }
        if (!s.signals().isEmpty()) {
            s.signals().stream().sorted().forEach(o.putArray("signals")::add);
        }
        o.put("min_severity", s.minSeverity().code());
        o.put("immediate", s.immediate());
        if (s.quietHours() != null) {
            o.putObject("quiet_hours").put("from", s.quietHours().from().toString()).put("to", s.quietHours().to().toString());
        }
        return o;
    }

    /** The areas of a subscription, and those of them whose neighbours it wants too. */
    private record Areas(Set<String> ids, Set<String> withNeighbours) {}

    /** {@code "ALL"}, or an array of area ids and {@code {"area": ID, "neighbours": true}} objects. */
    private static Areas areas(JsonNode areas, String where) {
        if (areas != null && areas.isTextual() && areas.asText().equals("ALL")) {
            return new Areas(Set.of(), Set.of());
        }
        if (areas == null || !areas.isArray() || areas.isEmpty()) {
            throw new UsageException(where + ": areas must be \"ALL\" or a non-empty array of area ids");
        }
        Set<String> ids = new LinkedHashSet<>();
        Set<String> withNeighbours = new LinkedHashSet<>();
        for (JsonNode a : areas) {
            if (a.isObject()) {
                String id = areaObject(a, where);
                ids.add(id);
                if (a.path("neighbours").asBoolean()) {
                    withNeighbours.add(id);
                }
                continue;
            }
            if (!a.isTextual() || a.asText().isBlank()) {
                throw new UsageException(where + ": areas must hold area ids as text, or {\"area\": ID, \"neighbours\": true}");
            }
            ids.add(a.asText());
        }
        return new Areas(Set.copyOf(ids), Set.copyOf(withNeighbours));
    }

    private static String areaObject(JsonNode a, String where) {
        for (Iterator<String> it = a.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!field.equals("area") && !field.equals("neighbours")) {
                throw new UsageException(where + ": unknown field \"" + field + "\" in an area (known: area, neighbours)");
            }
        }
        if (!a.path("area").isTextual() || a.path("area").asText().isBlank() || !a.path("neighbours").isBoolean()) {
            throw new UsageException(where + ": an area with its neighbours is {\"area\": ID, \"neighbours\": true}");
        }
        return a.path("area").asText();
    }

    private static Set<String> signals(JsonNode signals, String where) {
        if (signals == null) {
            return Set.of();
        }
        if (!signals.isArray() || signals.isEmpty()) {
            throw new UsageException(where + ": signals must be a non-empty array (or left out for all)");
        }
        Set<String> codes = new LinkedHashSet<>();
        for (JsonNode s : signals) {
            if (!AlertSignals.codes().contains(s.asText())) {
                throw new UsageException(where + ": unknown signal '" + s.asText() + "' (known: "
                        + String.join(", ", AlertSignals.codes()) + ")");
            }
            codes.add(s.asText());
        }
        return Set.copyOf(codes);
    }

    private static Severity severity(JsonNode severity, String where) {
        if (severity == null) {
            return Severity.LOW;
        }
        return Severity.fromCode(severity.asText()).orElseThrow(() -> new UsageException(where
                + ": min_severity must be one of low, moderate, high, critical"));
    }

    private static boolean bool(JsonNode immediate, String where) {
        if (immediate == null) {
            return true;
        }
        if (!immediate.isBoolean()) {
            throw new UsageException(where + ": immediate must be true or false");
        }
        return immediate.asBoolean();
    }

    private static QuietHours quietHours(JsonNode q, String where) {
        if (q == null) {
            return null;
        }
        try {
            LocalTime from = LocalTime.parse(q.path("from").asText());
            LocalTime to = LocalTime.parse(q.path("to").asText());
            if (!from.equals(to)) {
                return new QuietHours(from, to);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw new UsageException(where + ": quiet_hours must be {\"from\": \"HH:MM\", \"to\": \"HH:MM\"} with two different times");
    }

    private static String text(JsonNode s, String field, String where) {
        JsonNode v = s.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new UsageException(where + ": \"" + field + "\" is required (text)");
        }
        return v.asText();
    }
}
