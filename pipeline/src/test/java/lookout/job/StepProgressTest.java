package lookout.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.junit.jupiter.api.Test;

import lookout.config.LookoutConfig;

class StepProgressTest {
    @Test
    void aBatchJobsLocalClusterReportsEveryStepBegunAndEnded() throws Exception {
        try (StepProgress steps = StepProgress.start()) {
            // The backfill's own settings: among them the temp directory that takes the local cluster's RPC jar.
            Configuration c = Environments.batch(LookoutConfig.defaults());
            StepReporter.reportTo(c, steps);
            StreamExecutionEnvironment env = Environments.create(c, 2);
            env.fromSequence(1, 1000).name("numbers")
                    .keyBy(n -> n % 10, Types.LONG).reduce(Long::sum).name("sums")
                    .map(n -> n * 2).name("doubled")
                    .keyBy(n -> n % 3, Types.LONG).reduce(Long::sum).name("totals")
                    .sinkTo(new DiscardingSink<>()).name("discarded");
            StreamGraph graph = env.getStreamGraph();
            steps.expect(graph.getJobGraph().getNumberOfVertices());
            assertEquals(new StepProgress.Snapshot(0, 3, List.of()), steps.snapshot(), "three steps, none begun");
            env.execute(graph);
            // The job's result can come before the last task's metrics are removed, which marks that step's end.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!steps.snapshot().running().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(new StepProgress.Snapshot(3, 3, List.of()), steps.snapshot(),
                    "every step begun, none running");
        }
    }

    @Test
    void aStepRunsWhileAnyOfItsSubtasksDoesAndIsNamedByItsFirstOperator() {
        try (StepProgress steps = StepProgress.start()) {
            steps.expect(3);
            steps.subtaskStarted("a", "Source: files -> route");
            steps.subtaskStarted("a", "Source: files -> route");
            steps.subtaskEnded("a");
            assertEquals(new StepProgress.Snapshot(1, 3, List.of("Source: files")), steps.snapshot());
            steps.subtaskEnded("a");
            steps.subtaskStarted("b", "deduplicate -> (counted events, area events)");
            steps.subtaskStarted("c", "detect");
            assertEquals(new StepProgress.Snapshot(3, 3, List.of("deduplicate", "detect")), steps.snapshot());
            steps.subtaskStarted("d", "a step the graph did not show");
            steps.subtaskEnded("b");
            steps.subtaskEnded("b");
            assertEquals(new StepProgress.Snapshot(4, 4, List.of("detect", "a step the graph did not show")),
                    steps.snapshot(), "never fewer steps than begun, and an extra end changes nothing");
        }
    }
}
