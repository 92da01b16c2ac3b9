package lookout.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import lookout.bench.micro.MicroCities;

/** Part 4: the JMH micro-benchmarks of {@code lookout.bench.micro}, run from the bench command. */
final class MicroBench {
    private MicroBench() {}

    static List<Figure> run(BenchSettings s, BenchCity toronto, BenchCity synthetic) throws Exception {
        Map<String, String> cities = Map.of(MicroCities.TORONTO, toronto.boundarySetting(),
                MicroCities.SYNTHETIC, synthetic.boundarySetting());
        List<String> jvmArgs = new ArrayList<>(List.of("-Xmx1g", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=lookout"));
        cities.forEach((name, setting) -> {
            System.setProperty(MicroCities.PROPERTY_PREFIX + name, setting);
            jvmArgs.add("-D" + MicroCities.PROPERTY_PREFIX + name + "=" + setting);
        });
        if (s.quick()) {
            // The smoke test only checks that every figure is produced; another JMH run on a shared machine (which
            // holds JMH's lock file) must not fail it. A full run keeps the lock, as concurrent JMH skews figures.
            System.setProperty("jmh.ignoreLock", "true");
        }
        Options options = new OptionsBuilder()
                .include("lookout\\.bench\\.micro\\..*")
                .warmupIterations(s.jmhIterations())
                .warmupTime(TimeValue.milliseconds(s.jmhIterationTime().toMillis()))
                .measurementIterations(s.jmhIterations())
                .measurementTime(TimeValue.milliseconds(s.jmhIterationTime().toMillis()))
                .forks(s.jmhForks())
                .threads(1)
                .jvmArgsAppend(jvmArgs.toArray(String[]::new))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        String how = String.format("JMH average time, %d×%d ms warm-up + measurement, %d fork(s), 1 thread",
                s.jmhIterations(), s.jmhIterationTime().toMillis(), s.jmhForks());
        List<Figure> figures = new ArrayList<>();
        for (RunResult r : results) {
            String benchmark = r.getParams().getBenchmark();
            double ns = r.getPrimaryResult().getScore();
            String error = Double.isNaN(r.getPrimaryResult().getScoreError()) ? ""
                    : String.format(" ± %.1f", r.getPrimaryResult().getScoreError());
            figures.add(switch (benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1)) {
                case "IngestBenchmarks.ndjsonParse" -> new Figure("micro.ndjson_parse_ns", ns, "ns/op", 0,
                        "NDJSON line -> contract record (streaming parse + schema check)" + error + "; " + how);
                case "IngestBenchmarks.avroDecode" -> new Figure("micro.avro_decode_ns", ns, "ns/op", 0,
                        "Avro single-object message -> contract record" + error + "; " + how);
                case "IngestBenchmarks.ingestNdjson" -> new Figure("micro.ingest_record_ns", ns, "ns/op", 0,
                        "whole first operator per NDJSON record: parse, validate, de-identify, area lookup" + error + "; " + how);
                case "DedupeStateBenchmark.seenThenMark" -> new Figure("micro.dedupe_state_update_ns", ns, "ns/op", 0,
                        "heap keyed state with TTL: set key, read seen-flag, write it; 1M keys" + error + "; " + how);
                case "IntradayUpdateBenchmark.countAndJudge" -> new Figure("micro.detector_update_ns", ns, "ns/op", 0,
                        "intraday detector per alerting event: count in the key's hourly ring, judge the 8 h window"
                                + " against 56 days; 316 keys at 1 event/key-hour, so bounds are recomputed each new"
                                + " key-hour" + error + "; " + how);
                case "AlarmingAreaBenchmark.countJudgeAndFire" -> new Figure("micro.alarming_area_firing_ns", ns,
                        "ns/op", 0, "toxicity detector per overdose in an area whose alert is open and fires on every"
                                + " event: count it, judge the rule, fire into the alert (explanation and evidence JSON"
                                + " included; one snapshot published an hour of 500 events)" + error + "; " + how);
                case "DailyJudgementBenchmark.judgeDay" -> r.getParams().getParam("historyDays").equals("365")
                        ? new Figure("micro.daily_judgement_ns", ns, "ns/op", 0, "ExcessGlr (alert setting) judging"
                                + " one key's day at the end of a year (365 days: the weekday model a year-long backfill"
                                + " fits), baseline fitted afresh" + error + "; " + how)
                        : new Figure("micro.daily_judgement.seasonal_ns", ns, "ns/op", 0, "the same from 735 days"
                                + " (two years and a week: the seasonal model)" + error + "; " + how);
                case "FirstOperatorCpuBenchmark.ingestNdjson" -> firstOperatorCpu(r, "ndjson", error + "; " + how);
                case "FirstOperatorCpuBenchmark.ingestAvro" -> firstOperatorCpu(r, "avro", error + "; " + how);
                case "BaselineFitBenchmark.fitByWeekday" -> new Figure("micro.baseline_fit.by_weekday_ns", ns, "ns/op",
                        0, "weekday GLR baseline fitted from per-weekday sums, as the job fits it under a year of"
                                + " history, averaged over the days of a year" + error + "; " + how);
                case "BaselineFitBenchmark.fitByDay" -> new Figure("micro.baseline_fit.by_day_ns", ns, "ns/op", 0,
                        "the same fit summed over every day (the reference it is tested against)" + error + "; " + how);
                case "BaselineFitBenchmark.judgeDay" -> new Figure("micro.daily_judgement.year_average_ns", ns,
                        "ns/op", 0, "ExcessGlr (alert setting) judging one key's day, averaged over the days of a"
                                + " year" + error + "; " + how);
                case "AreaLookupBenchmark.areaAt" -> lookup(r.getParams().getParam("city"), ns, error + "; " + how,
                        toronto, synthetic);
                default -> new Figure("micro." + benchmark, ns, "ns/op", 0, how);
            });
        }
        return figures;
    }

    /** The benchmark thread's CPU time per record, from the benchmark's own counters; wall time in the note. */
    private static Figure firstOperatorCpu(RunResult r, String input, String how) {
        double cpuNanos = r.getSecondaryResults().get("cpuNanos").getScore();
        double records = r.getSecondaryResults().get("records").getScore();
        return new Figure("micro.first_operator_cpu." + input + "_ns", cpuNanos / records, "ns/op", 0,
                "CPU time of the benchmark thread per " + input + " record through the whole first operator (wall "
                        + String.format("%.0f", r.getPrimaryResult().getScore()) + " ns/op" + how + ")");
    }

    private static Figure lookup(String city, double ns, String how, BenchCity toronto, BenchCity synthetic) {
        if (city.equals(MicroCities.SYNTHETIC)) {
            return new Figure("micro.area_lookup.10000_areas_ns", ns, "ns/op", 0,
                    "AreaIndex.areaAt, " + synthetic.label() + ", points inside areas" + how);
        }
        return new Figure("micro.area_lookup.158_areas_ns", ns, "ns/op", 0, "AreaIndex.areaAt, " + toronto.label()
                + (toronto.size() == 158 ? "" : " (TORONTO FILE ABSENT: not 158 areas)") + ", points inside areas" + how);
    }
}
