package lookout.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.testutils.junit.SharedObjectsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import lookout.config.LookoutConfig;
import lookout.schema.CountDelta;
import lookout.schema.DelayDelta;
import lookout.schema.SubstanceDelta;
import lookout.schema.TableRow;
import lookout.testing.CollectingSink;

/**
 * A backfill is a function of its input: the same records, in any order, at any parallelism and under any
 * (ephemeral) pseudonym key, give the same tables. The input is built to make that hard: few people with many
 * reports each, and linkable reports of one person tied to the minute in different areas, so which report of a
 * pair the linker counts decides which area's combined cell gets it.
 */
class BatchDeterminismTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MemoryInput.cluster();

    @RegisterExtension
    final SharedObjectsExtension shared = SharedObjectsExtension.create();

    private static final int PEOPLE = 6;
    private static final int DAYS = 8;

    /**
     * Per person and day: at one minute a call in one area, another call in a second area and a naloxone report
     * in a third; an hour later a naloxone report alone; plus a resent copy of the first call. Areas rotate with
     * the person and the day, so ties fall in different areas every time.
     */
    private static List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (int p = 0; p < PEOPLE; p++) {
            String person = "\"person\":{\"name\":\"Person " + p + "\",\"health_number\":\"HN-" + p + "\"}";
            for (int d = 0; d < DAYS; d++) {
                String day = "2026-03-%02d".formatted(2 + d);
                String minute = day + "T%02d:17".formatted(8 + p);
                String later = day + "T%02d:17".formatted(9 + p);
                String id = p + "-" + d;
                String first = event("a" + id, "paramedic", minute, area(p + d), person);
                lines.add(first);
                lines.add(first);
                lines.add(event("b" + id, "paramedic", minute, area(p + 2 * d + 1), person));
                lines.add(event("c" + id, "naloxone", minute, area(p + 3 * d + 2), person));
                lines.add(event("e" + id, "naloxone", later, area(p + d + 5), person));
            }
        }
        return lines;
    }

    private static String area(int i) {
        return "D%02d".formatted(1 + Math.floorMod(i, 40));
    }

    private static String event(String id, String source, String localTime, String area, String person) {
        return "{\"event_id\":\"" + id + "\",\"source\":\"" + source + "\",\"occurred_at\":\"" + localTime
                + ":00-05:00\",\"reported_at\":\"" + localTime.substring(0, 10) + "T23:00:00-05:00\",\"area_code\":\""
                + area + "\"," + person + "}";
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void theSameRecordsInAnyOrderAtAnyParallelismGiveTheSameTables() throws Exception {
        List<String> input = lines();
        String first = tables(input, 1);
        assertTrue(first.contains(" combined "), "the input links reports: " + first);
        for (int run = 0; run < 4; run++) {
            List<String> shuffled = new ArrayList<>(input);
            Collections.shuffle(shuffled, new Random(run));
            assertEquals(first, tables(shuffled, 1 + run % 2), "run " + run + " (parallelism " + (1 + run % 2) + ")");
        }
    }

    /** The count, delay and substance tables of one backfill of {@code lines}, with a fresh ephemeral key. */
    private String tables(List<String> lines, int parallelism) throws Exception {
        LookoutConfig config = LookoutConfig.defaults();
        StreamExecutionEnvironment env = MemoryInput.environment(RuntimeExecutionMode.BATCH, parallelism);
        CollectingSink<TableRow> tables = new CollectingSink<>(shared);
        LookoutJob.build(MemoryInput.ingested(env, config, lines), config,
                new LookoutJob.Outputs(areas -> stream -> stream.sinkTo(tables), Output.nothing(), Output.nothing()));
        env.execute();
        return summed(tables.received());
    }

    /** Every cell of the count, delay and substance tables with its total, one line each, sorted. */
    static String summed(List<TableRow> rows) {
        Map<String, Long> cells = new TreeMap<>();
        for (TableRow r : rows) {
            CountDelta c = r.getCount();
            DelayDelta d = r.getDelay();
            SubstanceDelta s = r.getSubstance();
            if (c != null) {
                cells.merge("count " + c.getGranularity() + " " + c.getBucketStart() + " " + c.getAreaId() + " "
                        + c.getSignal(), c.getDelta(), Long::sum);
            } else if (d != null) {
                cells.merge("delay " + d.getSignal() + " " + d.getOccurredDay() + " " + d.getReportedDay(),
                        d.getDelta(), Long::sum);
            } else if (s != null) {
                cells.merge("substance " + s.getAreaId() + " " + s.getWeekStart() + " " + s.getSubstance() + " "
                        + s.getWatchEntry(), s.getDelta(), Long::sum);
            }
        }
        StringBuilder out = new StringBuilder();
        cells.forEach((cell, n) -> out.append(cell).append(' ').append(n).append('\n'));
        return out.toString();
    }
}
