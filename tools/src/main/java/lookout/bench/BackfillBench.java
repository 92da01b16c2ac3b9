package lookout.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import lookout.sink.DuckDbStore;

/**
 * Part 1: the complete job graph over NDJSON files in Flink's BATCH mode, exactly as
 * {@code ./lookout backfill --input DIR} runs it, timed from job submission to the DuckDB file being published.
 */
public final class BackfillBench {
    /**
     * What one run measured; {@code seconds} is wall time including the local cluster's start, {@code cpuSeconds}
     * the JVM's CPU over the same interval and {@code cpu} that CPU by thread; {@code loadStart} and
     * {@code loadEnd} are the machine's one-minute load average before and after.
     */
    public record Result(double seconds, double cpuSeconds, double netRuntimeSeconds, long peakRssMiB, long rowsWritten,
            long accepted, long duplicates, long deadLetters, ThreadCpu.Account cpu, double loadStart, double loadEnd) {
        String load() {
            return String.format("load %.1f -> %.1f", loadStart, loadEnd);
        }
    }

    private BackfillBench() {}

    /** @param boundaries the job's {@code boundaries} setting ({@link BenchCity#boundarySetting()}) */
    public static Result run(List<Path> inputs, Path db, String boundaries, int parallelism) throws Exception {
        LookoutConfig config = LookoutConfig.defaults()
                .with("boundaries", boundaries)
                .with("db", db.toString())
                .with("parallelism", Integer.toString(parallelism));
        MachineInfo.resetPeakRss();
        double loadStart = MachineInfo.loadAverage();
        ThreadCpu threads = ThreadCpu.start();
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
        ThreadCpu.Account byThread = threads.stop();
        long peak = MachineInfo.peakRssMiB();
        Map<String, Object> acc = result.getAllAccumulatorResults();
        long dead = 0;
        for (Map.Entry<String, Object> e : acc.entrySet()) {
            if (e.getKey().startsWith(RouteIngested.DEAD_LETTER_PREFIX)) {
                dead += (Long) e.getValue();
            }
        }
        return new Result(seconds, cpu, result.getNetRuntime() / 1000.0, peak, publishedRows(db),
                counter(acc, Deduplicate.ACCEPTED), counter(acc, Deduplicate.DUPLICATES), dead, byThread, loadStart,
                MachineInfo.loadAverage());
    }

    /** Rows the run left for readers: one per count cell and one per dead letter. */
    static long publishedRows(Path db) throws Exception {
        try (Connection c = DuckDbStore.openPublished(db);
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

    /** Whether the job counted exactly what the generator wrote, as the figures' notes say it. */
    static String check(Result r, EventFile.Contents contents) {
        return r.accepted() == contents.unique() && r.duplicates() == contents.duplicates()
                && r.deadLetters() == contents.bad()
                ? "counts match the generator"
                : String.format("COUNT MISMATCH: accepted %d/%d, duplicates %d/%d, dead letters %d/%d", r.accepted(),
                        contents.unique(), r.duplicates(), contents.duplicates(), r.deadLetters(), contents.bad());
    }

    /** The figures of the main run: N events in one file per unit of parallelism. */
    public static List<Figure> figures(Result r, EventFile.Contents contents, int cores, String cityLabel) {
        long n = contents.lines();
        List<Figure> f = new ArrayList<>();
        f.add(new Figure("backfill.events_per_s", n / r.seconds(), "events/s", n, "full graph, BATCH mode, " + cityLabel
                + ", " + contents.files().size() + " input files, wall time incl. cluster start, in a fresh JVM; "
                + check(r, contents) + "; " + r.load()));
        f.add(new Figure("backfill.events_per_s_per_core", n / r.seconds() / cores, "events/s", n, "events/s ÷ " + cores + " cores"));
        f.add(new Figure("backfill.events_per_cpu_s", n / r.cpuSeconds(), "events/s", n, String.format(
                "events ÷ CPU time the JVM used (%.1f CPU-s, all threads); CPU per event also grows with the machine's"
                        + " load (threads share caches and cores), so compare runs at a similar load; %s",
                r.cpuSeconds(), r.load())));
        f.add(new Figure("backfill.wall_s", r.seconds(), "s", n, "job submission to DuckDB file published"));
        f.add(new Figure("backfill.job_runtime_s", r.netRuntimeSeconds(), "s", n, "Flink's net job runtime"));
        f.add(new Figure("backfill.peak_rss_mib", r.peakRssMiB(), "MiB", n, "VmHWM of the backfill's JVM"));
        f.add(new Figure("backfill.duckdb_rows_per_s", r.rowsWritten() / r.seconds(), "rows/s", n,
                r.rowsWritten() + " rows (count cells + dead letters) ÷ wall time"));
        f.addAll(cpuFigures(r, n));
        return f;
    }

    /** The main run's CPU by thread kind, and how much of the process's CPU the threads account for. */
    static List<Figure> cpuFigures(Result r, long n) {
        ThreadCpu.Account a = r.cpu();
        List<Figure> f = new ArrayList<>();
        for (ThreadCpu.Kind k : ThreadCpu.Kind.values()) {
            double s = a.seconds(k);
            f.add(new Figure("backfill.cpu." + k.key() + "_s", s, "CPU-s", n, String.format(
                    "%s: %.0f %% of the run's %.1f CPU-s, %.2f µs/event", k.what, 100 * s / a.totalSeconds(),
                    a.totalSeconds(), 1e6 * s / n)));
        }
        f.add(new Figure("backfill.cpu.unattributed_s", a.unattributed(), "CPU-s", n,
                "threads that ended within " + ThreadCpu.PERIOD_MS + " ms of their last reading"));
        f.add(new Figure("backfill.cpu.attributed_pct", 100 * a.attributedShare(), "%", n,
                "share of the JVM's CPU attributed to a thread; by thread: " + ThreadCpu.describe(a, 14)));
        return f;
    }

    /**
     * Steady state from two sizes of the same city and days, each in a fresh JVM: the extra CPU and wall time of
     * the larger over the smaller, per extra event, is what an event costs once the job is running; what the
     * larger run spent beyond that per-event cost is fixed (JVM and cluster start, JIT compilation, and work per
     * area and day, such as the daily detectors, which does not grow with events on the same days).
     */
    public static List<Figure> steadyState(Result small, long smallN, Result large, long largeN) {
        long extra = largeN - smallN;
        double cpuPerEvent = (large.cpuSeconds() - small.cpuSeconds()) / extra;
        double wallPerEvent = (large.seconds() - small.seconds()) / extra;
        String how = String.format("difference of the %,d- and %,d-event runs (%.1f and %.1f CPU-s, %.1f and %.1f s"
                + " wall; %s and %s) ÷ %,d events", largeN, smallN, large.cpuSeconds(), small.cpuSeconds(),
                large.seconds(), small.seconds(), large.load(), small.load(), extra);
        List<Figure> f = new ArrayList<>();
        f.add(new Figure("backfill.half.events_per_s", smallN / small.seconds(), "events/s", smallN,
                "the same city and days with half the events, in a fresh JVM; " + small.load()));
        f.add(new Figure("backfill.half.events_per_cpu_s", smallN / small.cpuSeconds(), "events/s", smallN,
                String.format("%.1f CPU-s", small.cpuSeconds())));
        f.add(new Figure("backfill.steady_us_per_event", 1e6 * cpuPerEvent, "CPU-µs", extra, "CPU per event at steady state: " + how));
        f.add(new Figure("backfill.steady_events_per_cpu_s", 1 / cpuPerEvent, "events/s", extra, "1 ÷ the steady CPU per event"));
        f.add(new Figure("backfill.steady_events_per_s", 1 / wallPerEvent, "events/s", extra, "extra events ÷ extra wall time: " + how));
        f.add(new Figure("backfill.fixed_cpu_s", large.cpuSeconds() - cpuPerEvent * largeN, "CPU-s", largeN, String.format(
                "CPU of the %,d-event run beyond steady state × events: start-up, JIT (%.1f CPU-s in JIT threads in that"
                        + " run), work per area and day", largeN, large.cpu().seconds(ThreadCpu.Kind.JIT))));
        f.add(new Figure("backfill.fixed_wall_s", large.seconds() - wallPerEvent * largeN, "s", largeN,
                "wall time of the same run beyond steady state × events"));
        return f;
    }

    /** The same N events in one file: what a user's single export gives the job to split. */
    public static List<Figure> oneFile(Result r, EventFile.Contents contents, String cityLabel) {
        long n = contents.lines();
        List<Figure> f = new ArrayList<>();
        f.add(new Figure("backfill.one_file.events_per_s", n / r.seconds(), "events/s", n,
                "the same events as one NDJSON file, full graph, BATCH mode, " + cityLabel + ", in a fresh JVM; "
                        + check(r, contents) + "; " + r.load()));
        f.add(new Figure("backfill.one_file.events_per_cpu_s", n / r.cpuSeconds(), "events/s", n,
                String.format("%.1f CPU-s; %s", r.cpuSeconds(), ThreadCpu.describe(r.cpu(), 6))));
        f.add(new Figure("backfill.one_file.wall_s", r.seconds(), "s", n, "job submission to DuckDB file published"));
        return f;
    }
}
