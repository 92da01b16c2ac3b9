package lookout.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import lookout.config.LookoutConfig;
import lookout.demo.DemoStreamGenerator;
import lookout.geo.Area;
import lookout.geo.AreaIndex;
import lookout.ingest.IngestSettings;
import lookout.ingest.RouteIngested;
import lookout.ingest.ReadProgress;
import lookout.privacy.PseudonymKey;
import lookout.sink.DuckDbRebuildSink;

/**
 * One file read as byte ranges by two readers gives the tables and counters it gives read whole: every record
 * once, in the same cells, and every dead letter with the same file:line, lines straddling the cuts included.
 */
@Timeout(300)
class FileRangesBackfillTest {
    @TempDir
    Path dir;

    @Test
    void aFileCutIntoRangesGivesTheSameTablesAndCountersAsReadWhole() throws Exception {
        AreaIndex city = AreaIndex.demoCity();
        DemoStreamGenerator generator = new DemoStreamGenerator(DemoStreamGenerator.Settings
                .builder(city.areas().stream().map(Area::id).toList(), city)
                .seed(11).days(42).badFraction(0.02).duplicateFraction(0.03).build());
        Path input = Files.write(dir.resolve("events.ndjson"), generator.generate());
        long size = Files.size(input);
        Path whole = dir.resolve("whole.duckdb");
        Path ranged = dir.resolve("ranged.duckdb");
        Map<String, Object> wholeCounters = backfill(input, whole, size, null);
        Map<String, Object> rangedCounters;
        try (ReadProgress progress = ReadProgress.start()) {
            rangedCounters = backfill(input, ranged, 1024, progress.id());
            assertEquals(size, progress.bytes(), "the readers report every byte of the file once");
            assertEquals(wholeCounters.get(RouteIngested.RECORDS_READ), progress.records());
        }
        assertEquals(wholeCounters, rangedCounters);
        List<String> expected = BackfillTest.dump(whole);
        assertEquals(expected, BackfillTest.dump(ranged));
        assertTrue(expected.stream().filter(r -> r.contains(input + ":")).count() > 20,
                "dead letters with their file:line are compared");
    }

    /** Accumulators of a backfill whose file ranges are at least {@code minRangeBytes}. */
    private static Map<String, Object> backfill(Path input, Path db, long minRangeBytes, String progress)
            throws Exception {
        LookoutConfig config = LookoutConfig.defaults().with("db", db.toString()).with("parallelism", "2");
        StreamExecutionEnvironment env = Environments.create(Environments.batch(config), config.parallelism());
        IngestSettings settings = IngestSettings.of(config, PseudonymKey.ephemeral());
        LookoutJob.build(Inputs.files(env, config, settings, List.of(input), progress, minRangeBytes), config,
                new LookoutJob.Outputs(
                        areas -> Output.duckDb(new DuckDbRebuildSink(config.db(), areas, config.zone(), 0L)),
                        Output.nothing(), Output.nothing()));
        JobExecutionResult result = env.execute("ranges " + minRangeBytes);
        return new TreeMap<>(result.getAllAccumulatorResults());
    }
}
