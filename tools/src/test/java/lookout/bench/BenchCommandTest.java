package lookout.bench;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lookout.cluster.SharedCluster;
import lookout.kernel.Main;
import lookout.web.Chromium;

/**
 * CI's smoke test of {@code ./lookout bench --quick}: it completes and prints every figure. No timing is asserted;
 * the dashboards' figures are checked to cover what they say (the city, 30 days, 50 clients x 10 requests), and the
 * notifier's that every alert's and every burst's messages arrived. It runs beside the module's other classes, as
 * the cluster's do (see {@link SharedCluster#CHILD_JVMS}): its run waits on Kafka, Flink and its child JVMs for much
 * of its time, and its figures are not judged here.
 */
@Timeout(600)
@Execution(ExecutionMode.CONCURRENT)
@Order(4)
@ResourceLock(SharedCluster.CHILD_JVMS)
@ResourceLock(value = SharedCluster.FLINK_CONTEXT, mode = ResourceAccessMode.READ)
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void quickBenchPrintsEveryFigureAsTableAndJson() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"bench", "--quick", "--json", "--dir", dir.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, () -> err.toString(StandardCharsets.UTF_8) + reportNotes());

        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        Map<String, JsonNode> figures = new HashMap<>();
        json.get("figures").forEach(f -> figures.put(f.get("name").asText(), f));
        String table = Files.readString(dir.resolve("report.txt"));
        String city = Files.isRegularFile(Path.of(System.getProperty("lookout.shared.dir", "../shared"))
                .resolve(BenchCity.TORONTO_FILE)) ? "toronto-158" : "demo-40";

        boolean browser = Chromium.unavailable().isEmpty();
        List<Runnable> checks = new ArrayList<>();
        for (String name : expectedFigures(city)) {
            checks.add(() -> {
                JsonNode f = figures.get(name);
                assertTrue(f != null, "JSON lacks " + name);
                assertTrue(table.contains(name), "table lacks " + name);
                if (name.startsWith("dashboards.page_load.") && !browser) {
                    assertTrue(f.get("note").asText().startsWith("no headless browser"), f.toString());
                    return;
                }
                assertFalse(f.get("value").isNull(), name + " measured: " + f);
                assertTrue(f.get("cores").asInt() >= 1 && !f.get("jvm").asText().isEmpty()
                        && !f.get("heap").asText().isEmpty(), name + " carries the machine: " + f);
            });
        }
        assertAll(checks.stream().map(r -> r::run));
        assertEquals(20_000, figures.get("backfill.events_per_s").get("events").asLong());
        assertTrue(figures.get("backfill.events_per_s").get("note").asText().contains("counts match the generator"),
                figures.get("backfill.events_per_s").toString());
        assertEquals(10_000, figures.get("backfill.half.events_per_s").get("events").asLong());
        double attributed = figures.get("backfill.cpu.attributed_pct").get("value").asDouble();
        // Threads that end lose their last reading's period: a few percent of a run this short, less of a long one.
        assertTrue(attributed >= 85 && attributed <= 100.5, "the threads account for the JVM's CPU: " + attributed);
        assertTrue(figures.get("backfill.cpu.flink_tasks_s").get("value").asDouble() > 0
                && figures.get("backfill.cpu.jit_s").get("value").asDouble() > 0, "task and JIT threads used CPU");
        List<String> budgets = new ArrayList<>();
        json.get("budgets").forEach(b -> budgets.add(b.get("name").asText()));
        assertEquals(List.of("backfill ≥ 300k events/s on 2 cores", "backfill at least DuckDB-alone speed",
                "backfill steady state ≤ 10 µs of CPU per event",
                "5-million-event backfill in a 1 GiB heap",
                "area lookup at 158 areas", "area lookup at 10,000 areas", "streaming p99 append→DuckDB visible",
                "streaming p99 append→alert", "state beyond the dedupe horizon flat in events",
                "map page load (navigation start → drawn)", "area page load (navigation start → drawn)",
                "API p99 at 50 concurrent clients", "notifier p99 alert on the topic→email at the SMTP server",
                "notifier p99 alert on the topic→webhook received"), budgets);
        for (String channel : List.of("email", "webhook")) {
            assertEquals(20, figures.get("notifier.alert_to_" + channel + ".p99_ms").get("events").asLong(),
                    "every one of the 20 alerts' " + channel + " arrived");
            assertEquals(3, figures.get("notifier.append_to_" + channel + ".max_ms").get("events").asLong(),
                    "every one of the 3 bursts' " + channel + " arrived");
        }
        JsonNode rows = figures.get("dashboards.count_rows");
        assertTrue(rows.get("value").asLong() > 0 && rows.get("note").asText().contains(city + ", 30 days, "), rows.toString());
        assertEquals(500, figures.get("dashboards.api.p99_ms").get("events").asLong(), "50 clients x 10 requests");
        if (browser) {
            for (String page : List.of("map", "area")) {
                JsonNode load = figures.get("dashboards.page_load." + page + "_ms");
                assertTrue(load.get("value").asDouble() > 0, "navigation start to drawn: " + load);
                assertTrue(figures.get("dashboards.page_load." + page + "_transfer_kib").get("value").asDouble() > 1,
                        "bytes of the " + page + " page and its files");
            }
        }
        assertFalse(json.get("machine").get("jvm").asText().isEmpty());
    }

    @Test
    void badArgumentsStopWithOneLineNamingTheCommandOnce() {
        Map<String, String> cases = Map.of(
                "--events 1", "lookout bench: --events must be at least 2 (the backfill also runs half of them)",
                "--days 0", "lookout bench: --days must be at least 1",
                "--parallelism 100000", "lookout bench: --parallelism must be at most 1024 (the job's limit)",
                "--sweep 10,x", "lookout bench: --sweep must be positive whole numbers separated by commas",
                "--parts backfill,nope", "lookout bench: unknown part 'nope' (parts: "
                        + String.join(", ", BenchSettings.PART_NAMES) + ")",
                "--parts micro --one-file", "lookout bench: --one-file adds a backfill run: it needs the backfill part");
        cases.forEach((args, line) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            List<String> argv = new ArrayList<>(List.of("bench", "--dir", dir.toString()));
            argv.addAll(List.of(args.split(" ")));
            int code = Main.run(argv.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(2, code, args);
            assertEquals(line, err.toString(StandardCharsets.UTF_8).strip(), args);
            assertEquals("", out.toString(StandardCharsets.UTF_8), args);
        });
    }

    /** A Toronto file in --shared that the job would refuse stopped the bench with a raw exception name, exit 1. */
    @Test
    void aTorontoFileThatCannotBeUsedIsOneLine() throws Exception {
        Path shared = dir.resolve("shared");
        Path file = shared.resolve(BenchCity.TORONTO_FILE);
        Files.createDirectories(file.getParent());
        String square = "{\"type\":\"Feature\",\"properties\":{\"area_id\":\"%s\"},\"geometry\":{\"type\":\"Polygon\","
                + "\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}";
        Files.writeString(file, "{\"type\":\"FeatureCollection\",\"features\":[" + square.formatted("1") + ","
                + square.formatted("2") + "]}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"bench", "--parts", "micro", "--dir", dir.resolve("bench").toString(),
                "--shared", shared.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertEquals("lookout bench: --shared: boundary file " + file.normalize() + ", feature 1 (area 2): overlaps"
                + " feature 0 (area 1) by 100% of the smaller one's area, more than the 1% allowed: events there would"
                + " all be counted in area 1\n", err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    /** The report's directory was first created after the settings were read: a raw exception name, exit 1. */
    @Test
    void aReportDirectoryThatCannotBeWrittenIsOneLine() throws Exception {
        Path under = Files.writeString(dir.resolve("notes.txt"), "notes\n").resolve("bench");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"bench", "--parts", "micro", "--dir", under.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertEquals("lookout bench: cannot write the report to --dir " + under + "\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    static List<String> expectedFigures(String city) {
        List<String> names = new ArrayList<>(List.of(
                "machine.load_avg_1m.start", "machine.load_avg_1m.end",
                "backfill.half.events_per_s", "backfill.half.events_per_cpu_s", "backfill.steady_us_per_event",
                "backfill.steady_events_per_cpu_s", "backfill.steady_events_per_s", "backfill.fixed_cpu_s",
                "backfill.fixed_wall_s", "backfill.cpu.unattributed_s", "backfill.cpu.attributed_pct",
                "ratio.lookout_steady_vs_duckdb.per_cpu_s",
                "backfill.events_per_s", "backfill.events_per_s_per_core", "backfill.wall_s", "backfill.job_runtime_s",
                "backfill.peak_rss_mib", "backfill.duckdb_rows_per_s", "backfill.events_per_cpu_s", "backfill.max_heap_mib",
                "baseline.duckdb.events_per_s", "baseline.java_loop.events_per_s",
                "ratio.lookout_vs_duckdb", "ratio.lookout_vs_java_loop", "ratio.lookout_vs_duckdb.per_cpu_s",
                "baseline.duckdb.events_per_cpu_s", "baseline.java_loop.events_per_cpu_s",
                "micro.ndjson_parse_ns", "micro.avro_decode_ns", "micro.ingest_record_ns",
                "micro.area_lookup.158_areas_ns", "micro.area_lookup.10000_areas_ns", "micro.dedupe_state_update_ns",
                "micro.detector_update_ns", "micro.alarming_area_firing_ns", "micro.daily_judgement_ns",
                "micro.daily_judgement.seasonal_ns",
                "micro.daily_judgement.year_average_ns", "micro.baseline_fit.by_weekday_ns",
                "micro.baseline_fit.by_day_ns", "micro.first_operator_cpu.ndjson_ns",
                "micro.first_operator_cpu.avro_ns",
                "streaming.achieved_rate", "streaming.append_to_duckdb.p50_ms", "streaming.append_to_duckdb.p99_ms",
                "streaming.append_to_duckdb.max_ms", "streaming.append_to_alert.p50_ms",
                "streaming.append_to_alert.p99_ms", "streaming.append_to_alert.max_ms", "streaming.alerts_opened",
                "streaming.max_sustained_rate",
                "dashboards.count_rows", "dashboards.page_load.map_ms", "dashboards.page_load.map_transfer_kib",
                "dashboards.page_load.area_ms", "dashboards.page_load.area_transfer_kib", "dashboards.api.p50_ms",
                "dashboards.api.p99_ms", "dashboards.api.cpu_ms_per_request", "dashboards.api.areas.p99_ms",
                "dashboards.api.series.p99_ms", "dashboards.api.alerts.p99_ms",
                "notifier.alert_to_email.p50_ms", "notifier.alert_to_email.p95_ms", "notifier.alert_to_email.p99_ms",
                "notifier.alert_to_email.max_ms", "notifier.alert_to_webhook.p50_ms", "notifier.alert_to_webhook.p95_ms",
                "notifier.alert_to_webhook.p99_ms", "notifier.alert_to_webhook.max_ms", "notifier.cpu_ms_per_alert",
                "notifier.baseline.smtp_direct.p50_ms", "notifier.baseline.smtp_direct.p99_ms",
                "notifier.baseline.webhook_direct.p50_ms", "notifier.baseline.webhook_direct.p99_ms",
                "notifier.append_to_email.p50_ms", "notifier.append_to_email.max_ms",
                "notifier.append_to_webhook.p50_ms", "notifier.append_to_webhook.max_ms"));
        for (String part : BenchSettings.DEFAULT_PARTS) {
            names.add("machine.load_avg_1m." + part + ".start");
            names.add("machine.load_avg_1m." + part + ".end");
        }
        for (ThreadCpu.Kind k : ThreadCpu.Kind.values()) {
            names.add("backfill.cpu." + k.key() + "_s");
        }
        int stateAreas = BenchSettings.quick(Path.of("."), Path.of(".")).stateAreas();
        for (String c : List.of(city, city + "-x4", "synthetic-" + stateAreas)) {
            for (String f : List.of("checkpoint_kib", "checkpoint_bytes_per_event", "state_dedupe_kib", "state_linker_kib",
                    "state_detection_kib", "state_other_kib", "heap_mib", "duckdb_mib")) {
                names.add("state." + c + "." + f);
            }
        }
        return names;
    }

    /** The report's notes, which name a failed part and where its cause came from. */
    private String reportNotes() {
        try {
            return Files.readString(dir.resolve("report.txt")).lines().filter(l -> l.startsWith("note: "))
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "(no report: " + e + ")";
        }
    }
}
