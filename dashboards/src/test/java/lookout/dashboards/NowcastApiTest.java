package lookout.dashboards;

import static lookout.dashboards.ApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import lookout.kernel.Signal;

/** The area's nowcast route over {@link PublishedDb}: numbers, words and who may read them. */
class NowcastApiTest extends WithApiServer {
    @Test
    void analystsGetTheRecentDaysAndWeeksWithTheExpectedFinalCountsAndTheLatestWeekInWords() throws Exception {
        HttpResponse<String> r = api.get("/api/areas/A1/nowcast?signal=paramedic", api.analyst);
        assertEquals(200, r.statusCode());
        assertEquals(json("""
                {"signal":"paramedic","as_of":"2026-03-01",
                 "summary":"So far 12 paramedic overdose calls reported for the 7 days 23 Feb to 1 Mar; about 13 expected once all reports are in (likely 12 to 15).",
                 "days":[{"start":"2026-02-28","end":"2026-02-28","reported":7,"share_reported":1.0,"expected":7.0,"lower":7,"upper":7},
                         {"start":"2026-03-01","end":"2026-03-01","reported":5,"share_reported":0.5,"expected":10.0,"lower":6,"upper":17}],
                 "weeks":[{"start":"2026-02-23","end":"2026-03-01","reported":12,"share_reported":0.9286,"expected":12.9,"lower":12,"upper":15}]}"""),
                json(r.body()));
    }

    @Test
    void tooFewInToSayAllInAndNothingReportedAreSaidInWords() throws Exception {
        assertEquals("So far 2 suspected overdose deaths reported for the 7 days 23 Feb to 1 Mar; too few of these"
                        + " reports are usually in this soon to say how many more will come.",
                json(api.get("/api/areas/A3/nowcast?signal=coroner", api.analyst).body()).get("summary").asText());
        assertEquals("12 naloxone kits used reported for the 7 days 23 Feb to 1 Mar; no more are expected.",
                json(api.get("/api/areas/A2/nowcast?signal=naloxone", api.outreach).body()).get("summary").asText(),
                "outreach read their own areas' nowcasts, small counts included");
        assertEquals(json("""
                {"signal":"coroner","as_of":null,"summary":"No suspected overdose deaths reported here in the last 8 weeks.",
                 "days":[],"weeks":[]}"""), json(api.get("/api/areas/A4/nowcast?signal=coroner", api.analyst).body()));
    }

    /** None reported is an estimate of none, however many may come: the sentence gives the interval alone. */
    @Test
    void aWeekWithNoneReportedYetSaysHowManyMayComeWithoutAnEstimateOfNone() {
        Map<String, Object> week = new LinkedHashMap<>(Map.of("start", "2026-02-23", "end", "2026-03-01",
                "reported", 0L, "share_reported", 0.15, "lower", 0L, "upper", 16L));
        week.put("expected", 0.0);
        assertEquals("So far 0 suspected overdose deaths reported for the 7 days 23 Feb to 1 Mar; likely 0 to 16 once"
                + " all reports are in.", Nowcasts.sentence(Signal.CORONER, week));
    }

    /** "So far 1 suspected overdose deaths" read as a typo on the page it was meant to make credible. */
    @Test
    void oneReportIsCountedInTheSingular() {
        Map<String, Object> week = new LinkedHashMap<>(Map.of("start", "2026-02-23", "end", "2026-03-01",
                "reported", 1L, "share_reported", 0.05));
        week.put("expected", null);
        assertEquals("So far 1 suspected overdose death reported for the 7 days 23 Feb to 1 Mar; too few of these"
                + " reports are usually in this soon to say how many more will come.",
                Nowcasts.sentence(Signal.CORONER, week));
        week.putAll(Map.of("reported", 1L, "expected", 1.0, "lower", 1L, "upper", 1L));
        assertEquals("1 naloxone kit used reported for the 7 days 23 Feb to 1 Mar; no more are expected.",
                Nowcasts.sentence(Signal.NALOXONE, week));
        for (Signal signal : Signal.values()) {
            assertEquals("2 " + AlertWords.signal(signal.code()), AlertWords.count(2, signal));
            assertTrue(AlertWords.count(1, signal).startsWith("1 "), signal.code());
            assertNotEquals(AlertWords.count(2, signal).substring(2), AlertWords.count(1, signal).substring(2));
        }
    }

    @Test
    void theAreaPageHoldsTheNowcastPanelOnlyForThoseWhoMaySeeCounts() throws Exception {
        String analyst = api.get("/areas/A1", api.analyst).body();
        assertTrue(analyst.contains("<section id=\"nowcast\"><h3>Reports still to come</h3>"), analyst);
        assertTrue(analyst.indexOf("id=\"nowcast\"") < analyst.indexOf("id=\"drug-checking\""));
        assertFalse(api.get("/areas/A1", null).body().contains("nowcast"), "the public sees no counts");
    }

    @Test
    void thePublicAndOtherAreasOutreachAreRefusedAndBadRequestsSaySo() throws Exception {
        assertEquals(401, api.get("/api/areas/A1/nowcast?signal=paramedic", null).statusCode());
        assertEquals(403, api.get("/api/areas/A1/nowcast?signal=paramedic", api.outreach).statusCode());
        HttpResponse<String> bad = api.get("/api/areas/A1/nowcast?signal=deaths", api.analyst);
        assertEquals(400, bad.statusCode());
        assertTrue(json(bad.body()).get("error").asText().startsWith("signal must be one of"), bad.body());
        assertEquals(404, api.get("/api/areas/NOPE/nowcast?signal=paramedic", api.analyst).statusCode());
    }
}
