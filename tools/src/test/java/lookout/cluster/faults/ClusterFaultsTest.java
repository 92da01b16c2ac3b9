package lookout.cluster.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import lookout.cluster.FlinkCluster;
import lookout.cluster.KafkaBroker;
import lookout.cluster.LookoutOnCluster;
import lookout.cluster.SharedCluster;
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
 * checkpoint disk, and a stream in which every tenth record is poison. The {@link SharedCluster}'s broker JVM and
 * Flink session cluster (a JobManager and two TaskManager JVMs) serve every test. One uninterrupted run reads the
 * generated feed as a backlog; each faulted run reads the same records from topics of its own while a
 * {@link LiveFeed} writes them at a fixed rate, so the fault lands mid-stream on any machine, and once it has read
 * them all its published tables must equal the uninterrupted run's row for row ({@link PublishedTables}): nothing
 * lost, nothing counted twice.
 */
@Timeout(900)
@ExtendWith(SharedCluster.Extension.class)
@Execution(ExecutionMode.CONCURRENT)
@Order(1)
@ResourceLock(SharedCluster.CHILD_JVMS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterFaultsTest {
    /** The topics the uninterrupted run reads. */
    private static final String BACKLOG = "faults";
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(240);
    /** How long a faulted run's feed lasts: the fault lands within it. */
    private static final Duration FEED = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    KafkaBroker broker;
    FlinkCluster cluster;
    String jar;
    PoisonStream backlog;
    /** The published database of the uninterrupted run over {@link #BACKLOG}. */
    Path reference;
    long referenceEvents;
    long referenceDeadLetters;

    @BeforeAll
    void runTheUninterruptedReference() throws Exception {
        SharedCluster shared = SharedCluster.get();
        broker = shared.broker();
        cluster = shared.cluster();
        jar = shared.jar();

        backlog = PoisonStream.generate(5, 10, 8.0);
        Path file = LookoutOnCluster.writeConfig(dir, BACKLOG, broker, Map.of());
        LookoutConfig config = LookoutConfig.load(file);
        createTopics(config);
        LiveFeed.publishAll(config, backlog.records());
        String job = LookoutOnCluster.submitRun(cluster, jar, file, true, null);
        cluster.awaitJobState(job, Set.of("FINISHED"), RUN_TIMEOUT);
        reference = config.db();
        assertEquals(backlog.truth().daily(), counts(reference, "day"), "the uninterrupted run counts every valid event once");
        assertEquals(backlog.deadLetters(), deadLetters(reference), "and refuses every poison record once");
        referenceEvents = dailyTotal(reference);
        referenceDeadLetters = deadLetterTotal(reference);
        PublishedTables tables = PublishedTables.read(reference);
        for (String table : List.of("area_counts", "dead_letters", "substance_counts",
                "reporting_delays", "nowcasts")) {
            assertTrue(tables.size(table) > 0, "the comparison covers rows of " + table);
        }
        System.out.printf("uninterrupted run over %,d records (%,d poison): %s%n", backlog.records().size(),
                backlog.poison(), tables.sizes());
    }

    /** A faulted run: its job, config and the feed of its topics. */
    private final class LiveRun implements AutoCloseable {
        final Path file;
        final LookoutConfig config;
        final LiveFeed feed;
        String job;

        LiveRun(Path file, LookoutConfig config, String job) {
            this.file = file;
            this.config = config;
            this.job = job;
            this.feed = LiveFeed.start(config, backlog.records(), FEED);
        }

        /**
         * Asserts that the fault comes mid-stream: the run has published some of the records and not all of them,
         * and the feed is still sending. Returns the events published so far.
         */
        long assertMidStream() throws Exception {
            long published = dailyTotal(config.db());
            assertTrue(feed.feeding(), "the feed was still on at the fault (" + feed.sent() + " records sent)");
            assertTrue(published > 0 && published < referenceEvents,
                    "the fault came mid-stream: " + published + " of " + referenceEvents + " events published");
            return published;
        }

        /**
         * Once the feed has ended, waits until the run has published every record, then for two more checkpoints
         * (a batch committed twice would show), compares every table with the uninterrupted run's and cancels.
         */
        void assertSameTablesAsTheUninterruptedRun() throws Exception {
            try {
                feed.awaitEnd();
            } catch (AssertionError e) {
                // The feed's producer only says a batch expired; the broker's warnings say why it was not taken.
                throw new AssertionError(e.getMessage() + "; the broker " + broker.process() + " logged last:\n"
                        + broker.process().tail(40), e.getCause());
            }
            if (within(RUN_TIMEOUT, () -> dailyTotal(config.db()) >= referenceEvents
                    && deadLetterTotal(config.db()) >= referenceDeadLetters)) {
                cluster.awaitCheckpoints(job, cluster.completedCheckpoints(job) + 2, RUN_TIMEOUT);
            }
            // Also when the run never caught up: the differences name what was lost.
            PublishedTables.assertSame(reference, config.db());
            cluster.cancel(job, RUN_TIMEOUT);
        }

        @Override
        public void close() throws Exception {
            feed.close();
            if (cluster.jobState(job).filter(s -> s.equals("RUNNING") || s.equals("RESTARTING")).isPresent()) {
                cluster.cancel(job, RUN_TIMEOUT);
            }
        }
    }

    /**
     * Submits a run of the job over topics of its own (named after the run) with {@code settings}, unbounded, and
     * starts their feed once every task runs.
     */
    private LiveRun startLiveRun(String name, Map<String, String> settings) throws Exception {
        Path file = LookoutOnCluster.writeConfig(dir, name, broker, settings);
        LookoutConfig config = LookoutConfig.load(file);
        createTopics(config);
        String job = LookoutOnCluster.submitRun(cluster, jar, file, false, null);
        cluster.awaitAllTasksRunning(job, RUN_TIMEOUT);
        return new LiveRun(file, config, job);
    }

    /** Creates the run's input topics with the {@link LiveFeed#PARTITIONS} partitions every feed places records in. */
    private static void createTopics(LookoutConfig config) {
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), KafkaTopics.inputs(config), LiveFeed.PARTITIONS);
    }

    /** Waits until the run has published its first counts. */
    private void awaitFirstCounts(LiveRun run) throws Exception {
        awaitTrue("the first published counts of " + run.job, RUN_TIMEOUT, () -> dailyTotal(run.config.db()) > 0);
    }

    @Test
    void aBrokerKilledAndStartedAgainMidStreamLosesAndDoublesNothing() throws Exception {
        try (LiveRun run = startLiveRun("broker-restart", Map.of())) {
            awaitFirstCounts(run);
            long before = run.assertMidStream();

            broker.kill();
            Thread.sleep(3000);
            broker.startAgain();

            run.assertSameTablesAsTheUninterruptedRun();
            System.out.printf("broker killed and restarted after %,d published events: the job restarted %d times%n",
                    before, restarts(run.job));
        }
    }

    /**
     * The broker frozen (SIGSTOP: its connections stay open and nothing is answered, as behind a network partition)
     * for three times the job's Kafka request timeout, then resumed: requests time out and are retried, and the job
     * reads on from where it was.
     */
    @Test
    void aBrokerUnreachableForLongerThanTheRequestTimeoutLosesAndDoublesNothing() throws Exception {
        Duration requestTimeout = Duration.ofSeconds(5);
        Duration outage = requestTimeout.multipliedBy(3);
        try (LiveRun run = startLiveRun("broker-unreachable", Map.of(
                "kafka.properties.request.timeout.ms", Long.toString(requestTimeout.toMillis())))) {
            awaitFirstCounts(run);
            long before = run.assertMidStream();

            long pid = broker.process().pid();
            Signals.stop(pid);
            try {
                Thread.sleep(outage.toMillis());
            } finally {
                Signals.resume(pid);
            }

            run.assertSameTablesAsTheUninterruptedRun();
            System.out.printf("broker unreachable for %d s (request timeout %d s) after %,d published events:"
                    + " the job restarted %d times%n", outage.toSeconds(), requestTimeout.toSeconds(), before,
                    restarts(run.job));
        }
    }

    /**
     * The committer applies a completed checkpoint's batch to {@code DB.writer} in one DuckDB transaction that also
     * records the batch, then copies the tables to {@code DB.publishing} and renames it over {@code DB}. The process
     * is stopped the moment {@code DB.publishing} appears and killed if the rename has not happened: the batch is in
     * the writer's file, readers do not see it, and Flink, which never heard that the commit ended, offers it again
     * from the checkpoint when the job restarts. Applied twice, its counts would double.
     */
    @Test
    void theDuckDbWriterKilledBetweenACheckpointAndItsCommitLosesAndDoublesNothing() throws Exception {
        String name = "writer-killed";
        Path db = dir.resolve(name).resolve("lookout.duckdb");
        Path publishing = db.resolveSibling(db.getFileName() + ".publishing");
        Files.createDirectories(db.getParent());
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            db.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            try (LiveRun run = startLiveRun(name, Map.of())) {
                int writer = taskManagerIndex(cluster.taskManagersOf(run.job, "DuckDB"));
                long pid = cluster.taskManager(writer).pid();
                long before = -1;
                int publications = 0;
                while (before < 0) {
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
                            before = run.assertMidStream();
                        } else {
                            Signals.resume(pid);
                        }
                    }
                }
                cluster.killTaskManager(writer);
                assertTrue(Files.exists(publishing), "killed while the commit was being published");

                cluster.startTaskManager();
                run.assertSameTablesAsTheUninterruptedRun();
                assertFalse(Files.exists(publishing), "the restored writer replaced the half-written copy");
                System.out.printf("DuckDB writer killed during a commit after %,d published events (publication %d):"
                        + " the job restarted %d times%n", before, publications, restarts(run.job));
            }
        }
    }

    /**
     * Checkpoints on a filesystem of their own that is filled up mid-stream: the job fails with an error naming the
     * full disk, the last completed checkpoint stays restorable, the published database stays readable and
     * consistent, and resuming from that checkpoint once there is room gives every table of the uninterrupted run.
     */
    @Test
    void aFullCheckpointDiskFailsClearlyAndTheLastGoodCheckpointRestoresEveryCount() throws Exception {
        SmallDisk.assumeRootCanMount();
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("small-disk"), 64);
             LiveRun run = startLiveRun("disk-full", Map.of("checkpoint.dir", disk.dir().resolve("checkpoints").toString()))) {
            awaitFirstCounts(run);
            cluster.awaitCheckpoints(run.job, 2, RUN_TIMEOUT);
            long before = run.assertMidStream();

            disk.fill();
            cluster.awaitJobState(run.job, Set.of("FAILED"), RUN_TIMEOUT);
            String failure = failures(run.job);
            assertTrue(failure.contains("Exceeded checkpoint tolerable failure threshold"),
                    "the job failed because it could not checkpoint: " + failure);
            String cause = firstLogLine("No space left on device");
            String lastGood = cluster.latestCheckpoint(run.job).orElseThrow(() -> new AssertionError("no completed checkpoint"));
            assertTrue(Files.exists(Path.of(java.net.URI.create(lastGood)).resolve("_metadata")), lastGood);

            PublishedTables.read(run.config.db());
            assertConsistent(run.config.db());
            long published = dailyTotal(run.config.db());
            assertTrue(published < referenceEvents, "the disk filled mid-stream: " + published + " events published");

            disk.empty();
            String failed = run.job;
            run.job = LookoutOnCluster.submitRun(cluster, jar, run.file, false, lastGood);
            run.assertSameTablesAsTheUninterruptedRun();
            System.out.printf("checkpoint disk full after %,d published events (%,d when the job failed): %d failures,"
                    + " the last one final; the log: %s; resumed from %s%n", before, published, restarts(failed), cause,
                    lastGood);
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
        Path file = LookoutOnCluster.writeConfig(dir, "poison", broker, Map.of());
        LookoutConfig config = LookoutConfig.load(file);
        createTopics(config);
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

    /** The first line of the cluster's logs holding {@code text}, with the log's name; fails if none does. */
    private String firstLogLine(String text) throws Exception {
        try (java.util.stream.Stream<Path> logs = Files.list(cluster.dir().resolve("log"))) {
            for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).contains(text)) {
                        return log.getFileName() + ": " + lines.get(i).strip();
                    }
                }
            }
        }
        throw new AssertionError("no log of the cluster says \"" + text + "\"");
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
        if (!within(timeout, condition)) {
            throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
        }
    }

    /** Whether {@code condition} holds within {@code timeout}, polled every 200 ms. */
    private static boolean within(Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }
}
