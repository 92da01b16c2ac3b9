package lookout.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import lookout.config.LookoutConfig;
import lookout.kernel.Command;
import lookout.kernel.Options;
import lookout.kernel.UsageException;
import lookout.kernel.WritableDirectory;

/** {@code ./lookout bench}: measured speed, memory and latency, with baselines and the budgets. */
public final class BenchCommand implements Command {
    private static final Set<String> VALUED = Set.of("events", "days", "seed", "rate", "sweep", "duration",
            "checkpoint-interval", "parallelism", "parts", "dir", "shared");

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "measure throughput, latency, memory and state size, with baselines and budgets";
    }

    @Override
    public String usage() {
        return """
                Usage: ./lookout bench [--quick] [--json] [--events N] [--days D] [--one-file] [--rate R] [--sweep R1,R2,...]
                                       [--duration SECONDS] [--checkpoint-interval SECONDS] [--parallelism P]
                                       [--parts backfill,baselines,state,micro,streaming,dashboards,notifier,cluster]
                                       [--seed S]
                                       [--dir DIR] [--shared DIR]

                Generates seeded events for Toronto's 158 neighbourhoods (read from SHARED/data, default ../shared;
                the built-in demo city when absent, said so in the report) and a generated 10,000-area city, and
                measures:
                  backfill   the complete job graph in BATCH mode over N events (default 5,000,000 over D = 365
                             days, 1% duplicates, 0.1% bad records) in one file per unit of parallelism, and
                             over N/2 events on the same days, each in a fresh JVM: events/s wall and per
                             CPU-second, wall time, peak RSS, DuckDB rows/s, the JVM's CPU by thread (JIT, GC,
                             DuckDB native, Flink tasks, Flink sort, other), and the steady-state CPU-µs per
                             event and fixed cost from the difference of the two sizes; with --one-file also
                             the N events as one file
                  baselines  the same file through DuckDB alone (read_json, dedupe, hourly/daily counts, EARS C2
                             in SQL) and through a single-threaded Java loop; Lookout/baseline ratios
                  state      checkpoint size per part of the job and live heap after 90 days of events, 158
                             and 10,000 areas (2,000 with --quick); in a JVM of its own with -Xmx3g when this
                             one has less than 2.5 GiB, except with --quick
                  micro      JMH: NDJSON parse, Avro decode, the whole first operator (wall and CPU time),
                             area lookup (158 and 10,000 areas), dedupe state, intraday detector update, daily
                             GLR judgement and its baseline fit
                  streaming  real Kafka at R events/s (default 20,000) with checkpoints: append to
                             DuckDB-visible and append to alert p50/p99/max, and a sweep for the highest
                             sustained rate
                  dashboards the dashboards over a backfilled year of the city (30 days with --quick) with a
                             spike: page load of the map (/) and the spike's area page in headless Chromium
                             (navigation start to drawn, bytes transferred; /usr/bin/chromium), and API latency
                             p50/p99 at 50 concurrent clients (/api/areas, /api/areas/{id}/series, /api/alerts)
                  notifier   the notifier before a real SMTP server and webhook receiver on loopback: alert record
                             appended to the alerts topic -> email / webhook received, p50/p95/p99/max over 200
                             alerts (20 with --quick), beside direct sends to the same servers; and the Kafka append
                             that crosses a detector's bound -> message received, through the streaming job (50
                             events/s around the bursts)
                  cluster    only when named in --parts (needs `mvn -B -DskipTests package -Pjob-jar`): the
                             streaming job on a Flink cluster of a JobManager and two TaskManagers, each its own
                             JVM, fed by a Kafka broker in another; at parallelism 1, 2 and 4 the catch-up of a
                             backlog of 100,000 events (events/s, TaskManager CPU per event, largest checkpoint)
                             and 50 events/s live for 30 s (append to counted in the published snapshot)
                Every figure is printed with the core count, JVM, heap settings and event count; --json prints
                the same as JSON. Both are also written to DIR (default ./data/bench) as report.txt and
                report.json. --quick runs everything small (about 2.5 minutes), as CI's smoke test.
                For the memory budget run the JVM with -Xmx1g.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Options o = Options.parse(name(), args, VALUED, Set.of("quick", "json", "one-file"));
        Path dir = Path.of(o.has("dir") ? o.get("dir") : "data/bench");
        Path shared = Path.of(o.has("shared") ? o.get("shared") : System.getProperty("lookout.shared.dir", "../shared"));
        BenchSettings.Builder b = (o.has("quick") ? BenchSettings.quick(dir, shared) : BenchSettings.full(dir, shared))
                .toBuilder();
        if (o.has("events")) {
            int events = positive(o, "events", 0);
            if (events < 2) {
                throw new UsageException("--events must be at least 2 (the backfill also runs half of them)");
            }
            b.events(events);
        }
        if (o.has("days")) {
            b.days(positive(o, "days", 0));
        }
        if (o.has("one-file")) {
            b.oneFile(true);
        }
        if (o.has("seed")) {
            b.seed(o.integer("seed", 42));
        }
        if (o.has("parallelism")) {
            int parallelism = positive(o, "parallelism", 0);
            // One event file per unit: 100,000 failed with "Too many open files" after writing 19,813 of them.
            if (parallelism > LookoutConfig.MAX_PARALLELISM) {
                throw new UsageException("--parallelism must be at most " + LookoutConfig.MAX_PARALLELISM
                        + " (the job's limit)");
            }
            b.parallelism(parallelism);
        }
        if (o.has("checkpoint-interval")) {
            b.checkpointInterval(Duration.ofSeconds(positive(o, "checkpoint-interval", 0)));
        }
        if (o.has("rate")) {
            b.streamingRate(positive(o, "rate", 0));
        }
        if (o.has("duration")) {
            b.streamingDuration(Duration.ofSeconds(positive(o, "duration", 0)));
        }
        if (o.has("sweep")) {
            b.sweepRates(rates(o.get("sweep")));
        }
        if (o.has("parts")) {
            b.parts(parts(o.get("parts")));
        }
        BenchSettings s = b.build();
        if (s.oneFile() && !s.runs("backfill")) {
            throw new UsageException("--one-file adds a backfill run: it needs the backfill part");
        }
        if (s.runs("cluster")) {
            ClusterBench.requireBuilt();
        }
        try {
            WritableDirectory.probe(s.dir());
        } catch (IOException e) {
            throw new UsageException("cannot write the report to --dir " + s.dir());
        }
        BenchReport report = new BenchRun(s, System.err).execute();
        if (o.has("json")) {
            out.println(report.json());
        } else {
            report.printTable(out);
        }
        return 0;
    }

    private int positive(Options o, String option, int defaultValue) {
        int v = o.integer(option, defaultValue);
        if (v < 1) {
            throw new UsageException("--" + option + " must be at least 1");
        }
        return v;
    }

    private int[] rates(String text) {
        try {
            int[] rates = Arrays.stream(text.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
            if (rates.length == 0 || Arrays.stream(rates).anyMatch(r -> r < 1)) {
                throw new NumberFormatException();
            }
            return rates;
        } catch (NumberFormatException e) {
            throw new UsageException("--sweep must be positive whole numbers separated by commas");
        }
    }

    private Set<String> parts(String text) {
        Set<String> parts = new LinkedHashSet<>();
        for (String p : text.split(",")) {
            String part = p.strip();
            if (!BenchSettings.ALL_PARTS.contains(part)) {
                throw new UsageException("unknown part '" + part + "' (parts: " + String.join(", ", BenchSettings.PART_NAMES) + ")");
            }
            parts.add(part);
        }
        return parts;
    }
}
