package lookout.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import lookout.kernel.Causes;

/** One bench run: the parts in a fixed order (backfill first, so its peak memory is its own), into one report. */
final class BenchRun {
    /** Alert bursts in the measured streaming run: enough for a p50 and a max, each in its own quiet area. */
    private static final int BURSTS = 12;
    private static final int QUICK_BURSTS = 3;

    private final BenchSettings s;
    private final PrintStream log;
    private final BenchReport report;
    private final MachineInfo machine = MachineInfo.current();
    private BenchCity synthetic;

    BenchRun(BenchSettings settings, PrintStream log) {
        this.s = settings;
        this.log = log;
        this.report = new BenchReport(machine);
    }

    BenchReport execute() throws Exception {
        StringBuilder notes = new StringBuilder();
        BenchCity toronto = BenchCity.toronto(s.sharedDir(), notes);
        notes.toString().lines().forEach(n -> {
            log.println("bench: " + n);
            report.note(n);
        });
        report.add(load("machine.load_avg_1m.start"));
        if (s.runs("backfill") || s.runs("baselines")) {
            throughput(toronto);
        }
        part("micro", () -> {
            log.println("bench: JMH micro-benchmarks");
            report.addAll(MicroBench.run(s, toronto, synthetic()));
        });
        part("state", () -> {
            if (StateChildJvm.needed(s)) {
                report.addAll(StateChildJvm.run(s, log));
            } else {
                state(toronto);
            }
        });
        part("streaming", () -> streaming(toronto));
        part("dashboards", () -> report.addAll(new DashboardBench(s, toronto, log).run()));
        part("notifier", () -> report.addAll(new NotifierBench(s, toronto, log).run()));
        part("cluster", () -> report.addAll(new ClusterBench(s, toronto, log).run()));
        report.add(load("machine.load_avg_1m.end"));
        budgets();
        report.writeTo(s.dir());
        return report;
    }

    private void throughput(BenchCity city) throws Exception {
        EventFile.Contents contents = input(city, s.events(), s.parallelism(), "");
        long n = contents.lines();
        Figure lookout = null;
        if (s.runs("backfill")) {
            report.add(load("machine.load_avg_1m.backfill.start"));
            log.printf("bench: backfill through the full job graph (parallelism %d), each run in a fresh JVM%n",
                    s.parallelism());
            EventFile.Contents half = input(city, s.events() / 2, s.parallelism(), "");
            BackfillBench.Result small = BackfillChildJvm.run(String.format("%,d events", half.lines()), half.files(),
                    s.dir().resolve("backfill-half.duckdb"), city, s.parallelism(), false, log);
            BackfillBench.Result r = BackfillChildJvm.run(String.format("%,d events", n), contents.files(),
                    s.dir().resolve("backfill.duckdb"), city, s.parallelism(), true, log);
            report.addAll(BackfillBench.figures(r, contents, machine.cores(), city.label()));
            lookout = report.figure("backfill.events_per_s");
            report.add(new Figure("backfill.max_heap_mib", machine.maxHeapMiB(), "MiB", n,
                    "the JVM's heap limit the whole backfill ran within (-Xmx)"));
            report.addAll(BackfillBench.steadyState(small, half.lines(), r, n));
            if (s.oneFile()) {
                EventFile.Contents one = input(city, s.events(), 1, "-one-file");
                BackfillBench.Result single = BackfillChildJvm.run(String.format("%,d events in one file", n),
                        one.files(), s.dir().resolve("backfill-one-file.duckdb"), city, s.parallelism(), false, log);
                report.addAll(BackfillBench.oneFile(single, one, city.label()));
            }
            report.add(load("machine.load_avg_1m.backfill.end"));
        }
        if (!s.runs("baselines")) {
            return;
        }
        report.add(load("machine.load_avg_1m.baselines.start"));
        log.println("bench: baseline (a) DuckDB alone");
        double duckLoad = MachineInfo.loadAverage();
        DuckDbBaseline.Result duck = DuckDbBaseline.run(contents.files(), s.dir().resolve("baseline.duckdb"), s.zone());
        Figure duckRate = new Figure("baseline.duckdb.events_per_s", n / duck.seconds(), "events/s", n, String.format(
                "read_json + dedupe + hourly/daily counts + EARS C2 (%,d C2 rows) in %.2f s, DuckDB's own threads;"
                        + " load %.1f -> %.1f", duck.c2Rows(), duck.seconds(), duckLoad, MachineInfo.loadAverage()));
        report.add(duckRate);
        log.println("bench: baseline (b) single-threaded Java loop");
        JavaLoopBaseline.Result loop = JavaLoopBaseline.run(contents.files(), s.dir().resolve("baseline-loop.duckdb"), city, s.zone());
        Figure loopRate = new Figure("baseline.java_loop.events_per_s", n / loop.seconds(), "events/s", n, String.format(
                "same ingest, dedupe, counts and DuckDB store on one thread, no Flink, in %.2f s, of which %.2f s"
                        + " DuckDB upsert and %.2f s publish of %,d cells (%s)", loop.seconds(),
                loop.storeSeconds() - loop.publishSeconds(), loop.publishSeconds(), loop.cells(),
                loop.accepted() == contents.unique() ? "counts match the generator" : "COUNT MISMATCH"));
        report.add(loopRate);
        report.add(new Figure("baseline.duckdb.events_per_cpu_s", n / duck.cpuSeconds(), "events/s", n,
                String.format("events ÷ CPU time (%.1f CPU-s)", duck.cpuSeconds())));
        report.add(new Figure("baseline.java_loop.events_per_cpu_s", n / loop.cpuSeconds(), "events/s", n,
                String.format("events ÷ CPU time (%.1f CPU-s)", loop.cpuSeconds())));
        if (lookout != null) {
            report.add(new Figure("ratio.lookout_vs_duckdb", lookout.value() / duckRate.value(), "x", n,
                    "Lookout events/s ÷ DuckDB-alone events/s (≥ 1 is parity)"));
            report.add(new Figure("ratio.lookout_vs_java_loop", lookout.value() / loopRate.value(), "x", n,
                    "Lookout events/s ÷ single-threaded loop events/s"));
            Figure cpu = report.figure("backfill.events_per_cpu_s");
            report.add(new Figure("ratio.lookout_vs_duckdb.per_cpu_s", cpu.value() / (n / duck.cpuSeconds()), "x", n,
                    "the same ratio per CPU-second: the work each needs (both grow with the machine's load)"));
            Figure steady = report.figure("backfill.steady_events_per_cpu_s");
            report.add(new Figure("ratio.lookout_steady_vs_duckdb.per_cpu_s", steady.value() / (n / duck.cpuSeconds()),
                    "x", n, "Lookout's steady-state events per CPU-s ÷ DuckDB-alone events per CPU-s (all of its run)"));
            Figure single = report.figure("backfill.one_file.events_per_s");
            if (single.measured()) {
                report.add(new Figure("ratio.lookout_one_file_vs_duckdb", single.value() / duckRate.value(), "x", n,
                        "Lookout events/s on one input file ÷ DuckDB-alone events/s"));
            }
        } else {
            report.add(Figure.missing("ratio.lookout_vs_duckdb", "x", "backfill part not run"));
            report.add(Figure.missing("ratio.lookout_vs_java_loop", "x", "backfill part not run"));
            report.add(Figure.missing("ratio.lookout_vs_duckdb.per_cpu_s", "x", "backfill part not run"));
            report.add(Figure.missing("ratio.lookout_steady_vs_duckdb.per_cpu_s", "x", "backfill part not run"));
        }
        report.add(load("machine.load_avg_1m.baselines.end"));
    }

    /**
     * Seeded events of the city over the bench's days, in {@code files} files (written afresh, the same bytes for the
     * same settings), described in the log and the report.
     */
    private EventFile.Contents input(BenchCity city, long events, int files, String suffix) throws java.io.IOException {
        Path dir = s.dir().resolve("events-" + events + "-" + city.label() + "-" + s.days() + "d-seed" + s.seed() + suffix);
        log.printf("bench: writing %,d events over %d days for %s to %s (%d files)%n", events, s.days(), city.label(),
                dir, files);
        EventFile.Contents contents = EventFile.write(dir, "events", files, new ContractLines(city.index(), s.zone(), s.seed()),
                new EventFile.Settings(events, s.historyStart(), s.historySpan(), s.duplicateFraction(), s.badFraction()));
        report.note("input of " + String.format("%,d", events) + " events" + (files == 1 ? " (one file)" : "") + ": "
                + contents.describe());
        return contents;
    }

    private BenchCity synthetic() throws java.io.IOException {
        if (synthetic == null) {
            synthetic = generated(s.syntheticAreas());
        }
        return synthetic;
    }

    /** The generated city of the state part's job: the lookup's own when they are the same size. */
    private BenchCity stateCity() throws java.io.IOException {
        return s.stateAreas() == s.syntheticAreas() ? synthetic() : generated(s.stateAreas());
    }

    private BenchCity generated(int areas) throws java.io.IOException {
        log.printf("bench: generating a %,d-area synthetic city%n", areas);
        return BenchCity.synthetic(areas, s.seed(), s.dir());
    }

    /** The same days at the same rate per area for both cities, and the smaller city again at four times the rate. */
    private void state(BenchCity toronto) throws Exception {
        double rate = s.stateEventsPerAreaDay();
        Path dir = s.dir().resolve("state");
        List<StateSizeBench.Result> results = new ArrayList<>(StateSizeBench.run(toronto,
                List.of(new StateSizeBench.Stage(toronto.label(), rate), new StateSizeBench.Stage(toronto.label() + "-x4", rate * 4)),
                s.stateDays(), dir, s.checkpointInterval(), s.parallelism(), s.zone(), s.seed(), log));
        BenchCity big = stateCity();
        results.addAll(StateSizeBench.run(big, List.of(new StateSizeBench.Stage(big.label(), rate)),
                s.stateDays(), dir, s.checkpointInterval(), s.parallelism(), s.zone(), s.seed(), log));
        for (StateSizeBench.Result r : results) {
            report.addAll(StateSizeBench.figures(r, s.stateDays()));
        }
    }

    private void streaming(BenchCity city) throws Exception {
        log.printf("bench: streaming through embedded Kafka, checkpoint interval %d s%n", s.checkpointInterval().toSeconds());
        StreamingBench.Step main = onFreshRig(city, (bench, probe) -> {
            bench.sendHistory();
            log.println("bench:   warm-up");
            bench.measureWithBursts(s.streamingRate(), warmUp(), probe.warmUp());
            return bench.measureWithBursts(s.streamingRate(), s.streamingDuration(), probe.measured());
        });
        long n = main.all().count();
        String what = String.format("Kafka append -> count visible to a DuckDB reader, offered %,d/s for %d s, "
                + "checkpoint every %d s, %s", main.offered(), s.streamingDuration().toSeconds(),
                s.checkpointInterval().toSeconds(), city.label());
        report.add(new Figure("streaming.achieved_rate", main.achieved(), "events/s", n,
                "offered " + main.offered() + "/s by one producer thread on the same machine"));
        report.add(new Figure("streaming.append_to_duckdb.p50_ms", main.all().p50(), "ms", n, what));
        report.add(new Figure("streaming.append_to_duckdb.p99_ms", main.all().p99(), "ms", n, what));
        report.add(new Figure("streaming.append_to_duckdb.max_ms", main.all().max(), "ms", n,
                what + (main.all().unseen() > 0 ? "; " + main.all().unseen() + " events never became visible" : "")));
        Latencies toAlert = main.alerts().latencies();
        String alertWhat = main.alerts().note() + String.format(", during the run above (offered %,d/s)",
                main.offered());
        report.add(new Figure("streaming.append_to_alert.p50_ms", toAlert.p50(), "ms", toAlert.count(), alertWhat));
        report.add(new Figure("streaming.append_to_alert.p99_ms", toAlert.p99(), "ms", toAlert.count(), alertWhat));
        report.add(new Figure("streaming.append_to_alert.max_ms", toAlert.max(), "ms", toAlert.count(), alertWhat));
        report.add(new Figure("streaming.alerts_opened", main.opened().total(), "alerts", main.opened().total(),
                String.format("since the job started: %s; during the run above: %s. The warm-up's burst and the %d"
                        + " measured ones mean one each: more means other areas alarmed too", main.opened().describe(),
                        main.openedHere().describe(), bursts())));
        sweep(city);
    }

    /** The alert probe's measured bursts, one per target. */
    private int bursts() {
        return s.quick() ? QUICK_BURSTS : BURSTS;
    }

    /** Before each measurement on a broker and job of their own. */
    private Duration warmUp() {
        return s.streamingDuration().dividedBy(s.quick() ? 3 : 6);
    }

    /** What one broker and job are used for. */
    private interface Measurement {
        StreamingBench.Step run(StreamingBench bench, AlertProbe probe) throws Exception;
    }

    /**
     * Runs {@code measurement} on a broker and streaming job of its own. The job remembers every event for the
     * dedupe horizon (60 days), so on one job shared by every rate the sweep's later steps would carry all earlier
     * steps' state too: at 30,000/s that no longer fit in the bench's 1 GiB heap.
     */
    private StreamingBench.Step onFreshRig(BenchCity city, Measurement measurement) throws Exception {
        try (StreamingRig rig = StreamingRig.start(city, s.dir().resolve("streaming"), s.checkpointInterval(), s.parallelism());
             AlertWatcher alerts = new AlertWatcher(rig.bootstrapServers(), rig.alertTopic())) {
            AlertProbe probe = new AlertProbe(city.index(), bursts());
            AvroEvents events = new AvroEvents(new ContractLines(city.index(), s.zone(), s.seed()), s.zone(), "bench",
                    probe.quietAreas());
            StreamingBench bench = new StreamingBench(rig, events, probe, alerts, log);
            try (DuckDbWatcher watcher = new DuckDbWatcher(rig.db(), bench.visibility())) {
                return measurement.run(bench, probe);
            }
        }
    }

    /**
     * Steps up through the sweep's rates, each held for the same duration after the same warm-up on a fresh broker
     * and job, until one is not sustained. The measured run's rate is run again: its job has the alert probe's
     * history, which starts every area's history 200 hours back and so sets every area of the steady stream
     * alarming, and a sweep whose steps are not the same job would compare that storm with jobs that have none.
     */
    private void sweep(BenchCity city) throws Exception {
        int best = 0;
        StringBuilder tried = new StringBuilder();
        int[] rates = s.sweepRates().clone();
        java.util.Arrays.sort(rates);
        for (int rate : rates) {
            StreamingBench.Step step = onFreshRig(city, (bench, probe) -> {
                log.printf("bench:   sweep: %,d/s on a fresh broker and job, warm-up%n", rate);
                bench.measure(rate, warmUp());
                return bench.measure(rate, s.streamingDuration());
            });
            boolean ok = step.sustained(s.checkpointInterval());
            tried.append(String.format("%s%,d/s %s (p99 append -> DuckDB visible %.0f ms, lag growth %.0f ms)",
                    tried.length() > 0 ? "; " : "", rate, ok ? "sustained" : "NOT sustained", step.all().p99(),
                    step.lagGrowthMs()));
            if (!ok) {
                break;
            }
            best = rate;
        }
        report.add(new Figure("streaming.max_sustained_rate", best, "events/s", 0, "highest swept rate held "
                + s.streamingDuration().toSeconds() + " s without growing lag: " + tried));
    }

    /** A lookup figure measured on the demo city says nothing about 158 areas: the budget is then not judged. */
    private static Figure toronto158(Figure f) {
        return f.note().contains("ABSENT") ? Figure.missing(f.name(), f.unit(), f.note()) : f;
    }

    interface Part {
        void run() throws Exception;
    }

    /**
     * Runs {@code name} when asked for, between two readings of the load average. The report so far is written
     * before each part, so a part that fails (or a JVM that dies in it) leaves the earlier parts' figures behind,
     * with a note of what failed when there is still a JVM to write it.
     */
    void part(String name, Part part) throws Exception {
        if (s.runs(name)) {
            report.writeTo(s.dir());
            report.add(load("machine.load_avg_1m." + name + ".start"));
            try {
                part.run();
            } catch (Exception | Error e) {
                report.note("the " + name + " part failed, and the parts after it did not run: " + e + cause(e));
                report.writeTo(s.dir());
                throw e;
            }
            report.add(load("machine.load_avg_1m." + name + ".end"));
        }
    }

    /**
     * The innermost cause of {@code e}, if another, and the line of Lookout's code it came through: which reader or
     * writer failed.
     */
    static String cause(Throwable e) {
        Throwable root = Causes.innermost(e);
        return (root == e ? "" : "; its cause: " + root) + Arrays.stream(root.getStackTrace())
                .filter(f -> f.getClassName().startsWith("lookout.")).findFirst().map(f -> " at " + f).orElse("");
    }

    private Figure load(String name) {
        return new Figure(name, MachineInfo.loadAverage(), "load", 0,
                "runnable processes, 1-minute average; above " + machine.cores() + " the machine was shared");
    }

    private void budgets() {
        report.add(Budget.atLeast("backfill ≥ 300k events/s on 2 cores", "≥ 300,000 events/s",
                report.figure("backfill.events_per_s"), 300_000));
        report.add(Budget.atLeast("backfill at least DuckDB-alone speed", "ratio ≥ 1.0",
                report.figure("ratio.lookout_vs_duckdb"), 1.0));
        report.add(Budget.atMost("backfill steady state ≤ 10 µs of CPU per event", "≤ 10 CPU-µs/event",
                report.figure("backfill.steady_us_per_event"), 10));
        Figure heap = report.figure("backfill.max_heap_mib");
        report.add(Budget.atMost("5-million-event backfill in a 1 GiB heap", "completes with -Xmx1g",
                heap.events() >= 5_000_000 ? heap : Figure.missing(heap.name(), "MiB", "fewer than 5 million events"), 1024));
        Figure lookup158 = report.figure("micro.area_lookup.158_areas_ns");
        report.add(Budget.atMost("area lookup at 158 areas", "≤ 2,000 ns", toronto158(lookup158), 2_000));
        report.add(Budget.atMost("area lookup at 10,000 areas", "≤ 5,000 ns",
                report.figure("micro.area_lookup.10000_areas_ns"), 5_000));
        report.add(Budget.atMost("streaming p99 append→DuckDB visible", "≤ 2 × checkpoint interval = "
                + 2 * s.checkpointInterval().toMillis() + " ms", report.figure("streaming.append_to_duckdb.p99_ms"),
                2.0 * s.checkpointInterval().toMillis()));
        report.add(Budget.atMost("streaming p99 append→alert", "≤ 1,000 ms",
                report.figure("streaming.append_to_alert.p99_ms"), 1000));
        report.add(Budget.atMost("state beyond the dedupe horizon flat in events", "4× events: ≤ 1.25 × the state",
                detectionStateGrowth(), 1.25));
        report.add(Budget.atMost("map page load (navigation start → drawn)", "≤ 1,000 ms",
                report.figure("dashboards.page_load.map_ms"), 1000));
        report.add(Budget.atMost("area page load (navigation start → drawn)", "≤ 1,000 ms",
                report.figure("dashboards.page_load.area_ms"), 1000));
        report.add(Budget.atMost("API p99 at " + DashboardBench.CLIENTS + " concurrent clients", "≤ 100 ms",
                report.figure("dashboards.api.p99_ms"), 100));
        report.add(Budget.atMost("notifier p99 alert on the topic→email at the SMTP server", "≤ 2,000 ms",
                report.figure("notifier.alert_to_email.p99_ms"), 2000));
        report.add(Budget.atMost("notifier p99 alert on the topic→webhook received", "≤ 2,000 ms",
                report.figure("notifier.alert_to_webhook.p99_ms"), 2000));
    }

    /**
     * Detection state with four times the events on the same areas, over the state with one time: state that grows
     * with areas × buckets stays near 1. The dedupe set is allowed to grow with events within its horizon.
     */
    private Figure detectionStateGrowth() {
        String name = "state.detection_growth_x4";
        Figure more = report.figures().stream().filter(f -> f.name().endsWith("-x4.state_detection_kib")).findFirst()
                .orElse(Figure.missing(name, "×", "state part not run"));
        Figure base = report.figure(more.name().replace("-x4.", "."));
        if (!more.measured() || !base.measured() || base.value() == 0) {
            return Figure.missing(name, "×", "state part not run");
        }
        return new Figure(name, more.value() / base.value(), "×", more.events(),
                "detectors' checkpointed state at 4× the events ÷ at 1×, same areas and days");
    }
}
