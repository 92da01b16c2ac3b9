package lookout.dashboards;

import static lookout.dashboards.ApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The map's statuses on a snapshot of 9 weeks, number by number. The newest day is 2026-03-31, so the last 7 days
 * are 03-25 to 03-31 and the 8 weeks before them 01-28 to 03-24; the snapshot starts 01-27.
 */
class AreaStatusTest {
    static final List<String> ROWS = List.of(
            "INSERT INTO areas VALUES ('H1', 'Twice'), ('H2', 'Edges'), ('H3', 'Just under'), ('H4', 'Few'),"
                    + " ('H5', 'Linked'), ('H6', 'Quiet week'), ('H7', 'Nothing'), ('H8', 'Alerted')",
            "INSERT INTO area_counts SELECT 'day', (day || ' 00:00:00+00')::TIMESTAMPTZ, area, signal, n, now() FROM (VALUES"
                    // 16 in the 8 weeks before (2 a week), then 5: at least k and at least twice 2; its one
                    // naloxone report is judged on its own.
                    + " ('2026-01-28', 'H1', 'paramedic', 16), ('2026-03-30', 'H1', 'naloxone', 1),"
                    + " ('2026-03-30', 'H1', 'paramedic', 5),"
                    // The last day before the window (24: 3 a week) and the first in it (6 = twice 3); the 100 of
                    // the day before the 8 weeks is not part of the average.
                    + " ('2026-01-27', 'H2', 'coroner', 100), ('2026-03-24', 'H2', 'coroner', 24),"
                    + " ('2026-03-25', 'H2', 'coroner', 6),"
                    // 5 against twice 3: usual.
                    + " ('2026-03-24', 'H3', 'paramedic', 24), ('2026-03-25', 'H3', 'paramedic', 5),"
                    // 4 where there were none: fewer than k, so not told.
                    + " ('2026-03-31', 'H4', 'paramedic', 4),"
                    // Public 5 against 5 a week: usual; the restricted combined 10 against 1 a week: above usual.
                    + " ('2026-02-10', 'H5', 'paramedic', 40), ('2026-03-31', 'H5', 'paramedic', 5),"
                    + " ('2026-02-10', 'H5', 'combined', 8), ('2026-03-31', 'H5', 'combined', 10),"
                    // Nothing in the last 7 days: told like a small count.
                    + " ('2026-02-10', 'H6', 'naloxone', 30)"
                    + ") t(day, area, signal, n)",
            "INSERT INTO spikes (spike_id, area_id, signal, method, opened_at, updated_at, closed_at, window_start,"
                    + " window_end, observed, severity, status, explanation) VALUES"
                    + " ('P1', 'H8', 'paramedic', 'ears_c2', '2026-03-31', '2026-03-31', NULL, '2026-03-31', '2026-03-31',"
                    + "  6, 'moderate', 'opened', ''),"
                    + " ('P2', 'H8', 'coroner', 'ears_c2', '2026-03-30', '2026-03-31', NULL, '2026-03-30', '2026-03-31',"
                    + "  5, 'critical', 'updated', ''),"
                    + " ('P3', 'H3', 'combined', 'ears_c2', '2026-03-31', '2026-03-31', NULL, '2026-03-31', '2026-03-31',"
                    + "  5, 'moderate', 'opened', ''),"
                    + " ('P4', 'H1', 'paramedic', 'ears_c2', '2026-03-01', '2026-03-02', '2026-03-02', '2026-03-01',"
                    + "  '2026-03-02', 7, 'high', 'closed', ''),"
                    // Fewer than k calls (the job leaves the count null): the public map does not show it.
                    + " ('P5', 'H6', 'paramedic', 'ears_c2', '2026-03-31', '2026-03-31', NULL, '2026-03-31', '2026-03-31',"
                    + "  NULL, 'high', 'opened', '')");

    @TempDir
    Path dir;
    ApiServer api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiServer(dir, ROWS, Set.of("H5"));
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    private Map<String, String> statuses(String token) throws Exception {
        return statuses(api, token);
    }

    private static Map<String, String> statuses(ApiServer api, String token) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode f : json(api.get("/api/areas", token).body()).get("features")) {
            JsonNode p = f.get("properties");
            out.put(p.get("area_id").asText(), p.get("status").asText() + (p.get("severity").isNull() ? ""
                    : " " + p.get("severity").asText()));
        }
        return out;
    }

    @Test
    void thePublicSeesEachStatusOnThePublicSignals() throws Exception {
        // H7 has no count at all: "no data" there would tell the public when its first event ever was counted.
        assertEquals(Map.of("H1", "above usual", "H2", "above usual", "H3", "usual", "H4", "too few to show",
                "H5", "usual", "H6", "too few to show", "H7", "too few to show", "H8", "alert critical"),
                statuses(null));
    }

    @Test
    void analystsSeeTheRestrictedSignalsToo() throws Exception {
        assertEquals(Map.of("H1", "above usual", "H2", "above usual", "H3", "alert moderate", "H4", "too few to show",
                "H5", "above usual", "H6", "alert high", "H7", "no data", "H8", "alert critical"),
                statuses(api.analyst));
    }

    @Test
    void outreachSeesTheRestrictedSignalsOfTheirProfileOnly() throws Exception {
        Map<String, String> seen = statuses(api.outreach);
        assertEquals("above usual", seen.get("H5"));
        assertEquals("usual", seen.get("H3"), "H3's restricted alert is outside the profile");
    }

    /**
     * Toronto's clocks went forward on 2026-03-08, so its local midnights of 03-03 and 03-10 are 7 days less an hour
     * apart: 03-03 is the eighth day back, outside the last 7.
     */
    @Test
    void theLastSevenDaysAreLocalDaysAcrossAChangeOfTheClocks() throws Exception {
        try (ApiServer toronto = new ApiServer(Files.createDirectories(dir.resolve("dst")), List.of(
                "INSERT INTO areas VALUES ('Z1', 'Spring')",
                "INSERT INTO area_counts VALUES ('day', '2026-03-03 05:00:00+00', 'Z1', 'paramedic', 5, now()),"
                        + " ('day', '2026-03-10 04:00:00+00', 'Z1', 'paramedic', 4, now())"), Set.of())) {
            assertEquals("too few to show", json(toronto.get("/api/areas", null).body()).at("/features/0/properties/status")
                    .asText(), "4 in the last 7 days, not 9");
        }
    }

    /**
     * While the paramedic feed is silent, what would read "usual" or "too few to show" reads "data incomplete", on
     * the map and in the area page's words; alerts, "above usual" and "no data" stay; a banner says which feed
     * since when, and the area page's charts get the period. An episode that has ended changes no status.
     */
    @Test
    void whileAFeedIsSilentCalmAreasAreMarkedDataIncomplete() throws Exception {
        String ended = "INSERT INTO feed_health VALUES ('naloxone-bad-1', 'naloxone', 'bad', '2026-03-20 10:00:00+00',"
                + " '2026-03-20 12:00:00+00', '2026-03-20 12:00:00+00', 1.0, 60.0, 0.1, 30.0)";
        String silent = "INSERT INTO feed_health VALUES ('paramedic-silent-1', 'paramedic', 'silent',"
                + " '2026-03-31 22:05:00+00', NULL, '2026-03-31 23:45:00+00', 6000.0, 600.0, 0.0, 120.0)";
        List<String> rows = new ArrayList<>(ROWS);
        rows.add(ended);
        try (ApiServer calm = new ApiServer(Files.createDirectories(dir.resolve("ended")), rows, Set.of("H5"))) {
            assertEquals(Map.of("H1", "above usual", "H2", "above usual", "H3", "usual", "H4", "too few to show",
                    "H5", "usual", "H6", "too few to show", "H7", "too few to show", "H8", "alert critical"),
                    statuses(calm, null),
                    "an episode that ended changes nothing");
            assertEquals(false, calm.get("/", null).body().contains("feed-banner"));
        }
        rows.add(silent);
        try (ApiServer gap = new ApiServer(Files.createDirectories(dir.resolve("silent")), rows, Set.of("H5"))) {
            assertEquals(Map.of("H1", "above usual", "H2", "above usual", "H3", "data incomplete",
                    "H4", "data incomplete", "H5", "data incomplete", "H6", "data incomplete",
                    "H7", "data incomplete", "H8", "alert critical"), statuses(gap, null));
            assertEquals("data incomplete", statuses(gap, gap.analyst).get("H4"));
            String map = gap.get("/", null).body();
            assertEquals(true, map.contains("<div class=\"feed-banner\" role=\"status\"><p><b>Data incomplete.</b>"
                    + " The paramedic feed has sent nothing since Tuesday 31 March, 18:05. Until it is back"), map);
            assertEquals(true, map.contains("data-status=\"data incomplete\""), "the legend names the status");
            assertEquals(true, gap.get("/areas/H3", null).body()
                    .contains("Status over the 7 days to 30 March 2026: Data incomplete."));
            assertEquals(json("""
                    [{"source":"naloxone","status":"bad","since":"2026-03-20T10:00:00Z","until":"2026-03-20T12:00:00Z"},
                     {"source":"paramedic","status":"silent","since":"2026-03-31T22:05:00Z","until":null}]"""),
                    json(gap.get("/api/areas/H5/alarms?signal=combined", gap.analyst).body()).get("incomplete"),
                    "combined is counted from paramedic and naloxone");
            assertEquals(json("""
                    [{"source":"paramedic","status":"silent","since":"2026-03-31T22:05:00Z","until":null}]"""),
                    json(gap.get("/api/areas/H5/alarms?signal=paramedic", gap.analyst).body()).get("incomplete"));
            assertEquals(List.of("2026-03-20"), incompleteDays(gap, "combined"),
                    "the day the naloxone feed was bad, of the 50 local days from 9 February");
            assertEquals(List.of(), incompleteDays(gap, "paramedic"),
                    "the paramedic feed fell silent after the last day of data (30 March in Toronto)");
        }
    }

    /** The days of area H5's daily series that a feed gap touched. */
    private static List<String> incompleteDays(ApiServer server, String signal) throws Exception {
        List<String> out = new ArrayList<>();
        json(server.get("/api/areas/H5/alarms?signal=" + signal, server.analyst).body()).get("days").forEach(d -> {
            if (d.get("incomplete").asBoolean()) {
                out.add(d.get("day").asText());
            }
        });
        return out;
    }

    @Test
    void aSnapshotWithoutEightWeeksBeforeTheLastSevenDaysCallsNothingAboveUsual() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + api.db); Statement s = c.createStatement()) {
            s.execute("DELETE FROM area_counts WHERE bucket_start < '2026-01-29'");
        }
        Map<String, String> seen = statuses(null);
        assertEquals("usual", seen.get("H1"), "the snapshot now starts on 02-10");
        assertEquals("usual", seen.get("H2"));
    }
}
