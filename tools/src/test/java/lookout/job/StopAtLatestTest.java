package lookout.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
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
import lookout.demo.DemoStreamGenerator.Truth;
import lookout.demo.DemoStreamGenerator;
import lookout.demo.EmbeddedKafka;
import lookout.geo.Area;
import lookout.geo.AreaIndex;
import lookout.ingest.KafkaCluster;

/** {@code run --from-checkpoint PATH --stop-at-latest}: a catch-up run from an unbounded run's checkpoint ends. */
@Timeout(300)
@ResourceLock(SharedCluster.FLINK_CONTEXT)
class StopAtLatestTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void aStopAtLatestRunRestoredFromAnUnboundedRunsCheckpointEndsWithEveryEventCounted() throws Exception {
        AreaIndex city = AreaIndex.demoCity();
        DemoStreamGenerator generator = new DemoStreamGenerator(DemoStreamGenerator.Settings
                .builder(city.areas().stream().map(Area::id).toList(), city).seed(5).days(3).build());
        List<String> lines = generator.generate();
        Truth truth = generator.truth();
        Path db = dir.resolve("catchup.duckdb");
        LookoutConfig config = LookoutConfig.defaults()
                .with("kafka.bootstrap", kafka.bootstrapServers())
                .with("kafka.topic_prefix", "catchup")
                .with("db", db.toString())
                .with("checkpoint.interval", "PT0.3S")
                .with("checkpoint.dir", dir.resolve("catchup-checkpoints").toString());
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), KafkaTopics.inputs(config), 2);

        KafkaEndToEndTest.publish(config, lines.subList(0, lines.size() / 2));
        JobClient unbounded = KafkaEndToEndTest.startJob(config, false, null);
        KafkaEndToEndTest.readWhileWriting(db, Duration.ofSeconds(1), Duration.ofSeconds(60));
        Thread.sleep(1000);
        unbounded.cancel().get();
        String checkpoint = KafkaEndToEndTest.latestCheckpoint(dir.resolve("catchup-checkpoints"), unbounded.getJobID())
                .orElseThrow(() -> new AssertionError("the unbounded run left no checkpoint"));

        KafkaEndToEndTest.publish(config, lines.subList(lines.size() / 2, lines.size()));
        JobClient catchUp = KafkaEndToEndTest.startJob(config, true, checkpoint);
        catchUp.getJobExecutionResult().get(90, TimeUnit.SECONDS);
        assertEquals(truth.daily(), BackfillTest.read(db, "day"));
    }
}
