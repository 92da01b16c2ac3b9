package lookout.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import lookout.kernel.Severity;
import lookout.kernel.UsageException;
import lookout.notify.AppendLog.NotARecord;

/**
 * The notifier's own files in its store directory, both append-only JSON lines written through to disk before
 * the next message goes out: {@code steps.ndjson}, the lifecycle steps taken (what the feeds are written from
 * and where a restart takes the alerts' state from), and {@code deliveries.ndjson}, the delivery log
 * ({@link Delivery}: channel ids and reason codes, never an address; daily digests are lines of it too, keyed
 * {@link Digest#key}). A line that is not a record (cut short by a crash, damaged on disk, edited by hand, or
 * written by a later build) is passed over on the next start, which says how many it passed over in each file.
 */
public final class NotifierStore implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FileChannel stepsFile;
    private final FileChannel deliveriesFile;
    private final Path deliveriesPath;
    private final List<AlertStep> steps = new ArrayList<>();
    /** The latest outcome per key. */
    private final Map<String, Delivery> latest = new LinkedHashMap<>();
    /** Per channel: when messages were delivered, oldest first (the rate limit's memory). */
    private final Map<String, List<Long>> deliveredAt = new HashMap<>();
    /** "spike|channel" of every delivered message. */
    private final Set<String> deliveredSpikes = new HashSet<>();
    /** The keys whose latest outcome is held, in the order they were held. */
    private final Map<String, Delivery> held = new LinkedHashMap<>();
    /** Per channel: the steps kept for its digest, in the order they were kept. */
    private final Map<String, List<Delivery>> kept = new HashMap<>();
    /** "spike|channel" of every step kept for a digest. */
    private final Set<String> keptSpikes = new HashSet<>();
    /** "spike|channel" of every message recorded, whatever its outcome. */
    private final Set<String> recordedSpikes = new HashSet<>();
    /** Per channel: the days whose digest was sent or given up. */
    private final Map<String, TreeSet<LocalDate>> digestDays = new HashMap<>();

    private NotifierStore(Path dir, Consumer<String> warn) throws IOException {
        Files.createDirectories(dir);
        Path steps = dir.resolve("steps.ndjson");
        Path deliveries = dir.resolve("deliveries.ndjson");
        deliveriesPath = deliveries;
        AppendLog.Journal<AlertStep> stepsRead = AppendLog.read(steps, NotifierStore::step);
        this.steps.addAll(stepsRead.records());
        AppendLog.Journal<Delivery> deliveriesRead = AppendLog.read(deliveries, NotifierStore::delivery);
        deliveriesRead.records().forEach(this::remember);
        stepsRead.tellPassedOver(warn);
        deliveriesRead.tellPassedOver(warn);
        stepsFile = AppendLog.open(steps);
        deliveriesFile = AppendLog.open(deliveries);
    }

    /**
     * @param warn told, in one line per file, of lines passed over that are not records: a lost delivery line can
     *             mean a message sent twice, a lost step an alert's state missing after a rollback
     */
    public static NotifierStore open(Path dir, Consumer<String> warn) {
        try {
            return new NotifierStore(dir, warn);
        } catch (IOException e) {
            throw new UsageException("cannot open the notifier's store in " + dir + ": " + e.getMessage());
        }
    }

    public synchronized List<AlertStep> steps() {
        return List.copyOf(steps);
    }

    public synchronized void addStep(AlertStep step) {
        steps.add(step);
        ObjectNode o = JSON.createObjectNode();
        o.put("spike_id", step.spikeId());
        o.put("kind", step.kind().code());
        o.put("severity", step.severity().code());
        o.put("area_id", step.areaId());
        o.put("signal", step.signal());
        if (step.observed() == null) {
            o.putNull("observed");
        } else {
            o.put("observed", step.observed());
        }
        o.put("expected", step.expected());
        o.put("window_start", step.windowStart());
        o.put("window_end", step.windowEnd());
        o.put("opened_at", step.openedAt());
        o.put("at", step.at());
        if (!step.zone().isEmpty()) {
            step.zone().forEach(o.putArray("zone")::add);
        }
        if (!step.found().isEmpty()) {
            ArrayNode found = o.putArray("found");
            step.found().forEach(f -> found.addObject().put("substance", f.substance()).put("reason", f.reason()));
        }
        append(stepsFile, o);
    }

    public synchronized void record(Delivery d) {
        ObjectNode o = JSON.createObjectNode();
        o.put("key", d.key());
        o.put("spike_id", d.spikeId());
        o.put("step", d.step());
        o.put("channel", d.channel());
        o.put("outcome", d.outcome().code());
        if (d.reason() != null) {
            o.put("reason", d.reason());
        }
        o.put("attempts", d.attempts());
        o.put("at", d.at());
        if (d.outcome() == Delivery.Outcome.HELD) {
            o.put("until", d.until());
        }
        append(deliveriesFile, o);
        remember(d);
    }

    /** Whether this key's message was sent, given up, merged or kept for a digest: it is never sent again. */
    public synchronized boolean isFinal(String key) {
        Delivery d = latest.get(key);
        return d != null && d.outcome().isFinal();
    }

    public synchronized Delivery latest(String key) {
        return latest.get(key);
    }

    /** Whether any step of this spike reached this channel (an all-clear goes only to those told of the alert). */
    public synchronized boolean delivered(String spikeId, String channelId) {
        return deliveredSpikes.contains(spikeId + "|" + channelId);
    }

    /**
     * Whether any message about this spike was recorded for this channel (sent, held, kept, merged or given up): a
     * channel without one was never told of the alert, nor decided about.
     */
    public synchronized boolean recorded(String spikeId, String channelId) {
        return recordedSpikes.contains(spikeId + "|" + channelId);
    }

    /** Whether any step of this spike was kept for this channel's digest (its all-clear goes there too). */
    public synchronized boolean keptForDigest(String spikeId, String channelId) {
        return keptSpikes.contains(spikeId + "|" + channelId);
    }

    /** The steps kept for this channel's digest at or after {@code from} and before {@code to}, oldest first. */
    public synchronized List<Delivery> keptForDigest(String channelId, long from, long to) {
        return kept.getOrDefault(channelId, List.of()).stream().filter(d -> d.at() >= from && d.at() < to).toList();
    }

    /** The latest day before {@code before} whose digest to this channel was sent or given up. */
    public synchronized Optional<LocalDate> lastDigest(String channelId, LocalDate before) {
        TreeSet<LocalDate> days = digestDays.get(channelId);
        return Optional.ofNullable(days == null ? null : days.lower(before));
    }

    /** Messages delivered to this channel at or after {@code since}, oldest first. */
    public synchronized List<Long> deliveredSince(String channelId, long since) {
        return deliveredAt.getOrDefault(channelId, List.of()).stream().filter(t -> t >= since).toList();
    }

    /** Every message still held, in the order it was held. */
    public synchronized List<Delivery> held() {
        return List.copyOf(held.values());
    }

    /** The whole delivery log, in order (for tests and operators; it holds no address). */
    public synchronized List<Delivery> log() {
        try {
            return AppendLog.read(deliveriesPath, NotifierStore::delivery).records();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void remember(Delivery d) {
        latest.put(d.key(), d);
        recordedSpikes.add(d.spikeId() + "|" + d.channel());
        held.remove(d.key());
        if (d.outcome() == Delivery.Outcome.HELD) {
            held.put(d.key(), d);
        }
        if (d.outcome() == Delivery.Outcome.DIGEST) {
            kept.computeIfAbsent(d.channel(), c -> new ArrayList<>()).add(d);
            keptSpikes.add(d.spikeId() + "|" + d.channel());
        }
        if (Digest.isKey(d.key()) && (d.outcome() == Delivery.Outcome.DELIVERED
                || d.outcome() == Delivery.Outcome.UNDELIVERABLE)) {
            digestDays.computeIfAbsent(d.channel(), c -> new TreeSet<>()).add(Digest.dayOf(d.key()));
        }
        if (d.outcome() == Delivery.Outcome.DELIVERED) {
            deliveredAt.computeIfAbsent(d.channel(), c -> new ArrayList<>()).add(d.at());
            deliveredSpikes.add(d.spikeId() + "|" + d.channel());
        }
    }

    private static void append(FileChannel file, ObjectNode o) {
        try {
            AppendLog.write(file, JSON.writeValueAsString(o) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the notifier's store", e);
        }
    }

    private static AlertStep step(JsonNode o) throws NotARecord {
        return new AlertStep(o.path("spike_id").asText(), named(AlertStep.Kind.class, o.path("kind")),
                Severity.fromCode(o.path("severity").asText()).orElse(Severity.LOW), o.path("area_id").asText(),
                o.path("signal").asText(), o.path("observed").isNull() ? null : o.path("observed").asInt(),
                o.path("expected").asDouble(), o.path("window_start").asLong(), o.path("window_end").asLong(),
                o.path("opened_at").asLong(), o.path("at").asLong(), zone(o.path("zone")), found(o.path("found")));
    }

    private static List<String> zone(JsonNode areas) {
        List<String> out = new ArrayList<>();
        areas.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The findings a step names; a line written before steps named them has none. */
    private static List<FoundSubstances.Found> found(JsonNode array) {
        List<FoundSubstances.Found> found = new ArrayList<>();
        for (JsonNode f : array) {
            String substance = f.path("substance").asText();
            String reason = f.path("reason").asText();
            if (FoundSubstances.isTerm(substance) && FoundSubstances.REASONS.contains(reason)) {
                found.add(new FoundSubstances.Found(substance, reason));
            }
        }
        return found;
    }

    private static Delivery delivery(JsonNode o) throws NotARecord {
        String key = o.path("key").asText();
        if (Digest.isKey(key) && Digest.dayOfKey(key).isEmpty()) {
            throw new NotARecord(); // read as a digest's day, it would stop every start
        }
        return new Delivery(key, o.path("spike_id").asText(), o.path("step").asText(),
                o.path("channel").asText(), named(Delivery.Outcome.class, o.path("outcome")),
                o.hasNonNull("reason") ? o.path("reason").asText() : null, o.path("attempts").asInt(),
                o.path("at").asLong(), o.path("until").asLong());
    }

    /** The constant a journal line names (a step's kind, a delivery's outcome): one of a later build is none. */
    private static <E extends Enum<E>> E named(Class<E> type, JsonNode code) throws NotARecord {
        String name = code.asText().toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        throw new NotARecord();
    }

    @Override
    public synchronized void close() {
        try {
            stepsFile.close();
            deliveriesFile.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
