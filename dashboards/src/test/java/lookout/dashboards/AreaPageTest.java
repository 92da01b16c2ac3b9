package lookout.dashboards;

import static lookout.dashboards.ApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The area page and its two API routes over {@link PublishedDb}, number by number and role by role. */
class AreaPageTest extends WithApiServer {
    @Test
    void everyDayOfDataWithTheUsualRangeOfTheAlertingDetectorAndEveryDetectorsAlarmsForAnalysts()
            throws Exception {
        HttpResponse<String> r = api.get("/api/areas/A1/alarms?signal=paramedic", api.analyst);
        assertEquals(200, r.statusCode());
        assertEquals(json("""
                {"signal":"paramedic","band_method":"excessglr_alert",
                 "days":[{"day":"2026-02-26","count":0,"expected":1.0,"upper":3.0,"alarm":false,"incomplete":false},
                         {"day":"2026-02-27","count":0,"expected":null,"upper":null,"alarm":null,"incomplete":false},
                         {"day":"2026-02-28","count":7,"expected":2.5,"upper":5.0,"alarm":true,"incomplete":false},
                         {"day":"2026-03-01","count":5,"expected":2.0,"upper":6.0,"alarm":false,"incomplete":false}],
                 "alerts":[{"signal":"multi","method":"toxicity_multisignal","severity":"critical","status":"closed",
                            "opened_at":"2025-12-20T10:00:00Z","closed_at":"2025-12-22T10:00:00Z",
                            "window_start":"2025-12-20T10:00:00Z","window_end":"2025-12-21T10:00:00Z"},
                           {"signal":"paramedic","method":"ears_c2","severity":"high","status":"updated","opened_at":"2026-03-02T00:00:00Z",
                            "closed_at":null,"window_start":"2026-03-02T00:00:00Z","window_end":"2026-03-02T06:00:00Z"}],
                 "incomplete":[],
                 "detector_alarms":[{"day":"2026-03-01","method":"earsC_C1","observed":5,"expected":1.5,"upperbound":4.0},
                                    {"day":"2026-02-28","method":"excessglr_alert","observed":7,"expected":2.5,"upperbound":5.0}]}"""),
                json(r.body()));
    }

    @Test
    void outreachSeeTheUsualRangeAndAlertsOfTheirAreasButNotTheDetectorTable() throws Exception {
        HttpResponse<String> r = api.get("/api/areas/A2/alarms?signal=naloxone", api.outreach);
        assertEquals(200, r.statusCode());
        assertEquals(json("""
                {"signal":"naloxone","band_method":"excessglr_alert",
                 "days":[{"day":"2026-03-01","count":12,"expected":null,"upper":null,"alarm":null,"incomplete":false}],
                 "alerts":[{"signal":"naloxone","method":"farrington","severity":"moderate","status":"closed","opened_at":"2026-03-01T00:00:00Z",
                            "closed_at":"2026-03-01T23:00:00Z","window_start":"2026-03-01T00:00:00Z",
                            "window_end":"2026-03-02T00:00:00Z"}],"incomplete":[]}"""), json(r.body()));
        assertEquals(json("""
                {"signal":"coroner","band_method":"excessglr_alert","days":[],"alerts":[],"incomplete":[],"detector_alarms":[]}"""),
                json(api.get("/api/areas/A4/alarms?signal=coroner", api.analyst).body()));
    }

    /** No detector judges the combined signal, so it names no band method: not "too little history" on its page. */
    @Test
    void theCombinedSignalWhichNoDetectorWatchesHasNoBandMethod() throws Exception {
        HttpResponse<String> r = api.get("/api/areas/A3/alarms?signal=combined", api.analyst);
        assertEquals(200, r.statusCode());
        assertEquals(json("""
                {"signal":"combined","band_method":null,
                 "days":[{"day":"2026-03-01","count":9,"expected":null,"upper":null,"alarm":null,"incomplete":false}],
                 "alerts":[{"signal":"combined","method":"ears_c2","severity":"low","status":"opened",
                            "opened_at":"2026-03-02T00:00:00Z","closed_at":null,"window_start":"2026-03-02T00:00:00Z",
                            "window_end":"2026-03-02T06:00:00Z"}],
                 "incomplete":[],"detector_alarms":[]}"""), json(r.body()));
    }

    /** A week still going on ends, for now, on the newest day counted, not on a Sunday still to come. */
    @Test
    void theDrugCheckingOfAWeekStillGoingOnRunsToTheNewestDayCounted() throws Exception {
        PublishedDb.republish(api.db, "INSERT INTO drug_checking_samples VALUES ('A1', '2026-03-02', 1, now())",
                "INSERT INTO area_counts VALUES ('day', '2026-03-04 05:00:00+00', 'A1', 'drug_checking', 1, now())");
        JsonNode week = json(api.get("/api/areas/A1/substances?weeks=1", api.analyst).body());
        assertEquals("2026-03-02", week.get("from").asText());
        assertEquals("2026-03-04", week.get("to").asText());
    }

    @Test
    void theSharesOfSamplesOverTheRecentWeeksInTheAreaAndTheCityWithWatchListAndNewlySeenSubstances() throws Exception {
        HttpResponse<String> r = api.get("/api/areas/A1/substances", api.analyst);
        assertEquals(200, r.statusCode());
        assertEquals(json("""
                {"weeks":8,"from":"2026-01-05","to":"2026-03-01","samples":10,"substances":[
                  {"substance":"fentanyl","samples":7,"share":0.7,"watch_list":null,"newly_seen":false},
                  {"substance":"isotonitazene","samples":2,"share":0.2,"watch_list":"nitazene","newly_seen":true},
                  {"substance":"other","samples":1,"share":0.1,"watch_list":null,"newly_seen":false}],
                 "city":{"samples":12,"substances":[
                  {"substance":"fentanyl","samples":7,"share":0.583,"watch_list":null,"newly_seen":false},
                  {"substance":"isotonitazene","samples":2,"share":0.167,"watch_list":"nitazene","newly_seen":true},
                  {"substance":"other","samples":1,"share":0.083,"watch_list":null,"newly_seen":false},
                  {"substance":"xylazine","samples":1,"share":0.083,"watch_list":"xylazine","newly_seen":true}]}}"""),
                json(r.body()), "fentanyl was found in the city in December: not new; 'other' names no substance");
        assertEquals(json("""
                {"weeks":1,"from":"2026-02-23","to":"2026-03-01","samples":6,"substances":[
                  {"substance":"fentanyl","samples":4,"share":0.667,"watch_list":null,"newly_seen":false},
                  {"substance":"isotonitazene","samples":2,"share":0.333,"watch_list":"nitazene","newly_seen":true},
                  {"substance":"other","samples":1,"share":0.167,"watch_list":null,"newly_seen":false}],
                 "city":{"samples":8,"substances":[
                  {"substance":"fentanyl","samples":4,"share":0.5,"watch_list":null,"newly_seen":false},
                  {"substance":"isotonitazene","samples":2,"share":0.25,"watch_list":"nitazene","newly_seen":true},
                  {"substance":"other","samples":1,"share":0.125,"watch_list":null,"newly_seen":false},
                  {"substance":"xylazine","samples":1,"share":0.125,"watch_list":"xylazine","newly_seen":true}]}}"""),
                json(api.get("/api/areas/A1/substances?weeks=1", api.analyst).body()));
        assertEquals(json("""
                {"weeks":8,"from":"2026-01-05","to":"2026-03-01","samples":2,"substances":[
                  {"substance":"xylazine","samples":1,"share":0.5,"watch_list":"xylazine","newly_seen":true}],
                 "city":{"samples":12,"substances":[
                  {"substance":"fentanyl","samples":7,"share":0.583,"watch_list":null,"newly_seen":false},
                  {"substance":"isotonitazene","samples":2,"share":0.167,"watch_list":"nitazene","newly_seen":true},
                  {"substance":"other","samples":1,"share":0.083,"watch_list":null,"newly_seen":false},
                  {"substance":"xylazine","samples":1,"share":0.083,"watch_list":"xylazine","newly_seen":true}]}}"""),
                json(api.get("/api/areas/A2/substances", api.analyst).body()), "analysts see small counts");
    }

    @Test
    void outreachSeeSharesWithoutCountsNorTheCitysNumberOfSamplesAndNothingOfFewerThanKSamples() throws Exception {
        assertEquals(json("""
                {"weeks":8,"from":"2026-01-05","to":"2026-03-01","samples":"fewer than 5","substances":[],
                 "city":{"samples":"at least 5","substances":[
                  {"substance":"fentanyl","share":0.583,"watch_list":null,"newly_seen":false},
                  {"substance":"isotonitazene","share":null,"found_in":"fewer than 5 samples","watch_list":"nitazene",
                   "newly_seen":true},
                  {"substance":"other","share":null,"found_in":"fewer than 5 samples","watch_list":null,"newly_seen":false},
                  {"substance":"xylazine","share":null,"found_in":"fewer than 5 samples","watch_list":"xylazine",
                   "newly_seen":true}]}}"""),
                json(api.get("/api/areas/A2/substances", api.outreach).body()));
        assertEquals(json("""
                {"weeks":9,"from":"2025-12-29","to":"2026-03-01","samples":"at least 5","substances":[
                  {"substance":"fentanyl","share":null,"found_in":"fewer than 5 samples","watch_list":null,
                   "newly_seen":false},
                  {"substance":"xylazine","share":null,"found_in":"fewer than 5 samples","watch_list":"xylazine",
                   "newly_seen":false}],
                 "city":{"samples":"at least 5","substances":[
                  {"substance":"fentanyl","share":0.667,"watch_list":null,"newly_seen":false},
                  {"substance":"isotonitazene","share":null,"found_in":"fewer than 5 samples","watch_list":"nitazene",
                   "newly_seen":false},
                  {"substance":"other","share":null,"found_in":"fewer than 5 samples","watch_list":null,"newly_seen":false},
                  {"substance":"xylazine","share":null,"found_in":"fewer than 5 samples","watch_list":"xylazine",
                   "newly_seen":false}]}}"""),
                json(api.get("/api/areas/A2/substances?weeks=9", api.outreach).body()),
                "over weeks that start with the city's first, nothing can be called new");

        // 7 of 11 samples: the public weekly total less 0.636 of it would give the 4 samples without fentanyl.
        PublishedDb.republish(api.db, "UPDATE drug_checking_samples SET samples = 1 WHERE area_id = 'A2'"
                + " AND week_start = '2026-02-23'");
        assertEquals(json("""
                {"substance":"fentanyl","share":null,"found_in":"all but fewer than 5 samples","watch_list":null,
                 "newly_seen":false}"""),
                json(api.get("/api/areas/A2/substances", api.outreach).body()).get("city").get("substances").get(0));
    }

    @Test
    void thePublicSeesTheStatusAndPublicAlertsButNoCountsAndNoScripts() throws Exception {
        HttpResponse<String> r = api.get("/areas/A1", null);
        assertEquals(200, r.statusCode());
        String html = r.body();
        assertTrue(html.contains("<h1>Alpha</h1>"), html);
        assertTrue(html.contains("<p class=\"status\" data-status=\"alert-high\"><span class=\"dot\"></span>Status over"
                + " the 7 days to 1 March 2026: Alert (high).</p>"), "the days of the status, to the newest counted: "
                + html);
        assertTrue(html.contains("<li><strong>high</strong>: Paramedic overdose calls, opened Sun 1 Mar 2026, 19:00"
                + " (open)</li>"), html);
        assertTrue(html.contains("<p class=\"hint\">Alerts that join several signals, such as a possible toxic drug"
                + " supply, reach subscribers and those who sign in, not these public pages.</p>"),
                "a subscriber sent such an alert is told why the page lacks it: " + html);
        assertTrue(html.contains("<a href=\"/login\">sign in</a>") && html.contains("<a href=\"/open-data/\">"), html);
        assertTrue(html.contains("<html lang=\"en\" data-ready=\"true\">"), "nothing to draw: ready on load");
        assertFalse(html.contains("area.js") || html.contains("area-charts") || html.contains("id=\"drug-checking\""), html);
        assertFalse(Files.exists(api.audit), "the public page is not restricted data");
    }

    @Test
    void signedInUsersWithAccessGetTheChartsAnalystsTheDetectorTableToo() throws Exception {
        String analyst = api.get("/areas/A1", api.analyst).body();
        assertTrue(analyst.contains("<section id=\"area-charts\" data-area=\"A1\" data-analyst=\"true\""
                + " data-zone=\"America/Toronto\" data-newest-hour=\"2026-03-02T03:00:00Z\">"),
                "the hourly chart ends at the newest hour counted in the city: " + analyst);
        List<Integer> order = List.of(analyst.indexOf("<section id=\"detector-alarms\">"),
                analyst.indexOf("<section id=\"drug-checking\">"), analyst.indexOf("<div class=\"findings\" id=\"findings-area\">"),
                analyst.indexOf("<div class=\"findings\" id=\"findings-city\">"));
        assertTrue(order.get(0) > 0 && order.equals(order.stream().sorted().toList()),
                "the detector table, then the drug-checking panel with the area's and the city's findings: " + order);
        assertFalse(analyst.contains("%s"), analyst);
        assertTrue(analyst.contains("<script src=\"/static/area.js\"></script>") && !analyst.contains("data-ready"));
        assertTrue(analyst.contains("<li><strong>high</strong>: Paramedic overdose calls, 6 counted, opened Sun 1 Mar"
                + " 2026, 19:00 (open)</li>"), "the alert as the alerts page shows it to its caller: " + analyst);
        assertFalse(analyst.contains("Alerts that join several signals"), analyst);
        String outreach = api.get("/areas/A2", api.outreach).body();
        assertTrue(outreach.contains("data-area=\"A2\" data-analyst=\"false\" data-zone=\"America/Toronto\""
                + " data-newest-hour=\"2026-03-02T03:00:00Z\">"), outreach);
        assertTrue(outreach.contains("<li><strong>moderate</strong>: Naloxone kits used, 12 counted, opened Sat 28 Feb 2026,"
                + " 19:00, closed Sun 1 Mar 2026, 18:00</li>"), "with its count: " + outreach);
        assertFalse(outreach.contains("detector-alarms"), outreach);
        String elsewhere = api.get("/areas/A1", api.outreach).body();
        assertTrue(elsewhere.contains("This neighbourhood is not in your profile") && !elsewhere.contains("area-charts"));
        assertEquals(List.of(
                "2026-03-03T00:00:00Z\tana\tanalyst\tgranted\tGET /areas/{id}\tarea=A1",
                "2026-03-03T00:00:00Z\totto\toutreach\tgranted\tGET /areas/{id}\tarea=A2"), Files.readAllLines(api.audit));
        assertEquals(200, api.get("/static/area.js", null).statusCode());
        assertEquals(200, api.get("/static/area.css", null).statusCode());
    }

    /** The menu and the refusal follow {@link lookout.kernel.Signal}: a new signal is offered without a change. */
    @Test
    void theMenuOffersEverySignalTheOverdosesFirstAndAnUnknownSignalIsRefusedNamingThem() throws Exception {
        String page = api.get("/areas/A1", api.analyst).body();
        String menu = page.substring(page.indexOf("<select id=\"signal\">"), page.indexOf("</select>"));
        assertEquals(List.of("paramedic", "naloxone", "combined", "coroner", "drug_checking"),
                Pattern.compile("<option value=\"([a-z_]+)\">").matcher(menu).results().map(m -> m.group(1)).toList());
        HttpResponse<String> unknown = api.get("/api/areas/A1/series?signal=deaths", api.analyst);
        assertEquals(400, unknown.statusCode());
        assertEquals("signal must be one of [paramedic, naloxone, combined, coroner, drug_checking]",
                json(unknown.body()).get("error").asText());
    }

    @Test
    void anUnknownAreaIsA404PageAndAMalformedIdA400() throws Exception {
        HttpResponse<String> unknown = api.get("/areas/NOPE", null);
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().contains("<p class=\"problem\">No such area.</p>"), unknown.body());
        HttpResponse<String> malformed = api.get("/areas/A1%27%20OR%201%3D1", api.analyst);
        assertEquals(400, malformed.statusCode());
        assertTrue(malformed.body().contains("<p class=\"problem\">An area id is 1 to 64 letters"), malformed.body());
        assertFalse(malformed.body().contains("OR 1=1"));
    }
}
