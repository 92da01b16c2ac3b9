package lookout.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import lookout.cluster.SharedCluster;
import lookout.config.KafkaTopics;
import lookout.config.LookoutConfig;
import lookout.demo.DemoStreamGenerator.BadKind;
import lookout.demo.DemoStreamGenerator.CountKey;
import lookout.demo.DemoStreamGenerator.Truth;
import lookout.demo.DemoStreamGenerator;
import lookout.demo.EmbeddedKafka;
import lookout.geo.Area;
import lookout.geo.AreaIndex;
import lookout.ingest.RecordIngestor;
import lookout.ingest.Source;
import lookout.kernel.Main;
import lookout.privacy.PseudonymKey;
import lookout.testing.Db;
import lookout.testing.Topics;

/**
 * Every kind of record that once stopped or fooled the pipeline, mixed into a valid feed: through a real Kafka
 * broker into the streaming job, whose restart strategy is "none" here so that a single exception from any
 * record fails the test, and through a backfill of the same file. Both must count every valid event exactly
 * once and refuse every poison record with the same reason.
 */
@Timeout(600)
@ResourceLock(SharedCluster.FLINK_CONTEXT)
class PoisonRecordTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The default limit, so that the largest record still accepted for reading must fit the dead-letter topic. */
    private static final int MAX_RECORD_BYTES = LookoutConfig.defaults().maxRecordBytes();

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static Truth truth;
    static Path input;
    static Path configFile;
    /** Dead letters expected per reason: the generator's malformed records plus the poison ones. */
    static Map<String, Integer> expected;
    static int poisonLines;
    /** The generator's counts plus one valid event at the window's oldest edge. */
    static Map<CountKey, Integer> daily;
    static Map<CountKey, Integer> hourly;

    @BeforeAll
    static void prepare() throws Exception {
        kafka = EmbeddedKafka.start();
        AreaIndex city = AreaIndex.demoCity();
        DemoStreamGenerator generator = new DemoStreamGenerator(DemoStreamGenerator.Settings
                .builder(city.areas().stream().map(Area::id).toList(), city)
                .seed(23).days(5).badFraction(0.02).duplicateFraction(0.03).build());
        List<String> generated = generator.generate();
        truth = generator.truth();
        List<byte[]> lines = new ArrayList<>();
        generated.forEach(l -> lines.add(l.getBytes(StandardCharsets.UTF_8)));

        ObjectNode template = firstValidParamedic(generated);
        Map<byte[], String> poison = poison(template);
        poisonLines = poison.size();
        // A valid event just inside the window, a quarter of a century before the rest, goes through every
        // operator like any other.
        ObjectNode oldest = variant(template, "occurred_at", "2000-01-01T00:30:00Z").put("reported_at", "2000-01-03T00:00:00Z");
        lines.add(lines.size() / 2, utf8(oldest.toString()));
        String area = city.areaAt(oldest.get("location").get("lat").asDouble(), oldest.get("location").get("lon").asDouble());
        ZonedDateTime local = Instant.parse("2000-01-01T00:30:00Z").atZone(ZoneId.of("America/Toronto"));
        daily = new HashMap<>(truth.daily());
        daily.merge(new CountKey(Source.PARAMEDIC, area, local.truncatedTo(ChronoUnit.DAYS).toInstant()), 1, Integer::sum);
        hourly = new HashMap<>(truth.hourly());
        hourly.merge(new CountKey(Source.PARAMEDIC, area, local.truncatedTo(ChronoUnit.HOURS).toInstant()), 1, Integer::sum);
        // The duplicate-key line goes before the event whose id it smuggles, which it once displaced.
        int at = 0;
        for (Map.Entry<byte[], String> p : poison.entrySet()) {
            lines.add(at, p.getKey());
            at += lines.size() / poison.size();
        }
        input = dir.resolve("poisoned.ndjson");
        try (var out = Files.newOutputStream(input)) {
            for (byte[] line : lines) {
                out.write(line);
                out.write('\n');
            }
        }
        expected = new TreeMap<>();
        Map<BadKind, Integer> bad = truth.badByKind();
        expected.put("not_json_or_avro", bad.get(BadKind.NOT_JSON));
        expected.put("unknown_source", bad.get(BadKind.UNKNOWN_SOURCE));
        expected.put("missing_field:event_id", bad.get(BadKind.MISSING_EVENT_ID));
        expected.put("unparseable_timestamp", bad.get(BadKind.BAD_TIMESTAMP));
        expected.put("coordinates_out_of_range", bad.get(BadKind.COORDINATES_OUT_OF_RANGE));
        poison.values().forEach(reason -> expected.merge(reason, 1, Integer::sum));
        configFile = Files.writeString(dir.resolve("lookout.properties"), "checkpoint.interval=PT0.3S\n");
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    static ObjectNode firstValidParamedic(List<String> lines) throws Exception {
        for (String line : lines) {
            if (line.contains("\"source\":\"paramedic\"") && line.contains("\"occurred_at\"") && line.contains("\"location\"")) {
                ObjectNode node = (ObjectNode) JSON.readTree(line);
                String occurred = node.path("occurred_at").asText();
                if (occurred.length() == 25 && OffsetDateTime.parse(occurred).getYear() == 2026) {
                    return node;
                }
            }
        }
        throw new AssertionError("no valid paramedic event in the generated feed");
    }

    /** Each poison line with the reason it must be refused for; insertion order is file order. */
    static Map<byte[], String> poison(ObjectNode template) throws Exception {
        Map<byte[], String> p = new LinkedHashMap<>();
        String occurred = template.get("occurred_at").asText();
        String reported = template.get("reported_at").asText();
        // A line whose first event_id is junk and whose second is a real event's, at another time.
        String smuggled = variant(template, "occurred_at", OffsetDateTime.parse(occurred).minusHours(5).toString())
                .put("event_id", template.get("event_id").asText()).toString();
        p.put(utf8(smuggled.replaceFirst("\\{", "{\"event_id\":\"junk\",")), "duplicate_key");
        p.put(utf8(variant(template, "occurred_at", "-999999999-01-01T00:00:00Z").toString()), "implausible_timestamp:occurred_at");
        p.put(utf8(variant(template, "occurred_at", "-300000-06-01T00:00:00Z").toString()), "implausible_timestamp:occurred_at");
        p.put(utf8(variant(template, "occurred_at", "0001-01-01T00:00:00Z").toString()), "implausible_timestamp:occurred_at");
        p.put(utf8(variant(template, "occurred_at", "+999999999-12-31T23:59:59Z").toString()), "occurred_in_future");
        p.put(utf8(variant(template, "reported_at", "0001-01-01T00:00:00Z").toString()), "implausible_timestamp:reported_at");
        p.put(utf8(variant(template, "reported_at", "9999-12-31T23:59:59-18:00").toString()), "reported_in_future");
        p.put(utf8(variant(template, "reported_at", OffsetDateTime.parse(occurred).minusSeconds(1).toString())
                .put("occurred_at", occurred).toString()), "reported_before_occurred");
        String justOver = variant(template, "notes", "").toString();
        p.put(utf8(variant(template, "notes", "x".repeat(MAX_RECORD_BYTES + 10 - utf8(justOver).length)).toString()), "record_too_large");
        p.put(utf8("{" + "z".repeat(MAX_RECORD_BYTES - 1)), "not_json_or_avro");
        p.put(utf8(variant(template, "notes", "y".repeat(3 << 20)).toString()), "record_too_large");
        for (String badBytes : List.of("ff", "c0af", "eda080")) {
            String line = variant(template, "notes", "@@").toString();
            p.put(splice(line, "@@", HexFormat.of().parseHex(badBytes)), "invalid_utf8");
        }
        p.put(utf8("[".repeat(3000)), "not_json_or_avro");
        p.put(utf8("[1,2]"), "not_an_object");
        assertTrue(reported.compareTo(occurred) > 0);
        return p;
    }

    private static int serial;

    static ObjectNode variant(ObjectNode template, String field, String value) {
        ObjectNode v = template.deepCopy();
        v.put("event_id", "poison-" + serial++);
        v.put(field, value);
        return v;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] splice(String line, String marker, byte[] bytes) {
        int at = line.indexOf(marker);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(utf8(line.substring(0, at)));
        b.writeBytes(bytes);
        b.writeBytes(utf8(line.substring(at + marker.length())));
        return b.toByteArray();
    }

    /** (source | reason) → count, with the generator's varied unparseable-timestamp fields merged. */
    static Map<String, Integer> reasons(Path db) throws Exception {
        Map<String, Integer> reasons = new TreeMap<>();
        for (String row : Db.query(db, "SELECT reason, count(*) FROM dead_letters GROUP BY reason")) {
            String[] f = row.split("\\|");
            reasons.merge(f[0].startsWith("unparseable_timestamp:") ? "unparseable_timestamp" : f[0], Integer.parseInt(f[1]), Integer::sum);
        }
        return reasons;
    }

    static List<String> sourcesAndReasons(Path db) throws Exception {
        return Db.query(db, "SELECT coalesce(source, '-'), reason, count(*) FROM dead_letters GROUP BY ALL ORDER BY ALL");
    }

    static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    /** {@link #run}, and what the JVM's stderr received meanwhile: backfill's and replay's progress lines go there. */
    static String[] runWatchingStderr(String... args) {
        PrintStream stderr = System.err;
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
        try {
            String[] r = run(args);
            return new String[] {r[0], r[1], r[2], progress.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(stderr);
        }
    }

    static void backfillCountsExactly(Path in, Path db) throws Exception {
        String[] r = run("backfill", "--input", in.toString(), "--db", db.toString(), "--config", configFile.toString());
        assertEquals("0", r[0], r[2]);
        assertEquals("", r[2], "nothing on stderr, least of all a stack trace");
        assertEquals(daily, BackfillTest.read(db, "day"));
        assertEquals(hourly, BackfillTest.read(db, "hour"));
        assertEquals(expected, reasons(db));
        assertTrue(r[1].contains(String.format("  read          %10d%n", truth.lines() + poisonLines + 1)), r[1]);
        assertTrue(r[1].contains(String.format("  accepted      %10d%n", truth.validEvents() + 1)), r[1]);
    }

    @Test
    void aBackfillRefusesEveryPoisonRecordAndCountsEveryValidEventOnce() throws Exception {
        backfillCountsExactly(input, dir.resolve("backfill.duckdb"));
    }

    @Test
    void aGzipCompressedCopyIsReadExactlyLikeThePlainFile() throws Exception {
        Path gzDir = Files.createDirectories(dir.resolve("gz"));
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gzDir.resolve("poisoned.ndjson.gz")))) {
            out.write(Files.readAllBytes(input));
        }
        Path plain = dir.resolve("plain.duckdb");
        Path gz = dir.resolve("gz.duckdb");
        backfillCountsExactly(input, plain);
        backfillCountsExactly(gzDir, gz);
        assertEquals(sourcesAndReasons(plain), sourcesAndReasons(gz));
        assertEquals(linesAndReasons(plain), linesAndReasons(gz));
    }

    /** Each dead letter's line number in its file and its reason. */
    static List<String> linesAndReasons(Path db) throws Exception {
        return Db.query(db, "SELECT regexp_extract(position, '[0-9]+$'), reason FROM dead_letters ORDER BY ALL");
    }

    @Test
    void aByteOrderMarkAtTheStartOfAFileIsNoRecordAndMovesNoLineNumber() throws Exception {
        byte[] plain = Files.readAllBytes(input);
        Path bomDir = Files.createDirectories(dir.resolve("bom"));
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(bomDir.resolve("excel-export.ndjson.gz")))) {
            out.write(HexFormat.of().parseHex("efbbbf"));
            out.write(plain);
        }
        // What a spreadsheet writes for an empty sheet saved as UTF-8 text.
        Files.write(bomDir.resolve("empty-export.ndjson"), HexFormat.of().parseHex("efbbbf"));
        Path db = dir.resolve("bom.duckdb");
        backfillCountsExactly(bomDir, db);
        Path withoutBom = dir.resolve("without-bom.duckdb");
        backfillCountsExactly(input, withoutBom);
        assertEquals(linesAndReasons(withoutBom), linesAndReasons(db), "the same lines refused for the same reasons");
    }

    @Test
    void throughReplayAndKafkaTheJobNeverRestartsAndJudgesEveryRecordLikeTheBackfill() throws Exception {
        Path db = dir.resolve("stream.duckdb");
        LookoutConfig config = LookoutConfig.load(configFile)
                .with("kafka.bootstrap", kafka.bootstrapServers())
                .with("kafka.topic_prefix", "poison")
                .with("db", db.toString())
                .with("checkpoint.dir", dir.resolve("poison-checkpoints").toString());
        String[] replay = runWatchingStderr("replay", "--input", input.toString(), "--bootstrap",
                kafka.bootstrapServers(), "--config", Files.writeString(dir.resolve("replay.properties"),
                        Files.readString(configFile) + "kafka.topic_prefix=poison\n").toString());
        assertEquals("0", replay[0], replay[2]);
        long published = truth.lines() + poisonLines + 1;
        assertTrue(replay[1].startsWith("replay: " + published + " records published"), replay[1]);
        String readAll = String.format(Locale.ROOT, "lookout replay: read all %.1f MiB \\(%,d records\\) in \\d+ s; now"
                + " sending the last records to Kafka, \\d+ s so far", Files.size(input) / 1048576.0, published);
        assertTrue(replay[3].lines().anyMatch(l -> l.matches(readAll)), "the progress line once all is read: " + replay[3]);

        Configuration flink = Environments.streaming(config, null);
        // Any exception from any record now fails the job for good instead of being retried from a checkpoint.
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = Environments.create(flink, 2);
        KafkaJob.build(env, config, PseudonymKey.ephemeral(), OffsetsInitializer.earliest(), true, false);
        env.executeAsync("poison records").getJobExecutionResult().get();

        assertEquals(daily, BackfillTest.read(db, "day"));
        assertEquals(hourly, BackfillTest.read(db, "hour"));
        assertEquals(expected, reasons(db));
        Path backfilled = dir.resolve("parity.duckdb");
        backfillCountsExactly(input, backfilled);
        assertEquals(sourcesAndReasons(backfilled), sourcesAndReasons(db), "replay + job and backfill judge alike");
        int deadLetters = expected.values().stream().mapToInt(Integer::intValue).sum();
        List<ConsumerRecord<byte[], byte[]>> restricted = Topics.readAll(kafka.bootstrapServers(), KafkaTopics.deadLetters(config));
        assertEquals(deadLetters, restricted.size(), "every dead letter reached the restricted topic");
        assertEquals(1, restricted.stream().filter(r -> r.value().length == MAX_RECORD_BYTES).count(),
                "the largest record still read is refused whole, within Kafka's message size limit");
        assertEquals(2, restricted.stream().filter(r -> r.value().length == RecordIngestor.TOO_LARGE_RAW_BYTES).count(),
                "of a record too large only its first bytes are kept");
    }

    @Test
    void aTruncatedGzipFileKeepsWhatPrecedesTheDamageAndSaysWhereItBroke() throws Exception {
        Path in = Files.createDirectories(dir.resolve("truncated"));
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(z)) {
            out.write(Files.readAllBytes(input));
        }
        byte[] whole = z.toByteArray();
        Files.write(in.resolve("poisoned.ndjson.gz"), java.util.Arrays.copyOf(whole, whole.length / 3));
        Path db = dir.resolve("truncated.duckdb");
        String[] r = run("backfill", "--input", in.toString(), "--db", db.toString(), "--config", configFile.toString());
        assertEquals("0", r[0], r[2]);
        assertEquals("", r[2]);
        List<String> damaged = Db.query(db, "SELECT position FROM dead_letters WHERE reason = 'corrupt_gzip'");
        assertEquals(1, damaged.size(), "one dead letter marks where the file broke off");
        long linesBefore = Long.parseLong(damaged.get(0).substring(damaged.get(0).lastIndexOf(':') + 1)) - 1;
        assertTrue(linesBefore > 100, "the lines before the damage were read: " + linesBefore);
        assertTrue(r[1].contains(String.format("  read          %10d%n", linesBefore + 1)), r[1]);
    }
}
