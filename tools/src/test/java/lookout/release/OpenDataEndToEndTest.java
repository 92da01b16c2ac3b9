package lookout.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import lookout.dashboards.AuditLog;
import lookout.dashboards.DashboardServer;
import lookout.dashboards.OpenData;
import lookout.dashboards.Snapshot;
import lookout.dashboards.Users;
import lookout.demo.DemoStreamGenerator;
import lookout.demo.DemoStreamGenerator.TimedLine;
import lookout.geo.Area;
import lookout.geo.AreaIndex;
import lookout.ingest.Source;
import lookout.kernel.Main;
import lookout.release.PublicReleaseWriter.Row;

/**
 * A small city backfilled twice, eight weeks as known on 27 April and ten weeks once more of the coroner's reports
 * (two to eight weeks late) have arrived, published as two open-data releases (the coroner's counts ending three
 * weeks before the others', on 5 and 19 April), served, and downloaded the way a journalist would: every
 * file the open-data page links to, over HTTP. The downloads must match their manifests and pass the public
 * tier's checks: no published count below k, a withheld cell withheld in both releases, the revision log exactly
 * the difference of the two, and no withheld cell recoverable from either release or from both together.
 */
@Timeout(600)
class OpenDataEndToEndTest {
    private static final Pattern HREF = Pattern.compile("href=\"(/open-data/releases/[^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> AREAS = List.of("N1", "N2", "N3", "N4");
    private static final LocalDate FIRST_THROUGH = LocalDate.of(2026, 4, 26);
    private static final LocalDate SECOND_THROUGH = LocalDate.of(2026, 5, 10);
    /** Midnight at the end of 26 April in Toronto (daylight time): what the first release knew. */
    private static final Instant FIRST_KNOWN = Instant.parse("2026-04-27T04:00:00Z");

    @TempDir
    Path tmp;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void twoReleasesServedAndDownloadedFromTheOpenDataPagePassThePublicTiersChecks() throws Exception {
        Path boundaries = Files.writeString(tmp.resolve("city.geojson"), smallCity());
        AreaIndex city = AreaIndex.fromGeoJson(boundaries);
        DemoStreamGenerator generator = new DemoStreamGenerator(DemoStreamGenerator.Settings
                .builder(city.areas().stream().map(Area::id).toList(), city)
                .seed(11).days(70).badFraction(0).duplicateFraction(0.01)
                .ratePerDay(Source.PARAMEDIC, 6).ratePerDay(Source.NALOXONE, 2).ratePerDay(Source.CORONER, 8)
                .checkingSites(2).build());
        List<TimedLine> lines = generator.timedLines();
        Path known = Files.write(tmp.resolve("known-on-27-april.ndjson"),
                lines.stream().filter(l -> l.deliverAt().isBefore(FIRST_KNOWN)).map(TimedLine::line).toList());
        Path all = Files.write(tmp.resolve("all.ndjson"), lines.stream().map(TimedLine::line).toList());
        assertTrue(lines.stream().anyMatch(l -> !l.deliverAt().isBefore(FIRST_KNOWN) && l.line().contains("\"coroner\"")),
                "some coroner reports arrive after the first release");

        Path openData = tmp.resolve("open-data");
        Path first = backfill(known, boundaries, tmp.resolve("first.duckdb"));
        publish(first, openData, FIRST_THROUGH);
        Path second = backfill(all, boundaries, tmp.resolve("second.duckdb"));
        publish(second, openData, SECOND_THROUGH);

        try (Snapshot snapshot = new Snapshot(second);
             DashboardServer server = new DashboardServer(snapshot, Users.none(),
                     new AuditLog(tmp.resolve("audit.log"), Clock.systemUTC()), DashboardServer.DEFAULT_ZONE, OpenData.in(openData),
                     r -> {})) {
            int port = server.start("127.0.0.1", 0);
            URI base = URI.create("http://127.0.0.1:" + port);

            Map<String, Map<String, String>> sha256 = new HashMap<>();
            for (JsonNode release : JSON.readTree(get(base.resolve("/api/public/releases")).body())) {
                Map<String, String> files = new HashMap<>();
                release.get("files").forEach(f -> files.put(f.get("name").asText(), f.get("sha256").asText()));
                sha256.put(release.get("id").asText(), files);
            }
            assertEquals(Set.of("2026-04-26", "2026-05-10"), sha256.keySet());

            Map<String, Map<String, byte[]>> downloads = downloadEverythingLinked(base, sha256);
            for (String id : sha256.keySet()) {
                Set<String> expected = new TreeSet<>(sha256.get(id).keySet());
                expected.add("manifest.json");
                assertEquals(expected, downloads.get(id).keySet(), "the pages link every file of release " + id);
            }
            checkPublicTier(downloads.get("2026-04-26"), downloads.get("2026-05-10"));
            checkFeed(base);
        }
    }

    /** Follows the latest release's page to the earlier one's; every file link is downloaded once and checked. */
    private Map<String, Map<String, byte[]>> downloadEverythingLinked(URI base, Map<String, Map<String, String>> sha256)
            throws Exception {
        Map<String, Map<String, byte[]>> downloads = new LinkedHashMap<>();
        List<String> pages = new ArrayList<>(List.of("/open-data/"));
        Set<String> seen = new TreeSet<>(pages);
        for (int i = 0; i < pages.size(); i++) {
            HttpResponse<String> page = get(base.resolve(pages.get(i)));
            assertEquals(200, page.statusCode(), pages.get(i));
            Matcher m = HREF.matcher(page.body());
            while (m.find()) {
                String href = m.group(1);
                if (!seen.add(href)) {
                    continue;
                }
                String[] parts = href.substring("/open-data/releases/".length()).split("/", -1);
                if (parts[1].isEmpty()) {
                    pages.add(href);
                    continue;
                }
                HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(base.resolve(href)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, file.statusCode(), href);
                if (!parts[1].equals("manifest.json")) {
                    assertEquals(sha256.get(parts[0]).get(parts[1]),
                            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file.body())), href);
                }
                downloads.computeIfAbsent(parts[0], k -> new TreeMap<>()).put(parts[1], file.body());
            }
        }
        return downloads;
    }

    private void checkPublicTier(Map<String, byte[]> earlier, Map<String, byte[]> later) throws Exception {
        PublicDownloads earlierRelease = new PublicDownloads(earlier, tmp);
        PublicDownloads laterRelease = new PublicDownloads(later, tmp);
        earlierRelease.check();
        laterRelease.check();
        List<Row> before = earlierRelease.rows();
        List<Row> after = laterRelease.rows();
        PublicDownloads.requireStatusKept(before, after);
        Map<ReleaseLedger.Key, Row> now = new HashMap<>();
        after.forEach(r -> now.put(r.key(), r));
        List<String> changed = new ArrayList<>();
        for (Row b : before) {
            Row a = now.get(b.key());
            if (!b.suppressed() && !a.count().equals(b.count())) {
                changed.add(b.signal() + "," + b.granularity().code() + "," + b.periodStart() + "," + b.areaId() + ","
                        + b.count() + "," + a.count());
            }
        }
        // Quoted area names may hold commas; the check needs the other fields only.
        List<String> logged = new String(later.get(OpenDataPublisher.REVISIONS_CSV), StandardCharsets.UTF_8).lines().skip(1)
                .map(l -> l.replaceAll("\"([^\"]|\"\")*\"", "name").split(",", -1))
                .map(f -> f[0] + "," + f[1] + "," + f[2] + "," + f[4] + "," + f[7] + "," + f[8]).toList();
        assertEquals(changed, logged, "the revision log is exactly what changed");
        assertTrue(logged.stream().anyMatch(l -> l.startsWith("coroner,day,") && !l.contains(",ALL,")),
                "a late coroner report raised a published day count: " + logged);

        LocalDate first = after.stream().map(Row::periodStart).min(LocalDate::compareTo).orElseThrow();
        for (String signal : PublicRelease.PUBLIC_SIGNALS) {
            List<PublicCell> cells1 = cells(before, signal);
            List<PublicCell> cells2 = cells(after, signal);
            if (cells2.isEmpty()) {
                continue;
            }
            DisclosureAuditor auditor = new DisclosureAuditor(AREAS, first, SECOND_THROUGH);
            auditor.addRelease(cells1, revisions(before, now, signal, first));
            auditor.addRelease(cells2, new long[AREAS.size()][days(first)]);
            assertEquals(List.of(), auditor.recoverableCells(), signal);
            DifferencingAuditor differencing = new DifferencingAuditor(AREAS, first, SECOND_THROUGH);
            differencing.addEarlier(cells1);
            differencing.addLater(cells2);
            assertEquals(List.of(), differencing.disclosures(), signal);
        }
    }

    /**
     * How much each area-day grew between the releases, as anyone holding both can tell: a published area-day's
     * difference (a withheld one keeps its first-released count in every total, so it grows by nothing).
     */
    private static long[][] revisions(List<Row> before, Map<ReleaseLedger.Key, Row> now, String signal, LocalDate first) {
        long[][] growth = new long[AREAS.size()][days(first)];
        for (Row b : before) {
            if (b.signal().equals(signal) && b.granularity() == Granularity.DAY && !b.suppressed()
                    && AREAS.contains(b.areaId())) {
                growth[AREAS.indexOf(b.areaId())][(int) ChronoUnit.DAYS.between(first, b.periodStart())] =
                        now.get(b.key()).count() - b.count();
            }
        }
        return growth;
    }

    private static int days(LocalDate first) {
        return (int) ChronoUnit.DAYS.between(first, SECOND_THROUGH) + 1;
    }

    private static List<PublicCell> cells(List<Row> rows, String signal) {
        return rows.stream().filter(r -> r.signal().equals(signal))
                .map(r -> new PublicCell(r.signal(), r.granularity(), r.periodStart(), r.areaId(), r.count())).toList();
    }

    private void checkFeed(URI base) throws Exception {
        HttpResponse<String> feed = get(base.resolve("/open-data/feed.atom"));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(feed.body().getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, doc.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "entry").getLength());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Path backfill(Path input, Path boundaries, Path db) {
        run("backfill", "--input", input.toString(), "--db", db.toString(), "--boundaries", boundaries.toString());
        return db;
    }

    private void publish(Path db, Path openData, LocalDate through) {
        String out = run("export", "--tier", "public", "--db", db.toString(), "--open-data", openData.toString(),
                "--through", through.toString(), "--coroner-lag", "21", "--ledger",
                tmp.resolve("ledger.csv").toString());
        assertTrue(out.contains("open data: release " + through), out);
        assertFalse(Files.exists(openData.resolve(through.toString()).resolve("public-release-ledger.csv")));
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Four square neighbourhoods in a 2 x 2 grid near downtown Toronto; one name holds a comma and quotes. */
    private static String smallCity() {
        List<String> names = List.of("Harbour", "Market, \\\"Old\\\" Town", "Park", "Junction");
        StringBuilder b = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        for (int i = 0; i < AREAS.size(); i++) {
            double lon = -79.40 + (i % 2) * 0.02;
            double lat = 43.64 + (i / 2) * 0.02;
            b.append(i == 0 ? "" : ",").append("{\"type\":\"Feature\",\"properties\":{\"area_id\":\"").append(AREAS.get(i))
                    .append("\",\"name\":\"").append(names.get(i)).append("\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[")
                    .append(String.format(java.util.Locale.ROOT, "[%.2f,%.2f],[%.2f,%.2f],[%.2f,%.2f],[%.2f,%.2f],[%.2f,%.2f]",
                            lon, lat, lon + 0.02, lat, lon + 0.02, lat + 0.02, lon, lat + 0.02, lon, lat))
                    .append("]]}}");
        }
        return b.append("]}").toString();
    }
}
