package lookout.cluster.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import lookout.cluster.FlinkCluster;
import lookout.cluster.KafkaBroker;
import lookout.cluster.LookoutOnCluster;
import lookout.config.KafkaTopics;
import lookout.config.LookoutConfig;
import lookout.demo.DemoStreamGenerator.CountKey;
import lookout.ingest.KafkaCluster;
import lookout.ingest.Source;
import lookout.replay.KafkaPublisher;
import lookout.testing.Db;

/**
 * Faults of a real multi-process deployment other than a lost TaskManager or JobManager (see lookout.cluster): the
 * broker restarted or unreachable, the DuckDB writer's process killed between a checkpoint and its commit, a full
 * checkpoint disk, and a stream in which every tenth record is poison. One broker JVM and one Flink session
 * cluster (a JobManager and two TaskManager JVMs) serve every test; each run of the job has its own consumer group,
 * database and checkpoints. The faulted runs read the same topics as one uninterrupted run, so their published
 * tables must equal its tables row for row ({@link PublishedTables}): nothing lost, nothing counted twice.
 */
@Timeout(900)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterFaultsTest {
    /** The topics every faulted run and the uninterrupted run read. */
    private static final String BACKLOG = "faults";
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(240);
    /** How long a faulted run takes to read the backlog without a fault. */
    private static final Duration PACE = Duration.ofSeconds(25);

    @TempDir
    static Path dir;
    KafkaBroker broker;
    FlinkCluster cluster;
    String jar;
    PoisonStream backlog;
    /** The published database of the uninterrupted run over {@link #BACKLOG}. */
    Path reference;
    /** Bytes a second at which a faulted run reads the backlog in about {@link #PACE}. */
    long pace;

    @BeforeAll
    void startClusterAndRunTheUninterruptedReference() throws Exception {
        assumeTrue(Files.isRegularFile(LookoutOnCluster.jobJar()), "no job jar at " + LookoutOnCluster.jobJar());
        broker = KafkaBroker.start(dir.resolve("kafka"));
        cluster = FlinkCluster.in(dir.resolve("flink")).jobManagerEnv("LOOKOUT_PSEUDONYM_KEY", LookoutOnCluster.newKey())
                .start();
        jar = cluster.uploadJar(LookoutOnCluster.jobJar());

        backlog = PoisonStream.generate(5, 10, 8.0);
        LookoutConfig config = LookoutConfig.load(config("reference", Map.of()));
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), KafkaTopics.inputs(config), 2);
        try (KafkaPublisher publisher = new KafkaPublisher(config)) {
            backlog.records().forEach(publisher::publish);
            publisher.flush();
        }
        String job = LookoutOnCluster.submitRun(cluster, jar, config("reference", Map.of()), true, null);
        cluster.awaitJobState(job, Set.of("FINISHED"), RUN_TIMEOUT);
        pace = backlog.records().stream().mapToLong(r -> r.length).sum() / PACE.toSeconds();
        reference = config.db();
        assertEquals(backlog.truth().daily(), counts(reference, "day"), "the uninterrupted run counts every valid event once");
        assertEquals(backlog.deadLetters(), deadLetters(reference), "and refuses every poison record once");
        PublishedTables tables = PublishedTables.read(reference);
        for (String table : List.of("area_counts", "dead_letters", "substance_counts",
                "reporting_delays", "nowcasts")) {
            assertTrue(tables.size(table) > 0, "the comparison covers rows of " + table);
        }
        System.out.printf("uninterrupted run over %,d records (%,d poison): %s%n", backlog.records().size(),
                backlog.poison(), tables.sizes());
    }

    @AfterAll
    void stopClusterAndBroker() {
        if (cluster != null) {
            cluster.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** Writes the config of one run over the backlog's topics: its own consumer group, database and checkpoints. */
    private Path config(String run, Map<String, String> settings) throws Exception {
        Map<String, String> s = new HashMap<>(settings);
        s.put("kafka.topic_prefix", s.getOrDefault("kafka.topic_prefix", BACKLOG));
        return LookoutOnCluster.writeConfig(dir, run, broker, s);
    }

    /**
     * The config of a faulted run, which reads the backlog as a stream arriving over {@link #PACE} rather than as
     * fast as it can, so that the fault lands mid-stream on any machine: the broker holds every consumer to a byte
     * rate (a Kafka client quota) and the run fetches at most 16 KiB per partition at a time, so no single fetch
     * takes the whole backlog before the quota bites.
     */
    private Path pacedConfig(String run, Map<String, String> settings) throws Exception {
        Map<String, String> s = new HashMap<>(settings);
        s.put("kafka.properties.max.partition.fetch.bytes", "16384");
        s.put("kafka.properties.fetch.max.bytes", "65536");
        limitConsumers(pace);
        return config(run, s);
    }

    /** Every consumer of the broker may fetch {@code bytesPerSecond} at most (null: no limit). */
    private void limitConsumers(Long bytesPerSecond) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ClientQuotaEntity everyClient = new ClientQuotaEntity(java.util.Collections.singletonMap(ClientQuotaEntity.CLIENT_ID, null));
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(everyClient,
                    List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", bytesPerSecond == null ? null : bytesPerSecond.doubleValue()))))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBrokerKilledAndStartedAgainMidStreamLosesAndDoublesNothing() throws Exception {
        Path file = pacedConfig("broker-restart", Map.of());
        LookoutConfig config = LookoutConfig.load(file);
        String job = LookoutOnCluster.submitRun(cluster, jar, file, true, null);
        awaitMidStream(job, config.db());

        broker.kill();
        Thread.sleep(3000);
        broker.startAgain();

        cluster.awaitJobState(job, Set.of("FINISHED"), RUN_TIMEOUT);
        System.out.printf("broker killed and restarted: the job restarted %d times%n", restarts(job));
        PublishedTables.assertSame(reference, config.db());
    }

    @Test
    @Disabled("not yet mid-stream: the paced read (a client quota) let the job read the whole backlog before the"
            + " fault; see docs/RELIABILITY.md, \"The cluster\"")
    void aBrokerUnreachableForLongerThanTheRequestTimeoutLosesAndDoublesNothing() throws Exception {
        Duration requestTimeout = Duration.ofSeconds(5);
        Path file = pacedConfig("broker-unreachable", Map.of(
                "kafka.properties.request.timeout.ms", Long.toString(requestTimeout.toMillis())));
        LookoutConfig config = LookoutConfig.load(file);
        String job = LookoutOnCluster.submitRun(cluster, jar, file, true, null);
        awaitMidStream(job, config.db());

        long pid = broker.process().pid();
        long totalBefore = dailyTotal(config.db());
        Signals.stop(pid);
        try {
            Thread.sleep(requestTimeout.multipliedBy(3).toMillis());
        } finally {
            Signals.resume(pid);
        }

        cluster.awaitJobState(job, Set.of("FINISHED"), RUN_TIMEOUT);
        System.out.printf("broker unreachable for %d s (request timeout %d s) after %,d events: the job restarted %d times%n",
                requestTimeout.multipliedBy(3).toSeconds(), requestTimeout.toSeconds(), totalBefore, restarts(job));
        PublishedTables.assertSame(reference, config.db());
    }

    /**
     * The committer applies a completed checkpoint's batch to {@code DB.writer} in one DuckDB transaction that also
     * records the batch, then copies the tables to {@code DB.publishing} and renames it over {@code DB}. The process
     * is stopped the moment {@code DB.publishing} appears and killed if the rename has not happened: the batch is in
     * the writer's file, readers do not see it, and Flink, which never heard that the commit ended, offers it again
     * from the checkpoint when the job restarts. Applied twice, its counts would double.
     */
    @Test
    @Disabled("not yet mid-stream: the paced read (a client quota) let the job read the whole backlog before the"
            + " fault; see docs/RELIABILITY.md, \"The cluster\"")
    void theDuckDbWriterKilledBetweenACheckpointAndItsCommitLosesAndDoublesNothing() throws Exception {
        Path file = pacedConfig("writer-killed", Map.of());
        LookoutConfig config = LookoutConfig.load(file);
        Path db = config.db();
        Path publishing = db.resolveSibling(db.getFileName() + ".publishing");
        Files.createDirectories(db.getParent());
        String job;
        int writer;
        long publishedBefore;
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            db.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            job = LookoutOnCluster.submitRun(cluster, jar, file, true, null);
            cluster.awaitAllTasksRunning(job, RUN_TIMEOUT);
            writer = taskManagerIndex(cluster.taskManagersOf(job, "DuckDB"));
            long pid = cluster.taskManager(writer).pid();
            int publications = 0;
            while (true) {
                WatchKey key = watch.poll(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                assertTrue(key != null, "the writer published nothing for " + RUN_TIMEOUT.toSeconds() + " s");
                boolean created = false;
                for (WatchEvent<?> e : key.pollEvents()) {
                    created |= publishing.getFileName().equals(e.context());
                }
                key.reset();
                // The first publication is the committer's start; later ones follow commits.
                if (created && ++publications >= 3) {
                    Signals.stop(pid);
                    if (Files.exists(publishing)) {
                        publishedBefore = dailyTotal(db);
                        break;
                    }
                    Signals.resume(pid);
                }
            }
        }
        cluster.killTaskManager(writer);
        assertTrue(Files.exists(publishing), "killed while the commit was being published");
        assertTrue(publishedBefore < dailyTotal(reference), "killed mid-stream: " + publishedBefore + " events published");

        cluster.startTaskManager();
        cluster.awaitJobState(job, Set.of("FINISHED"), RUN_TIMEOUT);
        System.out.printf("DuckDB writer killed during a commit after %,d published events: the job restarted %d times%n",
                publishedBefore, restarts(job));
        PublishedTables.assertSame(reference, db);
        assertFalse(Files.exists(publishing), "the restored writer replaced the half-written copy");
    }

    /**
     * Checkpoints on a filesystem of their own that is filled up mid-stream: the job fails with an error naming the
     * full disk, the last completed checkpoint stays restorable, the published database stays readable and
     * consistent, and resuming from that checkpoint once there is room gives every table of the uninterrupted run.
     */
    @Test
    @Disabled("not yet mid-stream: the paced read (a client quota) let the job read the whole backlog before the"
            + " fault; see docs/RELIABILITY.md, \"The cluster\"")
    void aFullCheckpointDiskFailsClearlyAndTheLastGoodCheckpointRestoresEveryCount() throws Exception {
        assumeTrue(SmallDisk.rootCanMount(), "a full disk needs a small filesystem of its own, which only root may mount;"
                + " this test runs where the tests run as root (CI)");
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("small-disk"), 64)) {
            Path file = pacedConfig("disk-full", Map.of("checkpoint.dir", disk.dir().resolve("checkpoints").toString()));
            LookoutConfig config = LookoutConfig.load(file);
            String job = LookoutOnCluster.submitRun(cluster, jar, file, true, null);
            awaitMidStream(job, config.db());
            cluster.awaitCheckpoints(job, 2, RUN_TIMEOUT);

            disk.fill();
            cluster.awaitJobState(job, Set.of("FAILED"), RUN_TIMEOUT);
            String failure = failures(job);
            assertTrue(failure.contains("No space left on device"), "the job's failure names the full disk: " + failure);
            String lastGood = cluster.latestCheckpoint(job).orElseThrow(() -> new AssertionError("no completed checkpoint"));
            assertTrue(Files.exists(Path.of(java.net.URI.create(lastGood)).resolve("_metadata")), lastGood);

            PublishedTables.read(config.db());
            assertConsistent(config.db());
            long published = dailyTotal(config.db());
            assertTrue(published < dailyTotal(reference), "the disk filled mid-stream: " + published + " events published");

            disk.empty();
            String resumed = LookoutOnCluster.submitRun(cluster, jar, file, true, lastGood);
            cluster.awaitJobState(resumed, Set.of("FINISHED"), RUN_TIMEOUT);
            System.out.printf("checkpoint disk full after %,d published events: restarted %d times, then failed;"
                    + " resumed from %s%n", published, restarts(job), lastGood);
            PublishedTables.assertSame(reference, config.db());
        }
    }

    /**
     * 20,000 records a second, every tenth one poison, offered to a running job: each poison record becomes exactly
     * one dead letter, every valid event is counted once, and the job never fails or restarts. How fast the job got
     * through the stream is printed, not asserted: the machine is shared.
     */
    @Test
    void aTenthOfA20000PerSecondStreamPoisonedBecomesDeadLettersWithoutARestart() throws Exception {
        PoisonStream stream = PoisonStream.generate(7, 60, 20.0);
        limitConsumers(null);
        Path file = config("poison", Map.of("kafka.topic_prefix", "poison"));
        LookoutConfig config = LookoutConfig.load(file);
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), KafkaTopics.inputs(config), 2);
        String job = LookoutOnCluster.submitRun(cluster, jar, file, false, null);
        cluster.awaitAllTasksRunning(job, RUN_TIMEOUT);

        int rate = 20_000;
        long start = System.nanoTime();
        try (KafkaPublisher publisher = new KafkaPublisher(config)) {
            List<byte[]> records = stream.records();
            int perTick = rate / 20;
            for (int i = 0; i < records.size(); i++) {
                publisher.publish(records.get(i));
                if ((i + 1) % perTick == 0) {
                    long due = start + (i + 1) * 1_000_000_000L / rate;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            }
            publisher.flush();
        }
        double offeredSeconds = (System.nanoTime() - start) / 1e9;
        int expected = stream.poison();
        awaitTrue("every record of the poison stream counted", RUN_TIMEOUT, () -> deadLetterTotal(config.db()) == expected
                && dailyTotal(config.db()) == stream.truth().validEvents());
        double doneSeconds = (System.nanoTime() - start) / 1e9;
        int restarts = restarts(job);
        String failures = failures(job);
        cluster.cancel(job, RUN_TIMEOUT);

        System.out.printf("poison stream: %,d records (%,d poison, %.1f %%) offered in %.1f s (%,.0f records/s);"
                + " the job had published all of them %.1f s after the first, %,.0f records/s, load average %.1f%n",
                stream.records().size(), expected, 100.0 * expected / stream.records().size(), offeredSeconds,
                stream.records().size() / offeredSeconds, doneSeconds, stream.records().size() / doneSeconds,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        assertEquals(0, restarts, "the job never restarted: " + failures);
        assertEquals("", failures, "the job never failed");
        assertEquals(stream.deadLetters(), deadLetters(config.db()), "one dead letter per poison record, by reason");
    }

    /** Waits until the job has published some of the backlog and not all of it. */
    private void awaitMidStream(String job, Path db) throws Exception {
        long all = dailyTotal(reference);
        awaitTrue("the first published counts of " + job, RUN_TIMEOUT, () -> dailyTotal(db) > 0);
        long now = dailyTotal(db);
        assertTrue(now < all, "the job had published the whole backlog (" + now + " events) before the fault");
    }

    /** How often the job failed and was restarted: the failures the JobManager recorded for it. */
    private int restarts(String job) {
        return cluster.get("/jobs/" + job + "/exceptions").orElseThrow().path("exceptionHistory").path("entries").size();
    }

    /** Every failure the JobManager recorded for the job, root causes with their stack traces; empty if none. */
    private String failures(String job) {
        JsonNode e = cluster.get("/jobs/" + job + "/exceptions").orElseThrow();
        StringBuilder all = new StringBuilder();
        for (JsonNode entry : e.path("exceptionHistory").path("entries")) {
            all.append(entry.path("stacktrace").asText()).append('\n');
        }
        return all.toString().strip();
    }

    private static int taskManagerIndex(List<String> resourceIds) {
        assertEquals(1, resourceIds.size(), "one DuckDB writer: " + resourceIds);
        return Integer.parseInt(resourceIds.get(0).substring("taskmanager-".length()));
    }

    /** Every snapshot a reader opens is one committed checkpoint: each cell's hourly counts add up to its daily. */
    private static void assertConsistent(Path db) throws Exception {
        List<String> cells = Db.query(db, "SELECT area_id, signal, sum(count) FILTER (granularity = 'hour'),"
                + " sum(count) FILTER (granularity = 'day') FROM area_counts GROUP BY ALL");
        for (String row : cells) {
            String[] f = row.split("\\|");
            assertEquals(f[2], f[3], "hour and day counts of one snapshot agree for " + f[0] + "/" + f[1]);
        }
    }

    private static long dailyTotal(Path db) throws Exception {
        return Files.exists(db) ? Db.count(db, "SELECT coalesce(sum(count), 0) FROM area_counts"
                + " WHERE granularity = 'day' AND signal <> 'combined'") : 0;
    }

    private static long deadLetterTotal(Path db) throws Exception {
        return Files.exists(db) ? Db.count(db, "SELECT count(*) FROM dead_letters") : 0;
    }

    private static Map<String, Integer> deadLetters(Path db) throws Exception {
        Map<String, Integer> reasons = new TreeMap<>();
        for (String row : Db.query(db, "SELECT reason, count(*) FROM dead_letters GROUP BY reason")) {
            String[] f = row.split("\\|");
            reasons.merge(PoisonStream.reasonGroup(f[0]), Integer.parseInt(f[1]), Integer::sum);
        }
        return reasons;
    }

    private static Map<CountKey, Integer> counts(Path db, String granularity) throws Exception {
        Map<CountKey, Integer> counts = new HashMap<>();
        for (String row : Db.query(db, "SELECT signal, area_id, epoch(bucket_start)::BIGINT, count FROM area_counts"
                + " WHERE granularity = '" + granularity + "' AND signal <> 'combined'")) {
            String[] f = row.split("\\|");
            counts.put(new CountKey(Source.fromCode(f[0]).orElseThrow(), f[1],
                    java.time.Instant.ofEpochSecond(Long.parseLong(f[2]))), Integer.parseInt(f[3]));
        }
        return counts;
    }

    private static void awaitTrue(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(200);
        }
    }
}
