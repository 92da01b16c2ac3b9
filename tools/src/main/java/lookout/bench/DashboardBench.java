package lookout.bench;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

import lookout.dashboards.AuditLog;
import lookout.dashboards.DashboardServer;
import lookout.dashboards.Role;
import lookout.dashboards.Snapshot;
import lookout.dashboards.Users;
import lookout.demo.DemoStreamGenerator;
import lookout.geo.Area;
import lookout.sink.DuckDbStore;
import lookout.web.Chromium;
import lookout.web.YearOfEvents;

/**
 * The dashboards over a backfilled history of the bench city ({@link YearOfEvents}, through the complete job
 * graph): page load of the map and of the spike's area page in headless Chromium (Navigation Timing, navigation
 * start to the page's data-ready, cache disabled so each load is a first visit), and API latency with
 * {@value #CLIENTS} concurrent clients over real HTTP.
 */
final class DashboardBench {
    static final int CLIENTS = 50;
    private static final Duration READY = Duration.ofSeconds(30);

    /** What one run covers: the days of history, the events generated and the rows and bytes the pages read. */
    record Data(int days, int events, long countRows, long alerts, long fileBytes, String city, String spikeArea) {
        String describe() {
            return String.format("%s, %d days, %,d events, %,d count rows, %d alerts, %.1f MiB snapshot", city, days,
                    events, countRows, alerts, fileBytes / 1048576.0);
        }
    }

    private final BenchSettings s;
    private final BenchCity city;
    private final PrintStream log;

    DashboardBench(BenchSettings settings, BenchCity city, PrintStream log) {
        this.s = settings;
        this.city = city;
        this.log = log;
    }

    List<Figure> run() throws Exception {
        Path dir = Files.createDirectories(s.dir().resolve("dashboards"));
        String spikeArea = city.label().startsWith("toronto") ? "170" : "D12";
        Instant end = s.historyStart().plus(Duration.ofDays(s.dashboardDays()));
        DemoStreamGenerator generator = new DemoStreamGenerator(YearOfEvents.settings(city.index(), spikeArea, end,
                s.dashboardDays(), s.zone(), s.seed()).build());
        Path events = dir.resolve("events.ndjson");
        List<String> lines = generator.generate();
        Files.write(events, lines, StandardCharsets.UTF_8);
        Path db = dir.resolve("dashboards.duckdb");
        log.printf("bench: dashboards: backfilling %d days of %s (%,d events)%n", s.dashboardDays(), city.label(), lines.size());
        BackfillBench.run(List.of(events), db, city.boundarySetting(), s.parallelism());
        Files.delete(events);
        Data data = new Data(s.dashboardDays(), lines.size(),
                count(db, "SELECT count(*) FROM area_counts"), count(db, "SELECT count(*) FROM spikes"),
                Files.size(db), city.label(), spikeArea);
        Path usersFile = dir.resolve("users.txt");
        Files.deleteIfExists(usersFile);
        String analyst = Users.add(usersFile, "bench", Role.ANALYST, Set.of());

        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure("dashboards.count_rows", data.countRows(), "rows", data.events(),
                "the snapshot the dashboards read: " + data.describe()));
        try (Snapshot snapshot = new Snapshot(db);
             DashboardServer server = new DashboardServer(snapshot, Users.read(usersFile),
                     new AuditLog(dir.resolve("audit.log"), Clock.systemUTC()), r -> {})) {
            URI base = URI.create("http://127.0.0.1:" + server.start("127.0.0.1", 0));
            figures.addAll(pageLoads(base, analyst, data));
            figures.addAll(apiLatency(base, analyst, data));
        }
        return figures;
    }

    private static long count(Path db, String sql) throws Exception {
        try (Connection c = DuckDbStore.openPublished(db);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<Figure> pageLoads(URI base, String token, Data data) throws Exception {
        List<String> names = List.of("map", "area");
        List<URI> pages = List.of(base.resolve("/"), base.resolve("/areas/" + data.spikeArea()));
        var unavailable = Chromium.unavailable();
        List<Figure> figures = new ArrayList<>();
        if (unavailable.isPresent()) {
            for (String name : names) {
                figures.add(Figure.missing("dashboards.page_load." + name + "_ms", "ms", "no headless browser: " + unavailable.get()));
                figures.add(Figure.missing("dashboards.page_load." + name + "_transfer_kib", "KiB", "no headless browser"));
            }
            return figures;
        }
        try (Chromium chrome = Chromium.start(Chromium.DESKTOP)) {
            signIn(chrome, base, token);
            chrome.disableCache();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                URI page = pages.get(i);
                int status = status(page, token);
                if (status != 200) {
                    figures.add(Figure.missing("dashboards.page_load." + name + "_ms", "ms", page.getPath() + " answered " + status));
                    figures.add(Figure.missing("dashboards.page_load." + name + "_transfer_kib", "KiB", page.getPath() + " answered " + status));
                    continue;
                }
                log.printf("bench: dashboards: loading %s %d times%n", page.getPath(), s.pageLoads());
                chrome.load(page, READY);
                List<Double> ms = new ArrayList<>();
                Chromium.Timing last = null;
                for (int k = 0; k < s.pageLoads(); k++) {
                    chrome.load(page, READY);
                    last = chrome.timing();
                    ms.add(last.readyMs());
                }
                Latencies l = Latencies.of(ms, 0);
                String what = String.format("%s signed in as analyst, desktop 1280x800, cache disabled: navigation start"
                        + " -> data-ready, median of %d loads (max %.0f ms), %d requests; %s; load average %.1f on %d cores",
                        page.getPath(), ms.size(), l.max(), last.requests(), data.describe(), MachineInfo.loadAverage(),
                        Runtime.getRuntime().availableProcessors());
                figures.add(new Figure("dashboards.page_load." + name + "_ms", l.p50(), "ms", data.events(), what));
                figures.add(new Figure("dashboards.page_load." + name + "_transfer_kib", last.transferBytes() / 1024.0,
                        "KiB", data.events(), "bytes over the wire for " + page.getPath()
                        + " and everything it loads (compressed as sent)"));
            }
        }
        return figures;
    }

    private static void signIn(Chromium chrome, URI base, String token) {
        chrome.driver().get(base.resolve("/login").toString());
        chrome.driver().findElement(By.id("token")).sendKeys(token);
        chrome.driver().findElement(By.cssSelector("form.signin button[type=submit]")).click();
        new WebDriverWait(chrome.driver(), READY)
                .until(d -> !d.getCurrentUrl().endsWith("/login"));
    }

    private static int status(URI page, String token) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(page).header("Authorization", "Bearer " + token).build();
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * {@value #CLIENTS} threads, each sending its requests one after another (the next when the last answered), in
     * turn to the three endpoints; series requests go round the areas. Latency is send to last byte read. A tenth as
     * many requests first, unmeasured, warm the server up.
     */
    private List<Figure> apiLatency(URI base, String token, Data data) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        log.printf("bench: dashboards: %d clients x %d API requests, after a tenth as many unmeasured%n", CLIENTS,
                s.apiRequestsPerClient());
        requests(client, base, token, Math.max(1, s.apiRequestsPerClient() / 10));
        long start = System.nanoTime();
        double cpuStart = MachineInfo.processCpuSeconds();
        Map<String, List<Double>> byEndpoint = requests(client, base, token, s.apiRequestsPerClient());
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = MachineInfo.processCpuSeconds() - cpuStart;
        List<Double> all = new ArrayList<>();
        byEndpoint.values().forEach(all::addAll);
        Latencies total = Latencies.of(all, 0);
        String what = String.format("%d concurrent clients over HTTP/1.1 on loopback, %,d requests in turn to /api/areas,"
                + " /api/areas/{id}/series (hourly, every area) and /api/alerts as analyst, %.0f requests/s; %s;"
                + " load average %.1f on %d cores", CLIENTS, all.size(), all.size() / seconds, data.describe(),
                MachineInfo.loadAverage(), Runtime.getRuntime().availableProcessors());
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure("dashboards.api.p50_ms", total.p50(), "ms", all.size(), what));
        figures.add(new Figure("dashboards.api.p99_ms", total.p99(), "ms", all.size(), what));
        figures.add(new Figure("dashboards.api.cpu_ms_per_request", cpuSeconds * 1000 / all.size(), "ms", all.size(),
                String.format("CPU time of the whole JVM (server and the 50 clients) ÷ requests, %.1f CPU-s: what a"
                        + " request costs whatever else ran; %d cores serve at most cores × 1000 ÷ this per second",
                        cpuSeconds, Runtime.getRuntime().availableProcessors())));
        for (String endpoint : List.of("areas", "series", "alerts")) {
            Latencies l = Latencies.of(byEndpoint.get(endpoint), 0);
            figures.add(new Figure("dashboards.api." + endpoint + ".p99_ms", l.p99(), "ms", l.count(),
                    String.format("the same run, %s requests only (p50 %.1f ms, max %.1f ms)", endpoint, l.p50(), l.max())));
        }
        return figures;
    }

    /** {@value #CLIENTS} clients sending {@code perClient} requests each, as described above; latencies by endpoint. */
    private Map<String, List<Double>> requests(HttpClient client, URI base, String token, int perClient) throws Exception {
        List<String> areas = city.index().areas().stream().map(Area::id).toList();
        Map<String, List<Double>> byEndpoint = Map.of(
                "areas", Collections.synchronizedList(new ArrayList<>()),
                "series", Collections.synchronizedList(new ArrayList<>()),
                "alerts", Collections.synchronizedList(new ArrayList<>()));
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Void>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int first = c;
                clients.add(pool.submit(() -> {
                    for (int i = 0; i < perClient; i++) {
                        int n = first + i * CLIENTS;
                        String endpoint = List.of("areas", "series", "alerts").get(n % 3);
                        String path = switch (endpoint) {
                            case "areas" -> "/api/areas";
                            case "series" -> "/api/areas/" + areas.get(n % areas.size())
                                    + "/series?signal=paramedic&granularity=hour";
                            default -> "/api/alerts";
                        };
                        HttpRequest r = HttpRequest.newBuilder(base.resolve(path))
                                .header("Authorization", "Bearer " + token).build();
                        long t = System.nanoTime();
                        HttpResponse<byte[]> answer = client.send(r, HttpResponse.BodyHandlers.ofByteArray());
                        double ms = (System.nanoTime() - t) / 1e6;
                        if (answer.statusCode() != 200) {
                            throw new IllegalStateException(path + " answered " + answer.statusCode());
                        }
                        byEndpoint.get(endpoint).add(ms);
                    }
                    return null;
                }));
            }
            for (Future<Void> f : clients) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return byEndpoint;
    }
}
