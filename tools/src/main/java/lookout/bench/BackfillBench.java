package lookout.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import lookout.aggregate.Deduplicate;
import lookout.config.LookoutConfig;
import lookout.ingest.IngestSettings;
import lookout.ingest.RouteIngested;
import lookout.job.Environments;
import lookout.job.Inputs;
import lookout.job.LookoutJob;
import lookout.job.Output;
import lookout.privacy.PseudonymKey;
import lookout.sink.DuckDbRebuildSink;

/**
 * Part 1: the complete job graph over NDJSON files in Flink's BATCH mode, exactly as
 * {@code ./lookout backfill --input DIR} runs it, timed from job submission to the DuckDB file being published.
 */
public final class BackfillBench {
    /** What one run measured; {@code seconds} is wall time including the local cluster's start. */
    public record Result(double seconds, double cpuSeconds, double netRuntimeSeconds, long peakRssMiB, long rowsWritten,
            long accepted, long duplicates, long deadLetters) {}

    private BackfillBench() {}

    public static Result run(List<Path> inputs, Path db, BenchCity city, int parallelism) throws Exception {
        LookoutConfig config = LookoutConfig.defaults()
                .with("boundaries", city.boundarySetting())
                .with("db", db.toString())
                .with("parallelism", Integer.toString(parallelism));
        MachineInfo.resetPeakRss();
        long start = System.nanoTime();
        double cpuStart = MachineInfo.processCpuSeconds();
        StreamExecutionEnvironment env = Environments.create(Environments.batch(config), config.parallelism());
        IngestSettings settings = IngestSettings.of(config, PseudonymKey.ephemeral());
        LookoutJob.build(Inputs.files(env, config, settings, inputs), config,
                new LookoutJob.Outputs(
                        areas -> Output.duckDb(new DuckDbRebuildSink(config.db(), areas, config.zone(), 0L)),
                        Output.nothing(), Output.nothing()));
        JobExecutionResult result = env.execute("lookout bench backfill");
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = MachineInfo.processCpuSeconds() - cpuStart;
        long peak = MachineInfo.peakRssMiB();
        Map<String, Object> acc = result.getAllAccumulatorResults();
        long dead = 0;
        for (Map.Entry<String, Object> e : acc.entrySet()) {
            if (e.getKey().startsWith(RouteIngested.DEAD_LETTER_PREFIX)) {
                dead += (Long) e.getValue();
            }
        }
        return new Result(seconds, cpu, result.getNetRuntime() / 1000.0, peak, publishedRows(db),
                counter(acc, Deduplicate.ACCEPTED), counter(acc, Deduplicate.DUPLICATES), dead);
    }

    /** Rows the run left for readers: one per count cell and one per dead letter. */
    static long publishedRows(Path db) throws Exception {
        Properties p = new Properties();
        p.setProperty("duckdb.read_only", "true");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath(), p);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM area_counts) + (SELECT count(*) FROM dead_letters)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long counter(Map<String, Object> acc, String name) {
        Object v = acc.get(name);
        return v == null ? 0 : (Long) v;
    }

    public static List<Figure> figures(Result r, EventFile.Contents contents, int cores, String cityLabel) {
        long n = contents.lines();
        String check = r.accepted() == contents.unique() && r.duplicates() == contents.duplicates()
                && r.deadLetters() == contents.bad()
                ? "counts match the generator"
                : String.format("COUNT MISMATCH: accepted %d/%d, duplicates %d/%d, dead letters %d/%d", r.accepted(),
                        contents.unique(), r.duplicates(), contents.duplicates(), r.deadLetters(), contents.bad());
        List<Figure> f = new ArrayList<>();
        f.add(new Figure("backfill.events_per_s", n / r.seconds(), "events/s", n,
                "full graph, BATCH mode, " + cityLabel + ", wall time incl. cluster start; " + check));
        f.add(new Figure("backfill.events_per_s_per_core", n / r.seconds() / cores, "events/s", n, "events/s ÷ " + cores + " cores"));
        f.add(new Figure("backfill.events_per_cpu_s", n / r.cpuSeconds(), "events/s", n, String.format(
                "events ÷ CPU time the JVM used (%.1f CPU-s): fair on a shared machine", r.cpuSeconds())));
        f.add(new Figure("backfill.wall_s", r.seconds(), "s", n, "job submission to DuckDB file published"));
        f.add(new Figure("backfill.job_runtime_s", r.netRuntimeSeconds(), "s", n, "Flink's net job runtime"));
        f.add(new Figure("backfill.peak_rss_mib", r.peakRssMiB(), "MiB", n, "VmHWM of the whole JVM during the run"));
        f.add(new Figure("backfill.duckdb_rows_per_s", r.rowsWritten() / r.seconds(), "rows/s", n,
                r.rowsWritten() + " rows (count cells + dead letters) ÷ wall time"));
        return f;
    }
}
