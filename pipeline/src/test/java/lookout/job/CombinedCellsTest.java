package lookout.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.BatchExecutionOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.testutils.junit.SharedObjectsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import lookout.config.LookoutConfig;
import lookout.schema.CountDelta;
import lookout.schema.TableRow;
import lookout.testing.CollectingSink;

/**
 * The single writer receives a count cell of a backfill once, however many subtasks deduplicated its events: the
 * combiner's input is partitioned by area, so one combiner subtask sums all of an area's events.
 */
class CombinedCellsTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MemoryInput.cluster();

    @RegisterExtension
    final SharedObjectsExtension shared = SharedObjectsExtension.create();

    private static final List<String> AREAS = List.of("D01", "D02", "D03", "D04");
    private static final List<String> HOURS = List.of("2026-03-02T08", "2026-03-02T09");
    private static final int CALLS_PER_CELL = 25;

    /**
     * Calls of different people, {@link #CALLS_PER_CELL} in each area and hour: their dedupe keys fall on both
     * subtasks.
     */
    private static List<String> lines() {
        List<String> lines = new ArrayList<>();
        int id = 0;
        for (String area : AREAS) {
            for (String hour : HOURS) {
                for (int i = 0; i < CALLS_PER_CELL; i++, id++) {
                    lines.add(("{\"event_id\":\"call-%d\",\"source\":\"paramedic\","
                            + "\"occurred_at\":\"%s:%02d:00-05:00\","
                            + "\"reported_at\":\"2026-03-02T23:00:00-05:00\",\"area_code\":\"%s\","
                            + "\"person\":{\"name\":\"Person %d\"}}").formatted(id, hour, i, area, id));
                }
            }
        }
        return lines;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void atParallelismTwoEachCountCellReachesTheWriterOnceWithItsWholeSum() throws Exception {
        LookoutConfig config = LookoutConfig.defaults();
        StreamExecutionEnvironment env = MemoryInput.environment(RuntimeExecutionMode.BATCH, 2);
        // Flink would run so small an input's operators at parallelism 1, and one combiner would see every cell.
        env.configure(new Configuration().set(BatchExecutionOptions.ADAPTIVE_AUTO_PARALLELISM_ENABLED, false));
        CollectingSink<TableRow> tables = new CollectingSink<>(shared);
        LookoutJob.build(MemoryInput.ingested(env, config, lines()), config,
                new LookoutJob.Outputs(areas -> stream -> stream.sinkTo(tables), Output.nothing(), Output.nothing()));
        env.execute();

        Map<String, List<Long>> rowsPerCell = new TreeMap<>();
        for (TableRow r : tables.received()) {
            CountDelta c = r.getCount();
            if (c != null) {
                String cell = c.getGranularity() + " " + c.getSignal() + " " + c.getAreaId() + " " + c.getBucketStart();
                rowsPerCell.computeIfAbsent(cell, k -> new ArrayList<>()).add(c.getDelta());
            }
        }
        assertEquals(2 * AREAS.size() * (HOURS.size() + 1), rowsPerCell.size(),
                "a cell per area, hour or day, and signal (paramedic, and combined counting each call too): "
                        + rowsPerCell.keySet());
        rowsPerCell.forEach((cell, deltas) -> assertEquals(
                List.of((long) (cell.startsWith("hour") ? CALLS_PER_CELL : CALLS_PER_CELL * HOURS.size())), deltas,
                cell + ": one row with the cell's whole count"));
    }
}
