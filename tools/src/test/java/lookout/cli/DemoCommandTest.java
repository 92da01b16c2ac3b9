package lookout.cli;

import static lookout.demo.DemoCommand.DEFAULT_PORT;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lookout.demo.DemoCommand;
import lookout.sink.DuckDbStore;
import lookout.testing.CliProcess;
import lookout.testing.FlinkRest;
import lookout.testing.ListeningSockets;

/** {@code ./lookout demo} in its own process, as a user starts it in a directory that holds other things. */
@Timeout(400)
class DemoCommandTest {
    @TempDir
    Path dir;

    /** The help reads in a terminal as the other commands' do: no line wider than 100 columns. */
    @Test
    void theHelpHasNoLineWiderThanAHundredColumns() {
        assertEquals(List.of(), new DemoCommand().usage().lines().filter(l -> l.length() > 100).toList());
    }

    @Test
    void keepsToItsOwnFilesListensOnLoopbackOnlyServesTheDashboardsAndFailsWhenItsJobIsCancelledFromOutside()
            throws Exception {
        assumeTrue(ListeningSockets.supported(), "skipped: needs Linux's /proc to list the process's sockets");
        Path cwd = Files.createDirectories(dir.resolve("work"));
        Path precious = Files.writeString(Files.createDirectories(cwd.resolve("data/checkpoints")).resolve("notes.txt"),
                "not the demo's\n");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        CliProcess demo;
        // The default port taken (by this test, or already by something else): the demo picks a free one.
        try (ServerSocket taken = holdIfFree(DEFAULT_PORT)) {
            demo = CliProcess.start(cwd, dir.resolve("logs"), tmp, Map.of(),
                    "demo", "--seconds", "600", "--live-seconds", "1");
            RunningJob.await(demo, 240);
        }
        try {
            RunningJob job = RunningJob.await(demo, 10);
            String first = demo.stdout().lines().findFirst().orElse("");
            Matcher url = Pattern.compile("lookout demo: dashboards at (http://127\\.0\\.0\\.1:(\\d+)/) \\(port "
                    + DEFAULT_PORT + " is in use\\)").matcher(first);
            assertTrue(url.matches(), "the first line gives the dashboards' URL: " + first);
            assertTrue(job.sockets().stream().anyMatch(s -> s.port() == Integer.parseInt(url.group(2))),
                    "the dashboards listen on the port printed");
            assertEquals(40, areasOnceWritten(URI.create(url.group(1)), 120), "areas the dashboards list");
            assertTheOpenDataReleaseIsServed(demo, URI.create(url.group(1)));
            assertTheDemosAccountsSignIn(demo, URI.create(url.group(1)));
            assertAll(
                    () -> assertEquals(List.of(), job.sockets().stream().filter(s -> !s.loopback()).toList(),
                            "sockets listening beyond loopback"),
                    () -> assertEquals("not the demo's\n", Files.exists(precious) ? Files.readString(precious) : "(deleted)"));

            assertEquals(202, FlinkRest.cancel(job.restPort(), job.id()));
            int code = demo.waitFor(90);
            assertAll(
                    () -> assertEquals(1, code),
                    () -> assertEquals(List.of("lookout demo: the Flink job " + job.id() + " was cancelled from outside this"
                            + " command (e.g. through Flink's REST API)"), demo.commandErrors("demo")),
                    () -> assertEquals(List.of(), demo.stackTraceLines(), "no stack trace"),
                    () -> assertEquals("not the demo's\n", Files.readString(precious)),
                    () -> assertEquals(List.of(), TempFilesTest.contents(tmp), "left in the temp directory"));
        } finally {
            demo.kill();
        }
    }

    /**
     * {@code --seconds} bounds the whole run, as a user reads it: 20 s stops the demo before its live day, replayed
     * over the default 60 s, is all sent. It used to count from the live day's last record, so that a demo asked for
     * 140 s took about 200. An earlier demo's database is replaced without a word: the dashboards used to open it,
     * see the demo delete it, and log that the published database could not be read.
     */
    @Test
    void secondsBoundsTheWholeRunLiveReplayIncluded() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("work"));
        try (DuckDbStore earlier = DuckDbStore.open(Files.createDirectories(cwd.resolve("data"))
                .resolve("lookout.duckdb"), 0L, ZoneId.of("America/Toronto"))) {
            earlier.publish();
        }
        CliProcess demo = CliProcess.start(cwd, dir.resolve("logs"), Files.createDirectories(dir.resolve("tmp")),
                Map.of(), "demo", "--seconds", "20", "--port", "0");
        try {
            int code = demo.waitFor(120);
            String out = demo.stdout();
            assertAll(
                    () -> assertEquals(0, code, demo.stderr()),
                    () -> assertTrue(out.contains("\n  stops 20 s after it started (--seconds 20), or with Ctrl-C\n"),
                            out),
                    () -> assertTrue(out.contains("\nlookout demo: stopped 20 s after it started (--seconds 20); "),
                            out),
                    () -> assertFalse(out.contains("all generated records published"), out),
                    () -> assertFalse(demo.stderr().contains("cannot be read") || out.contains("cannot be read"),
                            demo.stderr()),
                    () -> assertEquals(List.of(), demo.stackTraceLines(), "no stack trace"));
        } finally {
            demo.kill();
        }
    }

    /**
     * Once the job has counted the demo's days, their public tier is published as a release that the dashboards
     * serve: the release the demo names is the one the API lists, and its daily counts withhold every count below k.
     * Its coroner counts end 56 days (the demo's longest reporting delay) before its last day, and the demo says so.
     */
    private static void assertTheOpenDataReleaseIsServed(CliProcess demo, URI base) throws Exception {
        Pattern line = Pattern.compile("  open data: release (\\d{4}-\\d\\d-\\d\\d) at " + Pattern.quote(base
                + "open-data/") + " \\(public release \\S+, k=5: \\d+ cells, \\d+ suppressed, 12 files in .+\\)");
        long deadline = System.nanoTime() + 120_000_000_000L;
        Matcher said = line.matcher("");
        while (demo.stdout().lines().noneMatch(l -> said.reset(l).matches())) {
            assertTrue(demo.isAlive(), "the demo ended early; stderr:\n" + demo.stderr());
            assertTrue(System.nanoTime() < deadline, "no open-data release within 120 s:\n" + demo.stdout());
            Thread.sleep(500);
        }
        HttpClient client = HttpClient.newHttpClient();
        JsonNode releases = new ObjectMapper().readTree(client.send(HttpRequest.newBuilder(
                base.resolve("/api/public/releases")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(1, releases.size(), releases.toString());
        assertEquals(said.group(1), releases.get(0).path("id").asText());
        String day = client.send(HttpRequest.newBuilder(base.resolve(releases.get(0).path("url").asText()
                + "public_day.csv")).build(), HttpResponse.BodyHandlers.ofString()).body();
        List<String> rows = day.lines().toList();
        assertEquals("signal,granularity,period_start,period_end,area_id,area_name,count,suppressed", rows.get(0));
        List<String> small = rows.stream().skip(1).map(r -> r.split(",", -1)).filter(r -> !r[6].isEmpty()
                && Long.parseLong(r[6]) < 5).map(r -> String.join(",", r)).toList();
        assertEquals(List.of(), small, "counts below k published");
        assertTrue(rows.stream().skip(1).anyMatch(r -> r.endsWith(",false")), "some counts published");
        LocalDate coronerEnd = LocalDate.parse(said.group(1)).minusDays(56);
        assertEquals(Optional.of(coronerEnd), rows.stream().filter(r -> r.startsWith("coroner,day,"))
                .map(r -> LocalDate.parse(r.split(",")[2])).max(LocalDate::compareTo), "the coroner's last day");
        assertTrue(demo.stdout().contains("\n  open data: coroner counts to " + coronerEnd + ", 56 days before "
                + said.group(1) + " (--coroner-lag 56): later deaths are still being reported\n"), demo.stdout());
    }

    /**
     * Without {@code --users} the demo makes an analyst and an outreach lead and prints their tokens: the analyst
     * sees every area's alerts, the outreach lead those of its three areas only.
     */
    private static void assertTheDemosAccountsSignIn(CliProcess demo, URI base) throws Exception {
        String analyst = token(demo, "    analyst, every area: ");
        String outreach = token(demo, "    outreach lead of Ashgrove, Larkspur Commons, Stonebridge: ");
        Set<String> areas = Set.of("D11", "D12", "D13");
        // The analyst's list before and after the outreach lead's: the job may publish an alert in between.
        Set<String> before = spikes(alerts(base, analyst), areas);
        List<JsonNode> toOutreach = alerts(base, outreach);
        Set<String> after = spikes(alerts(base, analyst), areas);
        Set<String> seen = spikes(toOutreach, areas);
        assertEquals(toOutreach.size(), seen.size(), "alerts outside the outreach lead's areas: " + toOutreach);
        assertTrue(seen.containsAll(before) && after.containsAll(seen), "the outreach lead sees the alerts of its"
                + " areas: " + before + " " + seen + " " + after);
    }

    private static List<JsonNode> alerts(URI base, String token) throws Exception {
        HttpResponse<String> alerts = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                base.resolve("/api/alerts")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, alerts.statusCode(), alerts.body());
        List<JsonNode> list = new ArrayList<>();
        new ObjectMapper().readTree(alerts.body()).forEach(list::add);
        return list;
    }

    /** The spike ids of the alerts in {@code areas}. */
    private static Set<String> spikes(List<JsonNode> alerts, Set<String> areas) {
        Set<String> spikes = new TreeSet<>();
        alerts.stream().filter(a -> areas.contains(a.path("area_id").asText()))
                .forEach(a -> spikes.add(a.path("spike_id").asText()));
        return spikes;
    }

    /** The token the demo printed after {@code prefix}. */
    private static String token(CliProcess demo, String prefix) throws IOException {
        String out = demo.stdout();
        return out.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no line '" + prefix + "…':\n" + out));
    }

    /** A socket bound to {@code port} on loopback, or null when something else holds it already. */
    static ServerSocket holdIfFree(int port) {
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return s;
        } catch (IOException e) {
            return null;
        }
    }

    /** The areas the dashboards' API lists, once the job's first snapshot is published. */
    static int areasOnceWritten(URI base, long seconds) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        HttpResponse<String> page = null;
        while (System.nanoTime() < deadline) {
            page = client.send(HttpRequest.newBuilder(base.resolve("/api/areas")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (page.statusCode() == 200) {
                return page.body().split("\"area_id\"", -1).length - 1;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("/api/areas answered " + page.statusCode() + " for " + seconds + " s: " + page.body());
    }

    /** A job found through the REST API of a command's local cluster, and the sockets the command listens on. */
    record RunningJob(int restPort, String id, List<ListeningSockets.Socket> sockets) {
        static RunningJob await(CliProcess command, long seconds) throws Exception {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (!command.isAlive()) {
                    throw new AssertionError("ended before its job ran; stderr:\n" + command.stderr());
                }
                List<ListeningSockets.Socket> sockets = ListeningSockets.of(command.pid());
                var port = ListeningSockets.flinkRest(sockets);
                if (port.isPresent()) {
                    var id = FlinkRest.runningJob(port.get());
                    if (id.isPresent()) {
                        return new RunningJob(port.get(), id.get(), ListeningSockets.of(command.pid()));
                    }
                }
                Thread.sleep(500);
            }
            throw new AssertionError("no running job within " + seconds + " s; stderr:\n" + command.stderr());
        }
    }
}
