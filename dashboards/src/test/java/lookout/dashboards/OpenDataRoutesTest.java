package lookout.dashboards;

import static lookout.dashboards.ApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The public open-data routes over a hand-written open-data directory of two releases. */
class OpenDataRoutesTest {
    private static final String ATOM = "http://www.w3.org/2005/Atom";
    /** What the second release says of the first, which had no coroner counts yet. */
    private static final String FIRST_DEATHS = "The previous release, 2026-06-21, covered 1 June 2026 to 21 June 2026,"
            + " with no suspected overdose deaths yet, so those from 1 to 7 June 2026 are published for the first"
            + " time.";

    @TempDir
    Path dir;
    Path openData;
    ApiServer api;

    @BeforeEach
    void start() throws Exception {
        openData = OpenDataDir.create(dir);
        api = new ApiServer(dir, OpenData.in(openData));
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void thePageShowsTheLatestReleaseItsDownloadsTextsLicenceAndEarlierReleasesWithoutScript() throws Exception {
        HttpResponse<String> r = api.get("/open-data/", null);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        String html = r.body();
        assertTrue(html.contains("<h2 id=\"release-title\">Latest release: <span class=\"release-id\">2026-06-28</span>"
                + "</h2>"), html);
        assertTrue(html.contains("Counts from 1 June 2026 to 28 June 2026, published 29 June 2026, 08:00 EDT. Counts"
                + " of suspected overdose deaths run to 7 June 2026 only: later ones are still being reported. "
                + FIRST_DEATHS + " Counts below 5 are withheld.</p>"),
                "the coroner's shorter period is said with the release's, and which deaths are new: " + html);
        assertTrue(html.contains("<tr><th scope=\"row\">Daily</th><td>"
                + "<a href=\"/open-data/releases/2026-06-28/public_day.csv\" download>CSV</a> <span class=\"size\">(23 bytes)</span> · "
                + "<a href=\"/open-data/releases/2026-06-28/public_day.parquet\" download>Parquet</a> <span class=\"size\">(28 bytes)</span>"
                + "</td></tr>"), html);
        assertTrue(html.contains("<tr><th scope=\"row\">Weekly</th><td><a href=\"/open-data/releases/2026-06-28/public_week.csv\""
                + " download>CSV</a> <span class=\"size\">(13 bytes)</span></td></tr>"), html);
        assertFalse(html.contains("Monthly"), "no monthly file, no row");
        assertTrue(html.contains("What withholding cannot protect is set out <a href=\"#policy\">with the policy"
                + " below</a>."),
                "the promise names its limits");
        assertTrue(html.contains("<section id=\"policy\""), "the limits' link has its target");
        assertTrue(html.contains("<td>integer</td>"), "the data dictionary's table is rendered as a table");
        assertTrue(html.contains("A &lt;script&gt;alert(1)&lt;/script&gt; in a file stays text."), html);
        assertFalse(html.contains("<script"), "the page runs no script");
        assertTrue(html.contains("<li>1 number went up, most often because reports arrived late.</li>"), html);
        assertTrue(html.contains("<a rel=\"license\" href=\"https://creativecommons.org/licenses/by/4.0/\">"
                + "Creative Commons Attribution 4.0 International</a> licence."), html);
        assertTrue(html.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Lookout open-data releases\""
                + " href=\"/open-data/feed.atom\">"), html);
        assertTrue(html.contains("<a href=\"/open-data/releases/2026-06-21/\">Release 2026-06-21 (1 June 2026 to 21 June 2026)</a>"), html);
        assertTrue(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
        assertTrue(html.contains("href=\"/open-data/feed.atom\""));
        assertFalse(html.contains("unlisted.csv"));
    }

    /**
     * The earlier release, shorter than the coroner's lag, says that it has no coroner counts yet and from which
     * release on it will; written before signals had periods of their own, its manifest reads as one period, and the
     * next release gives its period alone.
     */
    @Test
    void anEarlierReleaseKeepsAPageOfItsOwn() throws Exception {
        assertTrue(api.get("/open-data/releases/2026-06-21/", null).body().contains("Counts from 1 June 2026 to 21 June"
                + " 2026, published 22 June 2026, 08:00 EDT. This release has no counts of suspected overdose deaths"
                + " yet: their reports come weeks or months late, so each day&#39;s count is published 21 days after"
                + " it, once most reports are in. They will appear in releases of counts through 22 June 2026 and"
                + " later. Counts below 5 are withheld.</p>"));
        Path manifest = openData.resolve(OpenDataDir.FIRST).resolve(ReleaseManifest.FILE_NAME);
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(manifest.toFile());
        json.remove(List.of("signal_periods", "pending_signals"));
        Files.writeString(manifest, json.toString());
        HttpResponse<String> r = api.get("/open-data/releases/2026-06-21/", null);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("Counts from 1 June 2026 to 21 June 2026, published 22 June 2026, 08:00 EDT."
                + " Counts below 5 are withheld.</p>"), r.body());
        assertTrue(r.body().contains("<h2 id=\"release-title\">Release <span class=\"release-id\">2026-06-21</span>"
                + "</h2>"), r.body());
        assertTrue(r.body().contains("This is an earlier release, kept unchanged at this address."));
        assertTrue(r.body().contains("href=\"/open-data/releases/2026-06-21/public_day.csv\""));
        assertTrue(r.body().contains("<a href=\"/open-data/releases/2026-06-28/\">Release 2026-06-28"));
        assertTrue(api.get("/open-data/", null).body().contains(" later ones are still being reported. The previous"
                + " release, 2026-06-21, covered 1 June 2026 to 21 June 2026. Counts below 5 are withheld.</p>"));
    }

    @Test
    void filesAreServedWithTheirFormatsContentTypeAndExactBytes() throws Exception {
        Map<String, String> types = new LinkedHashMap<>();
        types.put("public_day.csv", "text/csv; charset=utf-8");
        types.put("public_day.parquet", "application/vnd.apache.parquet");
        types.put("DATA_DICTIONARY.md", "text/markdown; charset=utf-8");
        types.put("manifest.json", "application/json");
        for (Map.Entry<String, String> e : types.entrySet()) {
            HttpResponse<byte[]> r = api.client().send(HttpRequest.newBuilder(
                    api.uri("/open-data/releases/2026-06-21/" + e.getKey())).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode(), e.getKey());
            assertEquals(e.getValue(), r.headers().firstValue("Content-Type").orElseThrow(), e.getKey());
            assertEquals("public, max-age=31536000, immutable", r.headers().firstValue("Cache-Control").orElseThrow());
            assertEquals(List.of(), diff(Files.readAllBytes(openData.resolve("2026-06-21").resolve(e.getKey())), r.body()), e.getKey());
        }
        assertEquals("signal,count\ncoroner,6\n", api.get("/open-data/releases/2026-06-21/public_day.csv", null).body());
        assertEquals("signal,count\ncoroner,7\n", api.get("/open-data/releases/2026-06-28/public_day.csv", null).body());
    }

    @Test
    void headOfAFileGivesItsTypeAndLengthAndOfAMissingOneA404() throws Exception {
        HttpResponse<String> csv = head("/open-data/releases/2026-06-21/public_day.csv");
        assertEquals(200, csv.statusCode());
        assertEquals("text/csv; charset=utf-8", csv.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("23", csv.headers().firstValue("Content-Length").orElseThrow());
        assertEquals("public, max-age=31536000, immutable", csv.headers().firstValue("Cache-Control").orElseThrow());
        assertEquals("", csv.body());
        HttpResponse<String> missing = head("/open-data/releases/2026-06-21/no-such.csv");
        assertEquals(404, missing.statusCode());
        assertTrue(missing.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertEquals(404, head("/open-data/releases/1999-01-01/public_day.csv").statusCode());
    }

    @Test
    void headElsewhereIsRefusedWhetherOrNotTheCallerMaySeeThePage() throws Exception {
        for (String path : List.of("/api/alerts", "/api/public/alerts", "/api/no-such", "/",
                "/open-data/releases/2026-06-21/")) {
            HttpResponse<String> r = head(path);
            assertEquals(405, r.statusCode(), path);
            String type = r.headers().firstValue("Content-Type").orElseThrow();
            String expected = path.startsWith("/api/") ? "application/json" : "text/html";
            assertTrue(type.startsWith(expected), path + ": " + type);
        }
    }

    private HttpResponse<String> head(String path) throws Exception {
        HttpRequest head = HttpRequest.newBuilder(api.uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build();
        return api.client().send(head, HttpResponse.BodyHandlers.ofString());
    }

    private static List<Integer> diff(byte[] a, byte[] b) {
        List<Integer> out = new ArrayList<>();
        if (a.length != b.length) {
            out.add(-1);
        }
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (a[i] != b[i]) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void unknownReleasesAndFilesAre404AndHostileNames4xxWithoutReadingOutsideTheDirectory() throws Exception {
        Files.createSymbolicLink(openData.resolve(OpenDataDir.FIRST).resolve("linked.csv"), dir.resolve("secret.txt"));
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("/open-data/releases/2020-01-01/", 404);
        expected.put("/open-data/releases/2020-01-01/public_day.csv", 404);
        expected.put("/open-data/releases/2026-06-21/public_month.csv", 404);
        expected.put("/open-data/releases/2026-06-21/unlisted.csv", 404);
        expected.put("/open-data/releases/2026-06-21/linked.csv", 404);
        expected.put("/open-data/releases/latest/public_day.csv", 400);
        expected.put("/open-data/releases/2026-06-21/..secret.txt", 400);
        expected.put("/open-data/releases/2026-06-21/.hidden", 400);
        expected.put("/open-data/releases/2026-06-21/" + "a".repeat(300) + ".csv", 400);
        expected.put("/open-data/releases/%2e%2e/secret.txt", 400);
        expected.put("/open-data/releases/2026-06-21/%2e%2e%2f%2e%2e%2fsecret.txt", 400);
        expected.put("/open-data/releases/2026-06-21/..%2F..%2Fsecret.txt", 400);
        expected.put("/open-data/releases/2026-06-21/%2Fetc%2Fpasswd", 400);
        expected.put("/open-data/releases/2026-06-21/%00manifest.json", 400);
        expected.put("/open-data/releases/2026-06-21/x?name=../../secret.txt", 404);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            HttpResponse<String> r = api.get(e.getKey(), null);
            assertEquals(e.getValue(), r.statusCode(), e.getKey());
            assertFalse(r.body().contains("outside the open-data directory") || r.body().contains("root:"), e.getKey());
            assertFalse(r.body().contains("Exception"), e.getKey());
            assertTrue(r.body().contains("<p class=\"problem\">"), e.getKey() + ": " + r.body());
        }
        for (String raw : List.of("/open-data/releases/2026-06-21/../../secret.txt", "/open-data/releases/../../../etc/passwd",
                "/open-data/releases/2026-06-21/%2e%2e/%2e%2e/secret.txt")) {
            String response = rawGet(raw);
            assertTrue(response.startsWith("HTTP/1.1 4"), raw + ": " + response);
            assertFalse(response.contains("outside the open-data directory") || response.contains("root:"), raw);
        }
    }

    /** A request line sent as is: an HTTP client would normalise the dots away before sending. */
    private String rawGet(String path) throws Exception {
        try (Socket s = new Socket(api.uri("/").getHost(), api.uri("/").getPort())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theFeedIsAtomWithOneEntryPerReleaseNewestFirst() throws Exception {
        HttpResponse<String> r = api.get("/open-data/feed.atom", null);
        assertEquals(200, r.statusCode());
        assertEquals("application/atom+xml; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
        Element feed = doc.getDocumentElement();
        assertEquals(ATOM, feed.getNamespaceURI());
        assertEquals("feed", feed.getLocalName());
        assertTrue(text(feed, "id").startsWith("urn:uuid:"));
        assertEquals("Lookout open data releases", text(feed, "title"));
        assertEquals(Instant.parse("2026-06-29T12:00:00Z"), Instant.parse(text(feed, "updated")));
        assertEquals("Lookout", text((Element) feed.getElementsByTagNameNS(ATOM, "author").item(0), "name"));
        List<Element> entries = children(feed, "entry");
        assertEquals(2, entries.size());
        List<String> ids = new ArrayList<>();
        for (Element e : entries) {
            ids.add(text(e, "id"));
            Instant.parse(text(e, "updated"));
            Element link = children(e, "link").get(0);
            assertEquals("alternate", link.getAttribute("rel"));
        }
        assertEquals("Release 2026-06-28: counts through 28 June 2026", text(entries.get(0), "title"));
        assertEquals("Counts from 1 June 2026 to 28 June 2026 by area and day, week and month, as CSV and Parquet;"
                + " counts below 5 withheld. Counts of suspected overdose deaths run to 7 June 2026 only: later ones"
                + " are still being reported. " + FIRST_DEATHS, text(entries.get(0), "summary"));
        assertEquals("Counts from 1 June 2026 to 21 June 2026 by area and day, week and month, as CSV and Parquet;"
                + " counts below 5 withheld. This release has no counts of suspected overdose deaths yet: their"
                + " reports come weeks or months late, so each day's count is published 21 days after it, once most"
                + " reports are in. They will appear in releases of counts through 22 June 2026 and later.",
                text(entries.get(1), "summary"));
        assertEquals("/open-data/releases/2026-06-28/", children(entries.get(0), "link").get(0).getAttribute("href"));
        assertEquals("/open-data/releases/2026-06-21/", children(entries.get(1), "link").get(0).getAttribute("href"));
        assertEquals(2, ids.stream().distinct().count(), "every entry has its own id");
        assertEquals(ids.get(1), children(feed(), "entry").get(1).getElementsByTagNameNS(ATOM, "id").item(0).getTextContent(),
                "an entry's id does not change");
    }

    private Element feed() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(api.uri("/open-data/feed.atom").toString()).getDocumentElement();
    }

    private static String text(Element parent, String name) {
        return children(parent, name).get(0).getTextContent();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && ATOM.equals(e.getNamespaceURI()) && e.getLocalName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    @Test
    void theReleasesApiListsEveryReleaseWithItsFilesAndTheirUrls() throws Exception {
        HttpResponse<String> r = api.get("/api/public/releases", null);
        assertEquals(200, r.statusCode());
        JsonNode list = json(r.body());
        assertEquals(2, list.size());
        JsonNode latest = list.get(0);
        assertEquals("2026-06-28", latest.get("id").asText());
        assertEquals("/open-data/releases/2026-06-28/", latest.get("url").asText());
        assertEquals("2026-06-21", latest.get("previous").asText());
        assertEquals("2026-06-01", latest.get("period_start").asText());
        assertEquals("[{\"signal\":\"paramedic\",\"period_start\":\"2026-06-01\",\"period_end\":\"2026-06-28\"},"
                + "{\"signal\":\"coroner\",\"period_start\":\"2026-06-01\",\"period_end\":\"2026-06-07\"}]",
                latest.get("signal_periods").toString());
        assertEquals("[]", latest.get("pending_signals").toString());
        assertEquals(List.of("Counts of suspected overdose deaths run to 7 June 2026 only: later ones are still being"
                + " reported.", FIRST_DEATHS), strings(latest.get("notes")), "the page's sentences, to quote");
        assertEquals("[{\"signal\":\"coroner\",\"lag_days\":21,\"first_release\":\"2026-06-22\"}]",
                list.get(1).get("pending_signals").toString(), "the first release has no coroner day yet");
        assertEquals(List.of("This release has no counts of suspected overdose deaths yet: their reports come weeks or"
                + " months late, so each day's count is published 21 days after it, once most reports are in. They"
                + " will appear in releases of counts through 22 June 2026 and later."),
                strings(list.get(1).get("notes")), "the sentence the page gives the pending coroner");
        assertEquals(5, latest.get("k").asInt());
        assertEquals("CC-BY-4.0", latest.get("licence").get("id").asText());
        assertEquals(7, latest.get("files").size());
        JsonNode day = latest.get("files").get(0);
        assertEquals("public_day.csv", day.get("name").asText());
        assertEquals("/open-data/releases/2026-06-28/public_day.csv", day.get("url").asText());
        assertEquals("counts", day.get("kind").asText());
        assertEquals("day", day.get("granularity").asText());
        assertEquals("csv", day.get("format").asText());
        assertEquals(23, day.get("bytes").asLong());
        assertEquals(64, day.get("sha256").asText().length());
        assertTrue(list.get(1).get("previous").isNull());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void aReleaseWithADamagedManifestIsNotListedNorServed() throws Exception {
        Path damaged = Files.createDirectories(openData.resolve("2026-07-05"));
        Files.writeString(damaged.resolve("public_day.csv"), "signal,count\n");
        Files.writeString(damaged.resolve(ReleaseManifest.FILE_NAME),
                "{\"id\": \"2026-07-05\", \"files\": [{\"name\": \"../../secret.txt\", \"kind\": \"counts\", \"format\": \"csv\"}]}");
        assertEquals(2, json(api.get("/api/public/releases", null).body()).size());
        assertEquals(404, api.get("/open-data/releases/2026-07-05/public_day.csv", null).statusCode());
        assertTrue(api.get("/open-data/", null).body()
                .contains("Latest release: <span class=\"release-id\">2026-06-28"));
    }

    @Test
    void aReleasePublishedWhileTheServerRunsIsListedByTheNextRequest() throws Exception {
        Path source = openData.resolve(OpenDataDir.SECOND);
        Path copy = openData.resolve("2026-07-05");
        Files.createDirectories(copy);
        for (Path p : Files.list(source).toList()) {
            Files.copy(p, copy.resolve(p.getFileName()));
        }
        Files.writeString(copy.resolve(ReleaseManifest.FILE_NAME), Files.readString(copy.resolve(ReleaseManifest.FILE_NAME))
                .replace("\"id\" : \"2026-06-28\"", "\"id\" : \"2026-07-05\""));
        assertTrue(api.get("/open-data/", null).body()
                .contains("Latest release: <span class=\"release-id\">2026-07-05"));
    }

    @Test
    void withoutOpenDataThePageSaysSoAndTheListIsEmpty(@TempDir Path other) throws Exception {
        try (ApiServer plain = new ApiServer(other)) {
            HttpResponse<String> page = plain.get("/open-data/", null);
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<p class=\"notice\">This server publishes no open data.</p>"), page.body());
            assertEquals("[]", plain.get("/api/public/releases", null).body());
            HttpResponse<String> feed = plain.get("/open-data/feed.atom", null);
            assertEquals(404, feed.statusCode());
            assertTrue(feed.body().contains("<p class=\"problem\">This server publishes no open data.</p>"), feed.body());
            assertEquals(404, plain.get("/open-data/releases/2026-06-21/public_day.csv", null).statusCode());
        }
    }

    @Test
    void anEmptyOpenDataDirectorySaysNoReleaseYetAndItsFeedHasNoEntry(@TempDir Path other) throws Exception {
        try (ApiServer empty = new ApiServer(other, OpenData.in(other.resolve("not-yet-created")))) {
            assertTrue(empty.get("/open-data/", null).body().contains("No release has been published yet."));
            String feed = empty.get("/open-data/feed.atom", null).body();
            assertTrue(feed.contains("<updated>1970-01-01T00:00:00Z</updated>") && !feed.contains("<entry>"), feed);
        }
    }
}
