package lookout.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.apache.flink.api.common.JobID;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import lookout.cluster.SharedCluster;
import lookout.config.KafkaTopics;
import lookout.config.LookoutConfig;
import lookout.demo.DemoStreamGenerator.BadKind;
import lookout.demo.DemoStreamGenerator.Truth;
import lookout.demo.DemoStreamGenerator;
import lookout.demo.EmbeddedKafka;
import lookout.geo.Area;
import lookout.geo.AreaIndex;
import lookout.ingest.IngestSettings;
import lookout.ingest.KafkaCluster;
import lookout.privacy.PseudonymKey;
import lookout.replay.KafkaPublisher;
import lookout.schema.IngestResult;
import lookout.testing.Db;
import lookout.testing.Topics;

/** Real Kafka broker → the job on a Flink MiniCluster → DuckDB, including a kill and restart from a checkpoint. */
@Timeout(300)
@ResourceLock(SharedCluster.FLINK_CONTEXT)
class KafkaEndToEndTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    private static final PseudonymKey KEY = PseudonymKey.ephemeral();

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static List<String> lines;
    static Truth truth;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        AreaIndex city = AreaIndex.demoCity();
        DemoStreamGenerator generator = new DemoStreamGenerator(DemoStreamGenerator.Settings
                .builder(city.areas().stream().map(Area::id).toList(), city)
                .seed(11).days(8).badFraction(0.02).duplicateFraction(0.03)
                .spike("D05", Instant.parse("2026-03-05T02:00:00Z"), 5, 8).build());
        lines = generator.generate();
        truth = generator.truth();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    static LookoutConfig config(String prefix, Path db) {
        return LookoutConfig.defaults()
                .with("kafka.bootstrap", kafka.bootstrapServers())
                .with("kafka.topic_prefix", prefix)
                .with("db", db.toString())
                .with("checkpoint.interval", "PT0.3S")
                .with("checkpoint.dir", dir.resolve(prefix + "-checkpoints").toString());
    }

    static void publish(LookoutConfig config, List<String> part) {
        try (KafkaPublisher publisher = new KafkaPublisher(config)) {
            for (String line : part) {
                publisher.publish(line.getBytes(StandardCharsets.UTF_8));
            }
            publisher.flush();
        }
    }

    static JobClient startJob(LookoutConfig config, boolean stopAtLatest, String restoreFrom) throws Exception {
        StreamExecutionEnvironment env = Environments.create(Environments.streaming(config, restoreFrom), 2);
        KafkaJob.build(env, config, KEY, OffsetsInitializer.earliest(), stopAtLatest, false);
        return env.executeAsync("lookout test");
    }

    static void runToEnd(LookoutConfig config) throws Exception {
        startJob(config, true, null).getJobExecutionResult().get();
    }

    @Test
    void countsExactlyFromKafkaAndKeepsRawBadRecordsOnlyInTheRestrictedTopic() throws Exception {
        Path db = dir.resolve("e2e.duckdb");
        LookoutConfig config = config("e2e", db);
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), KafkaTopics.inputs(config), 2);
        publish(config, lines);
        runToEnd(config);

        assertEquals(truth.daily(), BackfillTest.read(db, "day"));
        assertEquals(truth.hourly(), BackfillTest.read(db, "hour"));
        assertEquals(Db.query(db, "SELECT signal, sum(count) FROM area_counts WHERE granularity = 'day' GROUP BY 1 ORDER BY 1"),
                Db.query(db, "SELECT signal, sum(reports) FROM reporting_delays GROUP BY 1 ORDER BY 1"),
                "every counted event once in its signal's reporting triangle");
        assertEquals(0, Db.count(db, "SELECT count(*) FROM nowcasts n JOIN area_counts c ON c.granularity = 'day'"
                + " AND c.area_id = n.area_id AND c.signal = n.signal AND (c.bucket_start AT TIME ZONE 'America/Toronto')::DATE"
                + " = n.period_start WHERE n.granularity = 'day' AND n.reported <> c.count"), "the streaming job's nowcasts");
        assertTrue(Db.count(db, "SELECT count(*) FROM nowcasts") > 0);
        Map<String, Integer> reasons = new HashMap<>();
        for (String row : Db.query(db, "SELECT reason, count(*) FROM dead_letters GROUP BY reason")) {
            String[] f = row.split("\\|");
            reasons.merge(f[0].startsWith("unparseable_timestamp:") ? "unparseable_timestamp" : f[0], Integer.parseInt(f[1]), Integer::sum);
        }
        assertEquals(Map.of(
                "not_json_or_avro", truth.badByKind().get(BadKind.NOT_JSON),
                "unknown_source", truth.badByKind().get(BadKind.UNKNOWN_SOURCE),
                "missing_field:event_id", truth.badByKind().get(BadKind.MISSING_EVENT_ID),
                "unparseable_timestamp", truth.badByKind().get(BadKind.BAD_TIMESTAMP),
                "coordinates_out_of_range", truth.badByKind().get(BadKind.COORDINATES_OUT_OF_RANGE)), reasons);
        assertTrue(Db.query(db, "SELECT DISTINCT split_part(position, '/', 1) FROM dead_letters").stream()
                .allMatch(t -> t.startsWith("e2e.")), "positions name topic/partition/offset");

        List<ConsumerRecord<byte[], byte[]>> raw = Topics.readAll(kafka.bootstrapServers(), KafkaTopics.deadLetters(config));
        assertEquals(truth.badRecords(), raw.size());
        TreeSet<String> rawPositions = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> r : raw) {
            String sha = new String(r.headers().lastHeader("sha256").value(), StandardCharsets.UTF_8);
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.value())), sha,
                    "the restricted topic holds each refused record exactly as received");
            rawPositions.add(new String(r.headers().lastHeader("position").value(), StandardCharsets.UTF_8) + "|"
                    + new String(r.headers().lastHeader("reason").value(), StandardCharsets.UTF_8));
        }
        assertEquals(new TreeSet<>(Db.query(db, "SELECT position, reason FROM dead_letters")), rawPositions);
    }

    @Test
    void aRunKilledMidStreamAndRestartedFromItsCheckpointEqualsAnUninterruptedRun() throws Exception {
        LookoutConfig reference = config("reference", dir.resolve("reference.duckdb"));
        KafkaCluster.ensureTopics(reference.kafkaBootstrap(), KafkaTopics.inputs(reference), 2);
        publish(reference, lines);
        runToEnd(reference);

        Path db = dir.resolve("restarted.duckdb");
        LookoutConfig config = config("restart", db);
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), KafkaTopics.inputs(config), 2);
        Thread producer = new Thread(() -> publishSlowly(config, lines, Duration.ofSeconds(6)));
        producer.start();
        JobClient first = startJob(config, false, null);
        List<Long> totalsSeen = readWhileWriting(db, Duration.ofSeconds(3), Duration.ofSeconds(60));
        first.cancel().get();
        producer.join();

        String checkpoint = latestCheckpoint(dir.resolve("restart-checkpoints"), first.getJobID())
                .orElseThrow(() -> new AssertionError("the killed run left no checkpoint"));
        // The restored sources keep the unbounded stopping offsets they were checkpointed with, so the restarted
        // job runs until it has caught up with the reference and is then stopped.
        JobClient restarted = startJob(config, false, checkpoint);
        List<String> expected = dump(reference.db());
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!expected.equals(dump(db)) && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        Thread.sleep(1500);
        restarted.cancel().get();

        List<String> actual = dump(db);
        assertEquals(List.of(), difference(expected, actual), "rows only in the uninterrupted run");
        assertEquals(List.of(), difference(actual, expected), "rows only in the restarted run");
        assertTrue(new TreeSet<>(totalsSeen).size() >= 2,
                "a reader saw the counts grow while the job was writing: " + totalsSeen);
    }

    @Test
    void anIdleTopicDoesNotHoldBackEventTimeOfTheOthers() throws Exception {
        LookoutConfig config = idleTopicsConfig("idle", "PT0.5S");
        Thread producer = paramedicCallsOverFourSeconds(config);
        producer.start();

        StreamExecutionEnvironment env = Environments.create(Environments.streaming(config, null), 1);
        IngestSettings settings = IngestSettings.of(config, KEY);
        long highest = 0;
        try (CloseableIterator<Long> watermarks = Inputs.kafka(env, config, settings, OffsetsInitializer.earliest(), false)
                .process(new CurrentWatermark()).executeAndCollect("idle topics")) {
            long firstEvent = Instant.parse("2026-03-03T00:00:00Z").toEpochMilli();
            while (highest < firstEvent && watermarks.hasNext()) {
                highest = Math.max(highest, watermarks.next());
            }
        }
        producer.join();
        assertTrue(highest >= Instant.parse("2026-03-03T00:00:00Z").toEpochMilli(),
                "event time advanced although four of five topics never received a record");
    }

    /**
     * The unrouted topic receives only records that are not JSON, one every 200 ms, the paramedic topic a week of
     * calls: event time follows the calls. Dead letters counted as the unrouted partition's activity before, and
     * held event time at the job's start for as long as they came; the idleness is short here so that only they
     * can hold it (the other empty topics are set aside after 2 s either way).
     */
    @Test
    void deadLettersOnATopicOfTheirOwnDoNotHoldBackEventTime() throws Exception {
        LookoutConfig config = idleTopicsConfig("garbage", "PT2S");
        Thread producer = paramedicCallsOverFourSeconds(config);
        AtomicBoolean reading = new AtomicBoolean(true);
        long garbageUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Thread garbage = new Thread(() -> {
            try (KafkaPublisher publisher = new KafkaPublisher(config)) {
                for (int k = 0; reading.get() && System.nanoTime() < garbageUntil; k++) {
                    publisher.publish(("not json " + k).getBytes(StandardCharsets.UTF_8));
                    publisher.flush();
                    Thread.sleep(200);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        garbage.start();

        StreamExecutionEnvironment env = Environments.create(Environments.streaming(config, null), 1);
        long highest = Long.MIN_VALUE;
        long firstEvent = Instant.parse("2026-03-03T00:00:00Z").toEpochMilli();
        // Judged while the dead letters still come, so each brings the current watermark and hasNext never waits long.
        long deadline = garbageUntil - Duration.ofSeconds(20).toNanos();
        try (CloseableIterator<Long> watermarks = Inputs.kafka(env, config, IngestSettings.of(config, KEY),
                OffsetsInitializer.earliest(), false).process(new CurrentWatermark())
                .executeAndCollect("dead letters")) {
            while (highest < firstEvent && System.nanoTime() < deadline && watermarks.hasNext()) {
                highest = Math.max(highest, watermarks.next());
            }
        } finally {
            reading.set(false);
        }
        producer.join();
        garbage.join();
        assertTrue(highest >= firstEvent, "event time advanced while the unrouted topic received a record that is"
                + " not JSON every 200 ms: " + highest);
    }

    /** The event-time tests' job: topics of their own, one partition each, the given idleness. */
    static LookoutConfig idleTopicsConfig(String prefix, String idleness) {
        LookoutConfig config = config(prefix, dir.resolve(prefix + ".duckdb")).with("watermark.idleness", idleness)
                .with("watermark.max_out_of_orderness", "PT1M");
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), KafkaTopics.inputs(config), 1);
        return config;
    }

    /** A thread, not started, that publishes the generated paramedic calls to their topic over four seconds. */
    static Thread paramedicCallsOverFourSeconds(LookoutConfig config) {
        List<String> paramedicOnly = lines.stream().filter(l -> l.contains("\"source\":\"paramedic\"")).toList();
        return new Thread(() -> publishSlowly(config, paramedicOnly, Duration.ofSeconds(4)));
    }

    /** Emits the operator's watermark as each record passes. */
    static final class CurrentWatermark extends ProcessFunction<IngestResult, Long> {
        @Override
        public void processElement(IngestResult value, Context ctx, Collector<Long> out) {
            out.collect(ctx.timerService().currentWatermark());
        }
    }

    /**
     * Reads the published file as an analyst would while the job writes, and asserts that every snapshot read is
     * consistent (its hour and day counts agree) and that counts never go backwards. It reads every 100 ms for at
     * least {@code atLeast}, and on until it has seen the counts grow (a loaded machine can take longer to publish
     * the first checkpoint) or {@code atMost} has passed.
     */
    static List<Long> readWhileWriting(Path db, Duration atLeast, Duration atMost) throws Exception {
        List<Long> totals = new ArrayList<>();
        long start = System.nanoTime();
        while (System.nanoTime() - start < atLeast.toNanos()
                || (new TreeSet<>(totals).size() < 2 && System.nanoTime() - start < atMost.toNanos())) {
            if (Files.exists(db)) {
                List<String> byCell = Db.query(db, "SELECT area_id, signal, sum(count) FILTER (granularity = 'hour'),"
                        + " sum(count) FILTER (granularity = 'day') FROM area_counts GROUP BY ALL");
                long total = 0;
                for (String row : byCell) {
                    String[] f = row.split("\\|");
                    assertEquals(f[2], f[3], "hour and day counts of one snapshot agree for " + f[0] + "/" + f[1]);
                    total += Long.parseLong(f[3]);
                }
                if (!totals.isEmpty()) {
                    assertTrue(total >= totals.get(totals.size() - 1), "counts never go backwards");
                }
                totals.add(total);
            }
            Thread.sleep(100);
        }
        return totals;
    }

    static void publishSlowly(LookoutConfig config, List<String> part, Duration over) {
        int chunks = 30;
        int size = (part.size() + chunks - 1) / chunks;
        for (int i = 0; i < part.size(); i += size) {
            publish(config, part.subList(i, Math.min(part.size(), i + size)));
            try {
                Thread.sleep(over.toMillis() / chunks);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static List<String> difference(List<String> a, List<String> b) {
        List<String> rest = new ArrayList<>(a);
        b.forEach(rest::remove);
        return rest;
    }

    static Optional<String> latestCheckpoint(Path checkpoints, JobID job) throws IOException {
        try (Stream<Path> dirs = Files.list(checkpoints.resolve(job.toHexString()))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> Files.exists(d.resolve("_metadata")))
                    .max(Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString().substring(4))))
                    .map(d -> d.toUri().toString());
        }
    }

    static List<String> dump(Path db) throws Exception {
        List<String> rows = new ArrayList<>();
        rows.addAll(Db.query(db, "SELECT * FROM areas ORDER BY ALL"));
        // The combined signal counts a linked pair at the time of whichever report arrived first, and which one
        // that is depends on how two topics interleave, which differs between any two live runs.
        rows.addAll(Db.query(db, "SELECT granularity, bucket_start, area_id, signal, count FROM area_counts"
                + " WHERE signal <> 'combined' ORDER BY ALL"));
        rows.addAll(Db.query(db, "SELECT granularity, sum(count) FROM area_counts WHERE signal = 'combined'"
                + " GROUP BY ALL ORDER BY ALL"));
        rows.addAll(Db.query(db, "SELECT source, reason FROM dead_letters ORDER BY ALL"));
        rows.addAll(Db.query(db, "SELECT * EXCLUDE (updated_at) FROM substance_counts ORDER BY ALL"));
        rows.addAll(Db.query(db, "SELECT * EXCLUDE (updated_at) FROM drug_checking_samples ORDER BY ALL"));
        rows.addAll(Db.query(db, "SELECT * EXCLUDE (updated_at) FROM reporting_delays WHERE signal <> 'combined'"
                + " ORDER BY ALL"));
        rows.addAll(Db.query(db, "SELECT * FROM nowcasts WHERE signal <> 'combined' ORDER BY ALL"));
        return rows;
    }
}
