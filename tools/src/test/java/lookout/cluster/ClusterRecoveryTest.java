package lookout.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import lookout.config.KafkaTopics;
import lookout.config.LookoutConfig;
import lookout.ingest.KafkaCluster;
import lookout.sink.LookoutDatabase;

/**
 * Processes of the real cluster die or are stopped mid-stream, and the DuckDB tables still equal those of an
 * uninterrupted run over the same stream: nothing lost, nothing counted twice. The {@link SharedCluster} and one
 * uninterrupted reference run serve the class; each test uses its own topics, consumer group, database and
 * checkpoints, and leaves the cluster as it found it (a JobManager and two TaskManagers).
 */
@Timeout(300)
@ExtendWith(SharedCluster.Extension.class)
@Execution(ExecutionMode.CONCURRENT)
@Order(2)
@ResourceLock(SharedCluster.CHILD_JVMS)
class ClusterRecoveryTest {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    static KafkaBroker broker;
    static FlinkCluster cluster;
    static GeneratedStream stream;
    static List<String> reference;

    @BeforeAll
    static void runTheUninterruptedReference() throws Exception {
        SharedCluster shared = SharedCluster.get();
        broker = shared.broker();
        cluster = shared.cluster();
        stream = GeneratedStream.eightDays();

        LookoutConfig config = topics("reference", Map.of());
        LookoutOnCluster.publish(config, stream.lines);
        String job = LookoutOnCluster.submitRun(cluster, jar(), dir.resolve("reference.properties"), true, null);
        cluster.awaitJobState(job, Set.of("FINISHED"), JOB_TIMEOUT);
        reference = Tables.dump(config.db());
        assertEquals(stream.truth.daily(), Tables.counts(config.db(), "day"), "the uninterrupted run counts exactly");
    }

    @AfterEach
    void restoreCluster() throws Exception {
        if (!cluster.jobManager().isAlive()) {
            cluster.startJobManager();
        }
        for (int alive = cluster.aliveTaskManagers(); alive < 2; alive++) {
            cluster.startTaskManager();
        }
        cluster.awaitTaskManagers(2, Duration.ofSeconds(90));
    }

    /** Writes {@code NAME.properties} and creates its input topics with two partitions each. */
    static LookoutConfig topics(String name, Map<String, String> settings) throws Exception {
        LookoutConfig config = LookoutConfig.load(LookoutOnCluster.writeConfig(dir, name, broker, settings));
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), KafkaTopics.inputs(config), 2);
        return config;
    }

    /** Publishes the stream over 12 s in the background. */
    static Thread publishInBackground(LookoutConfig config) {
        Thread producer = new Thread(() -> stream.publishSlowly(config, Duration.ofSeconds(12)), "producer");
        producer.start();
        return producer;
    }

    /** Waits until the job has published a snapshot with some but not yet all of the stream counted. */
    static void awaitMidStream(LookoutConfig config) throws Exception {
        long all = stream.truth.daily().values().stream().mapToLong(Integer::longValue).sum();
        FlinkCluster.awaitCondition("a published snapshot mid-stream", JOB_TIMEOUT, () -> {
            try {
                return Tables.dailyTotal(config.db()) > 0;
            } catch (Exception e) {
                return false;
            }
        });
        long counted = Tables.dailyTotal(config.db());
        assertTrue(counted < all, "the fault comes mid-stream: " + counted + " of " + all + " counted");
    }

    /**
     * Waits until the published tables equal the reference, then for two more checkpoints (a late duplicate would
     * show), and compares them exactly; cancels the job.
     */
    static void assertSameTablesAsReference(LookoutConfig config, String job) throws Exception {
        FlinkCluster.awaitCondition("the tables of " + config.topicPrefix() + " to catch up with the reference",
                JOB_TIMEOUT, () -> {
                    try {
                        return Tables.dump(config.db()).equals(reference);
                    } catch (Exception e) {
                        return false;
                    }
                });
        cluster.awaitCheckpoints(job, cluster.completedCheckpoints(job) + 2, JOB_TIMEOUT);
        List<String> actual = Tables.dump(config.db());
        assertEquals(List.of(), Tables.difference(reference, actual), "rows only in the uninterrupted run");
        assertEquals(List.of(), Tables.difference(actual, reference), "rows only in the interrupted run");
        cluster.cancel(job, JOB_TIMEOUT);
    }

    /** The job jar's id: after the JobManager test, on the restarted JobManager. */
    static String jar() throws Exception {
        return SharedCluster.get().jar();
    }

    static int index(String taskManagerId) {
        return Integer.parseInt(taskManagerId.substring("taskmanager-".length()));
    }

    @Test
    void aTaskManagerKilledMidStreamIsReplacedByTheOtherFromTheLastCheckpoint() throws Exception {
        LookoutConfig config = topics("tm-loss", Map.of("state.backend", "rocksdb"));
        String job = LookoutOnCluster.submitRun(cluster, jar(), dir.resolve("tm-loss.properties"), false, null);
        cluster.awaitAllTasksRunning(job, JOB_TIMEOUT);
        Thread producer = publishInBackground(config);
        awaitMidStream(config);

        List<String> writer = cluster.taskManagersOf(job, "DuckDB");
        int victim = index(writer.get(0));
        String survivor = cluster.liveTaskManagers().stream().map(ChildJvm::name).filter(n -> !n.equals(writer.get(0)))
                .findFirst().orElseThrow();
        cluster.killTaskManager(victim);

        FlinkCluster.awaitCondition("the job restored from a checkpoint", JOB_TIMEOUT,
                () -> cluster.get("/jobs/" + job + "/checkpoints").map(c -> c.path("latest").path("restored").has("id"))
                        .orElse(false));
        cluster.awaitAllTasksRunning(job, JOB_TIMEOUT);
        assertEquals(List.of(survivor), cluster.taskManagersOf(job, "DuckDB"), "the writer moved to the surviving TaskManager");
        producer.join();
        assertSameTablesAsReference(config, job);
    }

    @Test
    void aJobManagerKilledAndRestartedWithoutHighAvailabilityResumesFromTheRetainedCheckpoint() throws Exception {
        LookoutConfig config = topics("jm-loss", Map.of());
        String job = LookoutOnCluster.submitRun(cluster, jar(), dir.resolve("jm-loss.properties"), false, null);
        cluster.awaitAllTasksRunning(job, JOB_TIMEOUT);
        Thread producer = publishInBackground(config);
        awaitMidStream(config);

        cluster.killJobManager();
        cluster.startJobManager();
        cluster.awaitTaskManagers(2, Duration.ofSeconds(90));
        assertEquals(Map.of(), cluster.jobs(), "without high availability the restarted JobManager knows no job");

        Path checkpoint = LookoutOnCluster.latestRetainedCheckpoint(config, job)
                .orElseThrow(() -> new AssertionError("the killed JobManager's job left no retained checkpoint"));
        // The TaskManagers cancel the old job's tasks on their own once they lose its JobManager; until the writer's
        // task has closed, its file is open and a new run is refused (as it must be while a job holds it).
        FlinkCluster.awaitCondition("the old job's writer closed", JOB_TIMEOUT, () -> LookoutDatabase.firstOfKind(
                config.db().toAbsolutePath(), LookoutDatabase.Kind.IN_USE).isEmpty());
        String resumed = LookoutOnCluster.submitRun(cluster, jar(),
                dir.resolve("jm-loss.properties"), false, checkpoint.toString());
        cluster.awaitAllTasksRunning(resumed, JOB_TIMEOUT);
        producer.join();
        assertSameTablesAsReference(config, resumed);
    }

    @Test
    void stoppedWithSavepointsAndResumedAtParallelismOneTwoAndFourTheTablesAreIdentical() throws Exception {
        LookoutConfig config = topics("rescale", Map.of("parallelism", "1"));
        Path conf = dir.resolve("rescale.properties");
        String job = LookoutOnCluster.submitRun(cluster, jar(), conf, false, null);
        cluster.awaitAllTasksRunning(job, JOB_TIMEOUT);
        assertEquals(1, maxParallelism(job));
        Thread producer = publishInBackground(config);
        awaitMidStream(config);

        for (int parallelism : new int[] {2, 4}) {
            String savepoint = cluster.stopWithSavepoint(job, dir.resolve("rescale-savepoints"), JOB_TIMEOUT);
            LookoutOnCluster.writeConfig(dir, "rescale", broker, Map.of("parallelism", String.valueOf(parallelism)));
            job = LookoutOnCluster.submitRun(cluster, jar(), conf, false, Path.of(URI.create(savepoint)).toString());
            cluster.awaitAllTasksRunning(job, JOB_TIMEOUT);
            assertEquals(parallelism, maxParallelism(job));
            assertEquals(1, cluster.parallelism(job).entrySet().stream().filter(v -> v.getKey().contains("DuckDB"))
                    .mapToInt(Map.Entry::getValue).max().orElseThrow(), "one DuckDB writer at every parallelism");
            cluster.awaitCheckpoints(job, 1, JOB_TIMEOUT);
        }
        producer.join();
        assertSameTablesAsReference(config, job);
    }

    static int maxParallelism(String job) {
        return cluster.parallelism(job).values().stream().mapToInt(Integer::intValue).max().orElseThrow();
    }
}
