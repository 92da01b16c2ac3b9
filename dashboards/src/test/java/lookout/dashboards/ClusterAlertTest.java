package lookout.dashboards;

import static lookout.dashboards.ApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A space-time scan's cluster alert carries its whole zone's count under its centre area: the public view names the
 * zone and shows no count, the restricted view keeps the count and names the zone it belongs to.
 */
class ClusterAlertTest {
    /** 24 paramedic calls over two days in A1 (Alpha, the centre), A2 and A3 together. */
    static final String CLUSTER = "INSERT INTO spikes VALUES ('C1', 'A1', 'paramedic', 'scan_cluster',"
            + " '2026-03-02 08:00:00+00', '2026-03-02 10:00:00+00', NULL, '2026-03-01 00:00:00+00',"
            + " '2026-03-03 00:00:00+00', 24, 9.0, 12.0, 14.2, 'high', 'opened', '{\"method\":\"scan_cluster\","
            + "\"firings\":1,\"period\":\"2d\",\"areas\":[\"A1\",\"A2\",\"A3\"],\"expected_together\":9.0}',"
            + " '24 paramedic calls in Alpha and 2 neighbouring areas, usually 9')";
    static final String ZONE = "Alpha and 2 neighbouring areas";

    @TempDir
    Path dir;
    ApiServer api;

    @BeforeEach
    void start() throws Exception {
        List<String> rows = new ArrayList<>(PublishedDb.ROWS);
        rows.add(CLUSTER);
        api = new ApiServer(dir, rows, Set.of("A2"));
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void thePublicViewNamesTheZoneAndShowsNoCount() throws Exception {
        JsonNode c1 = json(api.get("/api/public/alerts", null).body()).get(0);
        assertEquals(json("""
                {"spike_id":"C1","area_id":"A1","area_name":"Alpha","signal":"paramedic",
                 "signal_name":"paramedic overdose calls","opened_at":"2026-03-02T08:00:00Z","closed_at":null,
                 "zone_name":"Alpha and 2 neighbouring areas","severity":"high"}"""), c1);
        String area = api.get("/areas/A1", null).body();
        assertTrue(area.contains("<li><strong>high</strong>: Paramedic overdose calls in " + ZONE + ", opened "), area);
        assertFalse(area.contains("24 counted"), area);
        String alerts = api.get("/alerts", null).body();
        assertTrue(alerts.contains("in <a href=\"/areas/A1\">" + ZONE + "</a></h3>"), alerts);
        String card = alerts.substring(alerts.indexOf("data-key=\"C1\""), alerts.indexOf("data-key=\"S1\""));
        assertFalse(card.contains("Count"), card);
    }

    @Test
    void theRestrictedViewKeepsTheZonesCountAndNamesTheZone() throws Exception {
        JsonNode c1 = json(api.get("/api/alerts", api.analyst).body()).get(0);
        assertEquals("C1", c1.get("spike_id").asText());
        assertEquals("Alpha", c1.get("area_name").asText());
        assertEquals(ZONE, c1.get("zone_name").asText());
        assertEquals(24, c1.get("observed").asInt());
        assertFalse(json(api.get("/api/alerts", api.analyst).body()).get(1).has("zone_name"), "S1 is not a cluster");
    }

    /**
     * An outreach user of the centre alone would subtract their own area's series from the zone's count and get the
     * other areas' total, whose series they are refused and which may be below k; one of the whole zone keeps the
     * count.
     */
    @Test
    void anOutreachUserWhoseAreasMissPartOfTheZoneSeesItsAlertWithoutTheCount() throws Exception {
        List<String> rows = new ArrayList<>(PublishedDb.ROWS);
        rows.add(CLUSTER);
        try (ApiServer centre = new ApiServer(Files.createDirectories(dir.resolve("centre")), rows, Set.of("A1"));
                ApiServer zone = new ApiServer(Files.createDirectories(dir.resolve("zone")), rows,
                        Set.of("A1", "A2", "A3"))) {
            JsonNode c1 = json(centre.get("/api/alerts", centre.outreach).body()).get(0);
            assertEquals("C1", c1.get("spike_id").asText());
            assertEquals(ZONE, c1.get("zone_name").asText());
            for (String count : List.of("observed", "expected", "threshold", "score", "evidence")) {
                assertFalse(c1.has(count), count + " in " + c1);
            }
            assertEquals(AlertQueries.ZONE_COUNT_WITHHELD, c1.get("explanation").asText());
            String page = centre.get("/alerts", centre.outreach).body();
            String card = page.substring(page.indexOf("data-key=\"C1\""));
            assertFalse(card.contains("24"), card);

            assertEquals(24, json(zone.get("/api/alerts", zone.outreach).body()).get(0).get("observed").asInt());
            String zonePage = zone.get("/alerts", zone.outreach).body();
            assertTrue(zonePage.substring(zonePage.indexOf("data-key=\"C1\"")).contains("24 paramedic calls"));
        }
    }
}
