package lookout.config;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import lookout.flink.EventTimeWatermarks;
import lookout.kernel.LongestDuration;
import lookout.kernel.SettingsFile;
import lookout.kernel.Topics;
import lookout.kernel.UsageException;

/**
 * Every setting of a Lookout job, loaded from one properties file. The defaults are those of the README's
 * configuration reference; a file only needs the keys it changes.
 */
public record LookoutConfig(
        String kafkaBootstrap,
        String topicPrefix,
        String consumerGroup,
        String boundaries,
        ZoneId zone,
        Path db,
        Duration dedupeHorizon,
        Duration futureSkew,
        Duration linkageWindow,
        Duration linkageMaxReportDelay,
        Duration maxOutOfOrderness,
        Duration sourceIdleness,
        Duration checkpointInterval,
        Path checkpointDir,
        String stateBackend,
        int parallelism,
        Map<String, String> values) {

    /**
     * Keys starting with this are handed to every Kafka client of the job with the prefix removed, so TLS and SASL
     * ({@code kafka.properties.security.protocol}, {@code kafka.properties.sasl.jaas.config}, ...) can be set.
     */
    public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";
    /** Client properties that Lookout sets from its own keys; passing them through would contradict those. */
    private static final Map<String, String> KAFKA_PROPERTIES_OWNED = Map.of(
            "bootstrap.servers", "kafka.bootstrap", "group.id", "kafka.consumer_group");

    /** The default of {@code validation.earliest}: no record of these sources is older. */
    public static final Instant DEFAULT_EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    /** The keys a config file may hold, each with its default (as text) and its meaning, for the README. */
    public static final Map<String, String[]> KEYS = keys();
    /** Below this not even a minimal valid event fits; above it one record could take a large share of the heap. */
    private static final int MIN_RECORD_BYTES = 256;
    private static final int MAX_RECORD_BYTES = 64 << 20;
    /**
     * Far more operators than one city's feeds need; the local cluster gives each a slot and threads, and a huge
     * value failed deep in Flink without naming the key.
     */
    public static final int MAX_PARALLELISM = 1024;
    /** Two years of daily sample shares: the toxicity detector keeps every day of the baseline in state. */
    public static final int MAX_BASELINE_DAYS = 730;
    /** Ten years: longer is no longer "new". */
    public static final int MAX_NOVELTY_DAYS = 3660;

    private static Map<String, String[]> keys() {
        Map<String, String[]> k = new LinkedHashMap<>();
        k.put("kafka.bootstrap", new String[] {"", "Kafka bootstrap servers (host:port,...); required by `run`"});
        k.put("kafka.topic_prefix", new String[] {"lookout", KafkaTopics.described()});
        k.put("kafka.consumer_group", new String[] {"lookout", "Kafka consumer group of the job"});
        k.put("boundaries", new String[] {"demo", "GeoJSON FeatureCollection of areas, or `demo` for the built-in generated demo city"});
        k.put("zone", new String[] {"America/Toronto", "time zone whose calendar days make the daily buckets"});
        k.put("db", new String[] {"data/lookout.duckdb", "DuckDB file analysts read; the pipeline writes DB.writer and republishes DB after every checkpoint"});
        k.put("dedupe.horizon", new String[] {"P60D", "how long an (source, event_id) pair is remembered for deduplication (ISO-8601 duration)"});
        k.put("validation.future_skew", new String[] {"PT15M", "how far occurred_at and reported_at may lie in the future before a record is refused"});
        k.put("validation.earliest", new String[] {DEFAULT_EARLIEST.toString(), "occurred_at and reported_at before"
                + " this instant are refused as implausible (`implausible_timestamp:<field>`); "
                + PlausibleTimes.SPAN});
        k.put("ingest.max_record_bytes", new String[] {"1000000", "longest accepted record (NDJSON line or Kafka message) in bytes, 256 to 67108864; longer ones become `record_too_large` dead letters without being read whole. A refused record goes whole to the dead-letter topic, so keep this below that topic's message size limit (Kafka's default is 1048588 bytes)"});
        k.put("linkage.window", new String[] {"PT2H", "a paramedic call and a naloxone report of the same person this close in time count as one overdose in the `combined` signal"});
        k.put("linkage.max_report_delay", new String[] {"P3D", "how long after its time a report may still arrive and be linked; unlinked reports are kept this long beyond the window"});
        k.put("watermark.max_out_of_orderness", new String[] {"PT5M", "event-time disorder tolerated within one source partition"});
        k.put("watermark.idleness", new String[] {"PT1M", "after this long without records that carry an event time (dead letters carry none) a source partition stops holding back event time; a partition that has had none since it was assigned (at every start) is set aside " + EventTimeWatermarks.START_IDLENESS.toSeconds() + " s after its reader's first event, or after this if shorter"});
        k.put("checkpoint.interval", new String[] {"PT10S", "checkpoint interval; DuckDB is updated once per checkpoint"});
        k.put("checkpoint.dir", new String[] {"data/checkpoints", "where checkpoints are kept (retained on cancel, for restarts)"});
        k.put("state.backend", new String[] {"hashmap", "`hashmap` (fast, in heap) or `rocksdb` (state larger than memory)"});
        k.put("parallelism", new String[] {"2", "parallelism of the job's operators, 1 to " + MAX_PARALLELISM
                + " (the DuckDB sink always runs as one writer)"});
        k.put("detection.watching_since", new String[] {"", "the instant (ISO-8601, e.g. 2026-01-01T00:00:00Z; "
                + PlausibleTimes.SPAN + ") since which the city has been watched (none: since the first event the"
                + " job reads). Every area's history starts there: days without an event are zeros, so an area whose"
                + " first event ever is a cluster can alert on it. An event dated before it (a report weeks late, a"
                + " replay of old data) is counted but does not move it. A streaming job keeps the start in its"
                + " state"});
        k.put("feed.silence_multiple", new String[] {"10", "a source is `silent` once no record of it has been accepted for this many times its usual gap at that hour of the week (a number above 1; docs/RELIABILITY.md, \"Feed health\")"});
        k.put("feed.usual_gap_floor", new String[] {"PT5M", "the usual gap is never taken as shorter than this, so a busy source is not called silent after a few quiet seconds"});
        k.put("feed.min_history", new String[] {"20", "gaps between accepted records an hour of the week (else that hour of the day, else all hours) needs before its usual gap is trusted; with fewer anywhere a source is never called silent"});
        k.put("feed.window", new String[] {"PT1H", "the recent window of the dead-letter share and the reporting delay"});
        k.put("feed.bad_share", new String[] {"0.5", "a source is `bad` while its dead letters exceed this share of its records in the window (0 to 1)"});
        k.put("feed.bad_min_records", new String[] {"10", "records of a source the window must hold before its dead-letter share can make it `bad`"});
        k.put("metrics.prometheus_port", new String[] {"", "port (or range such as 9249-9259) on which the local Flink cluster of `run` serves its metrics for Prometheus at /metrics, feed health's gauges among them; empty: no reporter"});
        k.put("detection.toxicity.watch_list", new String[] {"carfentanil,nitazene,medetomidine,xylazine", "adulterants (substance terms or families of the vocabulary, comma-separated) whose rising share of drug-checking samples, in the city or near an area, can make a toxicity (`multi`) alert; mere presence does not"});
        k.put("detection.toxicity.always_notable", new String[] {"carfentanil,nitazene", "substances (terms or families) notable whenever drug checking finds them; they make a toxicity alert critical"});
        k.put("detection.toxicity.novelty_days", new String[] {"14", "a substance first seen in the city within this"
                + " many days is notable (once the city has been watched that long); 1 to " + MAX_NOVELTY_DAYS});
        k.put("detection.toxicity.baseline_days", new String[] {"56", "the days before the recent ones whose share of"
                + " samples a watch-list substance is compared with (7 to " + MAX_BASELINE_DAYS + ")"});
        k.put("detection.toxicity.recent_days", new String[] {"7", "the days whose share of samples is judged (1-28)"});
        k.put("detection.toxicity.rising_alpha", new String[] {"0.003", "a share counts as rising when it is this unlikely under the baseline share (beta-binomial upper tail; docs/DETECTION.md)"});
        k.put("detection.toxicity.rising_min_samples", new String[] {"3", "least recent samples containing a"
                + " watch-list substance for its share to count as rising (1 to 1000000)"});
        k.put("flink.bind_address", new String[] {"127.0.0.1", "address the local Flink cluster of `run`, `demo` and `backfill` listens on (REST API and web UI, BlobServer, RPC, data ports); none of them asks for credentials"});
        return k;
    }

    public static LookoutConfig defaults() {
        return fromMap(Map.of());
    }

    /** Loads a properties file; unknown keys and bad values stop with one readable line. */
    public static LookoutConfig load(Path file) {
        return fromMap(SettingsFile.read(file,
                name -> KEYS.containsKey(name) || name.startsWith(KAFKA_PROPERTIES_PREFIX),
                String.join(", ", KEYS.keySet()) + ", " + KAFKA_PROPERTIES_PREFIX + "*"));
    }

    private static LookoutConfig fromMap(Map<String, String> v) {
        Function<String, String> get = key -> v.getOrDefault(key, KEYS.get(key)[0]);
        int parallelism = parse(get, "parallelism", Integer::parseInt);
        if (parallelism < 1) {
            throw new UsageException("config: parallelism must be at least 1");
        }
        if (parallelism > MAX_PARALLELISM) {
            throw new UsageException("config: parallelism = " + parallelism + " must be at most " + MAX_PARALLELISM);
        }
        if (get.apply("flink.bind_address").isBlank()) {
            throw new UsageException("config: flink.bind_address must not be empty");
        }
        for (String key : v.keySet()) {
            String owner = KAFKA_PROPERTIES_OWNED.get(key.startsWith(KAFKA_PROPERTIES_PREFIX)
                    ? key.substring(KAFKA_PROPERTIES_PREFIX.length()) : "");
            if (owner != null) {
                throw new UsageException("config: " + key + " is not allowed; set " + owner + " instead");
            }
        }
        String backend = get.apply("state.backend");
        if (!backend.equals("hashmap") && !backend.equals("rocksdb")) {
            throw new UsageException("config: state.backend must be hashmap or rocksdb");
        }
        validationEarliest(v);
        maxRecordBytes(v);
        watchingSince(v);
        feedSilenceMultiple(v);
        wholeNumber(v, "feed.min_history", 1, 1_000_000);
        wholeNumber(v, "feed.bad_min_records", 1, 1_000_000);
        feedBadShare(v);
        duration(get, "feed.usual_gap_floor");
        duration(get, "feed.window");
        prometheusPort(v);
        toxicity(v);
        return new LookoutConfig(
                get.apply("kafka.bootstrap"),
                Topics.checkedPrefix("kafka.topic_prefix", get.apply("kafka.topic_prefix")),
                get.apply("kafka.consumer_group"),
                get.apply("boundaries"),
                parse(get, "zone", ZoneId::of),
                Path.of(get.apply("db")),
                duration(get, "dedupe.horizon"),
                duration(get, "validation.future_skew"),
                duration(get, "linkage.window"),
                duration(get, "linkage.max_report_delay"),
                duration(get, "watermark.max_out_of_orderness"),
                duration(get, "watermark.idleness"),
                duration(get, "checkpoint.interval"),
                Path.of(get.apply("checkpoint.dir")),
                backend,
                parallelism,
                Map.copyOf(v));
    }

    private static Duration duration(Function<String, String> get, String key) {
        Duration d = parse(get, key, Duration::parse);
        if (d.isNegative() || d.isZero()) {
            throw new UsageException("config: " + key + " must be a positive duration");
        }
        // The skew alone is bounded by TimeWindow, whatever its size.
        return key.equals("validation.future_skew") ? d : LongestDuration.check(key, get.apply(key), d);
    }

    private static <T> T parse(Function<String, String> get, String key, Function<String, T> parser) {
        String text = get.apply(key);
        try {
            return parser.apply(text);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new UsageException("config: " + key + " = '" + text + "' is not a valid "
                    + (key.equals("parallelism") ? "whole number" : "ISO-8601 duration such as PT10S or P60D"));
        } catch (DateTimeException e) {
            throw new UsageException("config: " + key + " = '" + text + "' is not a known time zone");
        }
    }

    public String flinkBindAddress() {
        return values.getOrDefault("flink.bind_address", KEYS.get("flink.bind_address")[0]);
    }

    /** The {@code kafka.properties.*} settings, prefix removed, for every Kafka client (source, sinks, admin, publisher). */
    public Map<String, String> kafkaProperties() {
        Map<String, String> p = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(KAFKA_PROPERTIES_PREFIX)) {
                p.put(key.substring(KAFKA_PROPERTIES_PREFIX.length()), value);
            }
        });
        return p;
    }

    /** Event times before this are refused at ingest: no real record of these sources is that old. */
    public Instant validationEarliest() {
        return validationEarliest(values);
    }

    /** The longest record ingest reads whole; longer ones are skipped as dead letters without being buffered. */
    public int maxRecordBytes() {
        return maxRecordBytes(values);
    }

    private static Instant validationEarliest(Map<String, String> v) {
        return instant("validation.earliest", v.getOrDefault("validation.earliest", KEYS.get("validation.earliest")[0]),
                "2000-01-01T00:00:00Z");
    }

    /** The configured start of watching the city, if any. */
    public Optional<Instant> watchingSince() {
        return watchingSince(values);
    }

    private static Optional<Instant> watchingSince(Map<String, String> v) {
        String text = v.getOrDefault("detection.watching_since", "");
        return text.isEmpty() ? Optional.empty()
                : Optional.of(instant("detection.watching_since", text, "2026-01-01T00:00:00Z"));
    }

    /**
     * An instant within {@link PlausibleTimes}: an earliest in year -300000 let a record of that year through to
     * DuckDB, which refused it at the commit, and a start of watching in year 999999999 overflowed its milliseconds.
     */
    private static Instant instant(String key, String text, String example) {
        Instant t;
        try {
            t = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new UsageException("config: " + key + " = '" + text + "' is not an ISO-8601 instant such as "
                    + example);
        }
        if (!PlausibleTimes.contains(t)) {
            throw new UsageException("config: " + key + " = '" + text + "' must lie " + PlausibleTimes.SPAN);
        }
        return t;
    }

    /** The toxicity alert's substance settings ({@code detection.toxicity.*}); the job checks the names. */
    public ToxicitySubstances toxicity() {
        return toxicity(values);
    }

    /**
     * What {@code detection.toxicity.*} configures: the watch list, the always-notable substances, novelty and how a
     * rising share is judged. The job checks the names against the substance vocabulary.
     */
    public record ToxicitySubstances(List<String> watchList, List<String> alwaysNotable, int noveltyDays,
            int baselineDays, int recentDays, double risingAlpha, int risingMinSamples) {}

    private static ToxicitySubstances toxicity(Map<String, String> v) {
        Function<String, String> get = key -> v.getOrDefault(key, KEYS.get(key)[0]);
        int novelty = wholeNumber(v, "detection.toxicity.novelty_days", 1, MAX_NOVELTY_DAYS);
        int baseline = wholeNumber(v, "detection.toxicity.baseline_days", 7, MAX_BASELINE_DAYS);
        int recent = wholeNumber(v, "detection.toxicity.recent_days", 1, 28);
        int minSamples = wholeNumber(v, "detection.toxicity.rising_min_samples", 1, 1_000_000);
        String alphaText = get.apply("detection.toxicity.rising_alpha");
        double alpha;
        try {
            alpha = Double.parseDouble(alphaText);
        } catch (NumberFormatException e) {
            alpha = Double.NaN;
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new UsageException("config: detection.toxicity.rising_alpha = '" + alphaText
                    + "' must be a number between 0 and 1");
        }
        return new ToxicitySubstances(list(get, "detection.toxicity.watch_list"),
                list(get, "detection.toxicity.always_notable"), novelty, baseline, recent, alpha, minSamples);
    }

    private static List<String> list(Function<String, String> get, String key) {
        List<String> entries = new ArrayList<>();
        for (String e : get.apply(key).split(",")) {
            if (!e.isBlank()) {
                entries.add(e.strip());
            }
        }
        return entries;
    }

    private static int maxRecordBytes(Map<String, String> v) {
        String text = v.getOrDefault("ingest.max_record_bytes", KEYS.get("ingest.max_record_bytes")[0]);
        try {
            int n = Integer.parseInt(text);
            if (n >= MIN_RECORD_BYTES && n <= MAX_RECORD_BYTES) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, like an out-of-range number
        }
        throw new UsageException("config: ingest.max_record_bytes = '" + text + "' must be a whole number of bytes from "
                + MIN_RECORD_BYTES + " to " + MAX_RECORD_BYTES);
    }

    /** How many usual gaps without an accepted record make a source silent. */
    public double feedSilenceMultiple() {
        return feedSilenceMultiple(values);
    }

    /** The shortest usual gap a source is judged by. */
    public Duration feedUsualGapFloor() {
        return duration(key -> values.getOrDefault(key, KEYS.get(key)[0]), "feed.usual_gap_floor");
    }

    /** Gaps a bucket of hours needs before its usual gap is trusted. */
    public int feedMinHistory() {
        return wholeNumber(values, "feed.min_history", 1, 1_000_000);
    }

    /** The recent window of the dead-letter share and the reporting delay. */
    public Duration feedWindow() {
        return duration(key -> values.getOrDefault(key, KEYS.get(key)[0]), "feed.window");
    }

    /** The dead-letter share above which a source is bad. */
    public double feedBadShare() {
        return feedBadShare(values);
    }

    /** Records the window must hold before the share can make a source bad. */
    public int feedBadMinRecords() {
        return wholeNumber(values, "feed.bad_min_records", 1, 1_000_000);
    }

    /** The Prometheus reporter's port or port range, if one is configured. */
    public Optional<String> prometheusPort() {
        return prometheusPort(values);
    }

    private static double feedSilenceMultiple(Map<String, String> v) {
        double m = decimal(v, "feed.silence_multiple");
        if (!(m > 1)) {
            throw new UsageException("config: feed.silence_multiple must be a number above 1");
        }
        return m;
    }

    private static double feedBadShare(Map<String, String> v) {
        double share = decimal(v, "feed.bad_share");
        if (!(share >= 0 && share <= 1)) {
            throw new UsageException("config: feed.bad_share must be a number from 0 to 1");
        }
        return share;
    }

    private static double decimal(Map<String, String> v, String key) {
        String text = v.getOrDefault(key, KEYS.get(key)[0]);
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new UsageException("config: " + key + " = '" + text + "' is not a number");
        }
    }

    private static int wholeNumber(Map<String, String> v, String key, int min, int max) {
        String text = v.getOrDefault(key, KEYS.get(key)[0]);
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, like an out-of-range number
        }
        throw new UsageException("config: " + key + " = '" + text + "' must be a whole number from " + min + " to " + max);
    }

    private static Optional<String> prometheusPort(Map<String, String> v) {
        String text = v.getOrDefault("metrics.prometheus_port", "");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!text.matches("\\d{1,5}(-\\d{1,5})?")
                || Arrays.stream(text.split("-")).mapToInt(Integer::parseInt).anyMatch(p -> p < 1 || p > 65535)) {
            throw new UsageException("config: metrics.prometheus_port = '" + text
                    + "' must be a port (1 to 65535) or a range such as 9249-9259");
        }
        return Optional.of(text);
    }

    public String topic(String name) {
        return Topics.name(topicPrefix, name);
    }

    /** This configuration with one key changed, validated like a file's value (command-line overrides use it). */
    public LookoutConfig with(String key, String value) {
        if (!KEYS.containsKey(key) && !key.startsWith(KAFKA_PROPERTIES_PREFIX)) {
            throw new IllegalArgumentException("unknown config key " + key);
        }
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(key, value);
        return fromMap(v);
    }
}
