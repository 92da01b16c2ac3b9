package lookout.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

import lookout.aggregate.Deduplicate;
import lookout.config.LookoutConfig;
import lookout.geo.Boundaries;
import lookout.ingest.IngestSettings;
import lookout.ingest.InputSniffer;
import lookout.ingest.NdjsonRanges;
import lookout.ingest.ReadProgress;
import lookout.ingest.RouteIngested;
import lookout.job.Environments;
import lookout.job.Inputs;
import lookout.job.LookoutJob;
import lookout.job.Output;
import lookout.job.StepProgress;
import lookout.job.StepReporter;
import lookout.privacy.PseudonymKey;
import lookout.sink.DuckDbRebuildSink;
import lookout.sink.LookoutDatabase;
import lookout.kernel.Command;
import lookout.kernel.ExclusiveLock;
import lookout.kernel.Options;
import lookout.kernel.UsageException;

/** {@code ./lookout backfill}: the job graph over NDJSON files in Flink's batch mode. */
public final class BackfillCommand implements Command {
    @Override
    public String name() {
        return "backfill";
    }

    @Override
    public String summary() {
        return "process NDJSON files in batch mode into a DuckDB file (rebuilds its tables)";
    }

    @Override
    public String usage() {
        return """
                Usage: ./lookout backfill --input FILE|DIR --db FILE [--boundaries FILE] [--zone ZONE] [--config FILE] [--force]

                Runs the same transformations as the streaming job over NDJSON files (a directory: every
                non-hidden file in it, in name order; a link to a missing file or a directory in it stops
                the command) in Flink's BATCH mode, and prints a summary. A large file is read on every
                core. While it runs, it shows on stderr how much it has read and how long reading has left,
                then which of the job's steps (deduplication, detection, ..., the database) it is at: on a
                terminal one line that updates in place, elsewhere a line every 5 seconds.
                Files compressed with gzip are read as they are; other archives and binary files (zip,
                bzip2, xz, zstd, Parquet, ...) are refused before anything starts.
                The DuckDB file is rebuilt from the input alone, so running twice gives identical tables;
                rows are stamped with the input files' modification times, not the wall clock.
                The pseudonym key comes from LOOKOUT_PSEUDONYM_KEY or LOOKOUT_PSEUDONYM_KEY_FILE; without
                one an ephemeral key is generated (pseudonyms then link only within this run).
                --db must be absent or a Lookout database (as must DB.writer beside it);
                --force replaces any other file there, but never a directory or an input.
                A Lookout database there stays as it was until the rebuilt one replaces it, so a
                backfill that is stopped or fails destroys nothing. While a backfill runs it holds
                DB.lock, and a second backfill of the same --db stops with one line.
                """;
    }

    /** What a backfill reads, which --force must never replace: the input, the configuration, boundaries and key. */
    private static Map<Path, String> readFiles(Options o, LookoutConfig config) {
        Map<Path, String> read = new LinkedHashMap<>();
        read.put(o.existingPath("input"), "the input");
        if (o.has("config")) {
            read.put(Path.of(o.get("config")), "the --config file");
        }
        if (!Boundaries.DEMO.equals(config.boundaries())) {
            read.put(Path.of(config.boundaries()), "the boundaries file");
        }
        String keyFile = System.getenv(PseudonymKey.FILE_ENV_VAR);
        if (keyFile != null && !keyFile.isBlank()) {
            read.put(Path.of(keyFile), "the pseudonym key file");
        }
        return read;
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Options o = Options.parse(name(), args, Set.of("input", "db", "boundaries", "zone", "config"), Set.of("force"));
        List<Path> inputs = inputFiles(o.existingPath("input"));
        Preflight.readable("--input", inputs);
        InputSniffer.requireNdjson(inputs);
        o.required("db");
        LookoutConfig config = JobOptions.config(o);
        // Watched from here on, so that a stop in the seconds before the job starts says its line too.
        try (StoppedBackfill stopped = StoppedBackfill.watch(config.db())) {
            JobOptions.boundaries(config);
            Preflight.replaceableDatabase("--db", config.db(), readFiles(o, config), o.has("force"), "--force");
            PseudonymKey key = PseudonymKey.fromEnvironment(w -> System.err.println("lookout backfill: warning: " + w))
                    .orElseGet(PseudonymKey::ephemeral);
            Path db = config.db().toAbsolutePath();
            try (ExclusiveLock lock = ExclusiveLock.take(db.resolveSibling(db.getFileName() + ".lock"), "--db",
                    "--db " + config.db() + " is being rebuilt by another backfill; wait for it to end")) {
                if (o.has("force")) {
                    deleteForeignFiles(config.db());
                }
                rebuild(config, key, inputs, stopped, out);
            }
        }
        return 0;
    }

    /**
     * What {@code --force} replaces: the files at the database's paths that are not Lookout databases. A Lookout
     * database stays for its readers until the rebuilt one is renamed over it, so a run that is stopped or fails
     * leaves it as it was.
     */
    private static void deleteForeignFiles(Path db) throws IOException {
        for (Path f : LookoutDatabase.files(db)) {
            if (Files.exists(f) && !LookoutDatabase.isLookoutDatabase(f)) {
                Files.delete(f);
            }
        }
    }

    private void rebuild(LookoutConfig config, PseudonymKey key, List<Path> inputs, StoppedBackfill stopped,
            PrintStream out) throws Exception {
        long asOf = newestModification(inputs);
        IngestSettings settings = IngestSettings.of(config, key);
        try (ReadProgress progress = ReadProgress.start(); StepProgress steps = StepProgress.start()) {
            Configuration flink = Environments.batch(config);
            StepReporter.reportTo(flink, steps);
            StreamExecutionEnvironment env = Environments.create(flink, config.parallelism());
            LookoutJob.build(Inputs.files(env, config, settings, inputs, progress.id(), NdjsonRanges.MIN_RANGE_BYTES),
                    config, new LookoutJob.Outputs(
                            areas -> Output.duckDb(new DuckDbRebuildSink(config.db(), areas, config.zone(), asOf)),
                            Output.nothing(), Output.nothing()));
            StreamGraph graph = env.getStreamGraph();
            graph.setJobName("lookout backfill");
            steps.expect(graph.getJobGraph().getNumberOfVertices());
            long start = System.nanoTime();
            ProgressLine line = new ProgressLine(name(), progress, totalBytes(inputs), () -> stage(steps.snapshot()),
                    System.err, System.console() != null ? ProgressLine.terminalColumns() : 0, start);
            stopped.showOn(line);
            JobExecutionResult result = follow(env.executeAsync(graph), line);
            printSummary(result.getAllAccumulatorResults(), inputs.size(), config.db(), out);
        }
    }

    /** Waits for the job's end, showing its progress meanwhile; a failure is thrown as its cause, as execute() does. */
    private static JobExecutionResult follow(JobClient job, ProgressLine progress) throws Exception {
        try {
            while (true) {
                try {
                    return job.getJobExecutionResult().get(ProgressLine.TICK.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    progress.tick(System.nanoTime());
                }
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            progress.end();
        }
    }

    /** What the job does once the input is read: "step 5 of 13", and the steps running. */
    static ProgressLine.Stage stage(StepProgress.Snapshot steps) {
        if (steps.total() == 0) {
            return new ProgressLine.Stage("counting, detecting and writing the database", List.of());
        }
        return new ProgressLine.Stage(String.format(Locale.ROOT, "step %d of %d", steps.begun(), steps.total()),
                steps.running());
    }

    private static long totalBytes(List<Path> inputs) throws IOException {
        long total = 0;
        for (Path p : inputs) {
            total += Files.size(p);
        }
        return total;
    }

    /** Stamps the rows, so that reruns over the same input give identical tables. */
    private static long newestModification(List<Path> inputs) throws IOException {
        long newest = 0;
        for (Path p : inputs) {
            newest = Math.max(newest, Files.getLastModifiedTime(p).toMillis());
        }
        return newest;
    }

    private List<Path> inputFiles(Path input) throws IOException {
        if (!Files.isDirectory(input)) {
            return List.of(input);
        }
        try (Stream<Path> files = Files.list(input)) {
            List<Path> visible = files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
            for (Path p : visible) {
                if (Files.isDirectory(p)) {
                    throw new UsageException("--input " + input + " holds a directory, " + p.getFileName()
                            + ", whose files would not be read: backfill it on its own or move its files up");
                }
            }
            List<Path> list = visible.stream().filter(p -> Files.isRegularFile(p) || isDanglingLink(p)).toList();
            if (list.isEmpty()) {
                throw new UsageException("no input files in " + input);
            }
            return list;
        }
    }

    /**
     * A link whose file was moved or deleted: still an input, so it is refused as unreadable rather than
     * passed over, which would lose its events without a word.
     */
    private static boolean isDanglingLink(Path p) {
        return Files.isSymbolicLink(p) && !Files.exists(p);
    }

    static void printSummary(Map<String, Object> counters, int files, Path db, PrintStream out) {
        Map<String, Long> deadLetters = new TreeMap<>();
        long deadTotal = 0;
        for (Map.Entry<String, Object> e : counters.entrySet()) {
            if (e.getKey().startsWith(RouteIngested.DEAD_LETTER_PREFIX)) {
                long n = (Long) e.getValue();
                deadLetters.put(e.getKey().substring(RouteIngested.DEAD_LETTER_PREFIX.length()), n);
                deadTotal += n;
            }
        }
        out.printf("backfill: %d input file(s) -> %s%n", files, db);
        out.printf("  read          %10d%n", count(counters, RouteIngested.RECORDS_READ));
        out.printf("  accepted      %10d%n", count(counters, Deduplicate.ACCEPTED));
        out.printf("  duplicates    %10d%n", count(counters, Deduplicate.DUPLICATES));
        out.printf("  dead letters  %10d%n", deadTotal);
        deadLetters.forEach((reason, n) -> out.printf("    %-34s %6d%n", reason, n));
        out.printf("  empty lines   %10d%n", count(counters, RouteIngested.EMPTY_LINES));
    }

    private static long count(Map<String, Object> counters, String name) {
        Object v = counters.get(name);
        return v == null ? 0 : (Long) v;
    }
}
