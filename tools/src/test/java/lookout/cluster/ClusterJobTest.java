package lookout.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import lookout.config.KafkaTopics;
import lookout.config.LookoutConfig;
import lookout.ingest.KafkaCluster;

/**
 * The job jar on a real multi-process cluster (a JobManager JVM, two TaskManager JVMs, a broker JVM), submitted
 * through Flink's REST API as an operator submits it.
 */
@Timeout(300)
class ClusterJobTest {
    @TempDir
    static Path dir;
    static KafkaBroker broker;
    static FlinkCluster cluster;
    static String jar;
    static GeneratedStream stream;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isRegularFile(LookoutOnCluster.jobJar()),
                "pipeline/target/lookout-job.jar is built by `mvn package -Pjob-jar`; not built here");
        stream = GeneratedStream.eightDays();
        broker = KafkaBroker.start(dir.resolve("kafka"));
        cluster = FlinkCluster.in(dir.resolve("flink")).jobManagerEnv("LOOKOUT_PSEUDONYM_KEY", LookoutOnCluster.newKey())
                .set("taskmanager.load-balance.mode", "SLOTS").start();
        jar = cluster.uploadJar(LookoutOnCluster.jobJar());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (broker != null) {
            broker.close();
        }
        assertEquals(Set.of(), ChildJvm.alive(), "every child JVM has ended");
    }

    @Test
    void theJobJarRunsThroughTheRestApiAndCountsExactlyWhatWasPublished() throws Exception {
        Path conf = LookoutOnCluster.writeConfig(dir, "exact", broker, Map.of());
        LookoutConfig config = LookoutConfig.load(conf);
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), KafkaTopics.inputs(config), 2);
        LookoutOnCluster.publish(config, stream.lines);

        String job = LookoutOnCluster.submitRun(cluster, jar, conf, true, null);
        cluster.awaitJobState(job, Set.of("FINISHED"), Duration.ofSeconds(180));

        assertEquals(stream.truth.daily(), Tables.counts(config.db(), "day"));
        assertEquals(stream.truth.hourly(), Tables.counts(config.db(), "hour"));
        assertTrue(cluster.jobManager().isAlive(), "the JobManager that ran the jar's main is still up");
        List<Long> pids = List.of(cluster.jobManager().pid(), cluster.taskManager(0).pid(), cluster.taskManager(1).pid(),
                broker.process().pid(), ProcessHandle.current().pid());
        assertEquals(5, Set.copyOf(pids).size(), "JobManager, TaskManagers, broker and test are separate processes: " + pids);
    }

    @Test
    void aBadConfigIsRefusedInOneLineAndTheJobManagerStaysUp() throws Exception {
        Path conf = LookoutOnCluster.writeConfig(dir, "bad", broker, Map.of("parallelism", "0"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LookoutOnCluster.submitRun(cluster, jar, conf, false, null));
        assertTrue(e.getMessage().contains("HTTP 400"), e.getMessage());
        assertTrue(e.getMessage().contains("lookout run: config: parallelism must be at least 1"), e.getMessage());
        assertTrue(cluster.jobManager().isAlive());
        assertEquals(Map.of(), cluster.jobs().entrySet().stream().filter(j -> !j.getValue().equals("FINISHED"))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "no job was started");
        assertNotEquals(0, cluster.restPort());
    }
}
