package lookout.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The alerts page, rendered on the server for each role, and one card's markup. */
class AlertsPageTest extends WithApiServer {
    @Test
    void thePublicSeesThePublicViewWithoutExplanations() throws Exception {
        HttpResponse<String> r = api.get("/alerts", null);
        assertEquals(200, r.statusCode());
        String html = r.body();
        assertTrue(html.contains("<html lang=\"en\">"), "the script marks the page ready");
        assertTrue(html.contains("data-stream=\"/api/public/alerts/stream\""), html);
        assertEquals(List.of("S1", "S2"), keys(html));
        assertEquals(List.of("alert-S1", "alert-S2"), ids(html), "each card is where its alert's messages link to");
        assertTrue(html.contains("<span class=\"signal\">Paramedic overdose calls</span> in <a href=\"/areas/A1\">Alpha</a>"), html);
        assertFalse(html.contains("<dt>Count</dt>"), "no count in the public view: " + html);
        assertTrue(html.contains("Open now <span class=\"count\" id=\"open-count\">(1)</span>"), html);
        assertTrue(html.contains("Closed in the last 30 days <span class=\"count\" id=\"closed-count\">(1)</span>"), html);
        assertFalse(html.contains("usually") || html.contains("Evidence") || html.contains("Last changed"), html);
        assertFalse(Files.exists(api.audit));
    }

    /**
     * A quiet spell: counts go on for forty days after the newest alert update, and an alert closed on 1 March is no
     * longer "closed in the last 30 days" of the snapshot, which ends with its latest counted hour.
     */
    @Test
    void closedInTheLast30DaysCountsBackFromTheLatestCountedHourNotTheNewestAlert() throws Exception {
        List<String> rows = new ArrayList<>(PublishedDb.ROWS);
        rows.add("INSERT INTO area_counts VALUES ('hour', '2026-04-10 15:00:00+00', 'A1', 'paramedic', 1, now())");
        try (ApiServer quiet = new ApiServer(Files.createDirectories(dir.resolve("quiet")), rows, Set.of("A2"))) {
            String html = quiet.get("/alerts", null).body();
            assertEquals(List.of("S1"), keys(html));
            assertTrue(html.contains("Closed in the last 30 days <span class=\"count\" id=\"closed-count\">(0)"),
                    html);
        }
    }

    @Test
    void outreachSeeTheirAreasAndAnalystsEveryAreaWithExplanationAndEvidence() throws Exception {
        String otto = api.get("/alerts", api.outreach).body();
        assertEquals(List.of("S2"), keys(otto));
        assertTrue(otto.contains("Alerts for the areas in your profile (Beta)"), otto);
        assertTrue(otto.contains("data-stream=\"/api/alerts/stream\""), otto);

        String ana = api.get("/alerts", api.analyst).body();
        assertEquals(List.of("S1", "S3", "S2"), keys(ana));
        assertTrue(ana.contains("<p class=\"explanation\">6 paramedic calls, usually 0.5</p>"), ana);
        assertTrue(ana.contains("<dl class=\"evidence\"><div><dt>How it was found</dt><dd>the last 6 hours against the same"
                + " hours on recent days</dd></div><div><dt>Times the detector fired</dt><dd>3</dd></div><div><dt>Period"
                + " counted</dt><dd>the last 6 hours</dd></div><div><dt>Usual for this area</dt><dd>less than 1</dd></div></dl>"), ana);
        assertTrue(ana.contains("<time datetime=\"2026-03-02T00:00:00Z\">Sun 1 Mar 2026, 19:00</time>"), ana);
        assertFalse(ana.contains("{\"method\"") || ana.contains("&quot;method&quot;"), "never the raw evidence JSON");
        assertEquals(List.of("2026-03-03T00:00:00Z\totto\toutreach\tgranted\tGET /alerts\t",
                "2026-03-03T00:00:00Z\tana\tanalyst\tgranted\tGET /alerts\t"), Files.readAllLines(api.audit));
    }

    @Test
    void theScriptAndStyleSheetAreServed() throws Exception {
        assertEquals(200, api.get("/static/alerts.js", null).statusCode());
        assertEquals(200, api.get("/static/time.js", null).statusCode());
        assertEquals(200, api.get("/static/alerts.css", null).statusCode());
    }

    @Test
    void aCardShowsEverythingItKnowsInWordsAndEscapesTheRest() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("spike_id", "S1");
        a.put("area_id", "A1");
        a.put("area_name", "Alpha <&> Beta");
        a.put("signal_name", "paramedic overdose calls");
        a.put("opened_at", "2026-03-02T00:00:00Z");
        a.put("updated_at", "2026-03-02T05:00:00Z");
        a.put("closed_at", null);
        a.put("severity", "high");
        a.put("explanation", "Fewer than 5 calls, usually less than 1.");
        a.put("evidence", List.of(AlertWordsTest.line("firings", "Times the detector fired", "3")));
        assertEquals("""
                <li class="alert sev-high" id="alert-S1" data-key="S1">
                <h3><span class="severity">High</span> <span class="signal">Paramedic overdose calls</span> in \
                <a href="/areas/A1">Alpha &lt;&amp;&gt; Beta</a></h3>
                <dl class="facts"><div><dt>Opened</dt><dd><time datetime="2026-03-02T00:00:00Z">Sun 1 Mar 2026, 19:00</time> \
                <span class="ago">(1 day ago)</span></dd></div><div><dt>Last changed</dt><dd>\
                <time datetime="2026-03-02T05:00:00Z">Mon 2 Mar 2026, 00:00</time> <span class="ago">(1 day ago)</span></dd></div></dl>
                <p class="explanation">Fewer than 5 calls, usually less than 1.</p>
                <h4>Evidence</h4>
                <dl class="evidence"><div><dt>Times the detector fired</dt><dd>3</dd></div></dl>
                </li>
                """, AlertsPage.card(a, ApiServer.ZONE, Instant.parse("2026-03-03T12:00:00Z")));
    }

    /** The cards' ids, in page order. */
    static List<String> ids(String html) {
        return java.util.regex.Pattern.compile("<li class=\"alert [^\"]*\" id=\"([^\"]+)\"").matcher(html).results()
                .map(m -> m.group(1)).toList();
    }

    /** The cards' keys, in page order. */
    static List<String> keys(String html) {
        return java.util.regex.Pattern.compile("data-key=\"([^\"]+)\"").matcher(html).results().map(m -> m.group(1)).toList();
    }
}
