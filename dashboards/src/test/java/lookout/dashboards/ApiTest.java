package lookout.dashboards;

import static lookout.dashboards.ApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** What each route answers over {@link PublishedDb}, number by number, and a new snapshot seen without a restart. */
class ApiTest extends WithApiServer {
    @Test
    void areasAreGeoJsonWithTheirPublicStatusAndNoCount() throws Exception {
        HttpResponse<String> r = api.get("/api/areas", null);
        assertEquals(200, r.statusCode());
        assertEquals("application/geo+json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(json("""
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"area_id":"A1","name":"Alpha","status":"alert","severity":"high"},
                  "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
                 {"type":"Feature","properties":{"area_id":"A2","name":"Beta","status":"usual","severity":null},
                  "geometry":{"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}},
                 {"type":"Feature","properties":{"area_id":"A3","name":"Gamma","status":"too few to show","severity":null},
                  "geometry":{"type":"Polygon","coordinates":[[[2,0],[3,0],[3,1],[2,1],[2,0]]]}},
                 {"type":"Feature","properties":{"area_id":"A4","name":"Delta","status":"too few to show","severity":null},
                  "geometry":{"type":"Polygon","coordinates":[[[3,0],[4,0],[4,1],[3,1],[3,0]]]}}]}"""), json(r.body()));
    }

    @Test
    void thePublicsGeoJsonComesGzippedOnceToAClientThatAcceptsIt() throws Exception {
        HttpResponse<byte[]> r = api.client().send(HttpRequest.newBuilder(api.uri("/api/areas"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(""));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            assertEquals(json(api.get("/api/areas", null).body()), json(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
    }

    @Test
    void anAnalystSeesTheStatusOnRestrictedSignalsToo() throws Exception {
        HttpResponse<String> r = api.get("/api/areas", api.analyst);
        assertEquals(List.of("alert", "usual", "alert", "no data"), json(r.body()).findValuesAsText("status"));
        assertEquals("low", json(r.body()).get("features").get(2).get("properties").get("severity").asText(),
                "A3's open alert is on the restricted combined signal");
    }

    @Test
    void aSnapshotWrittenBeforeAreaShapesExistedListsTheAreasWithoutShapes() throws Exception {
        Path old = dir.resolve("old.duckdb");
        Files.copy(api.db, old);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + old); Statement s = c.createStatement()) {
            s.execute("DROP TABLE area_shapes");
        }
        Files.move(old, api.db, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        JsonNode areas = json(api.get("/api/areas", null).body());
        assertEquals(List.of("alert", "usual", "too few to show", "too few to show"), areas.findValuesAsText("status"));
        assertEquals(4, areas.findValues("geometry").stream().filter(JsonNode::isNull).count());
    }

    @Test
    void seriesByHourAndByDay() throws Exception {
        HttpResponse<String> hours = api.get("/api/areas/A1/series?signal=paramedic&granularity=hour", api.analyst);
        assertEquals(200, hours.statusCode());
        assertEquals(json("""
                [{"bucket_start":"2026-03-02T01:00:00Z","count":2},{"bucket_start":"2026-03-02T03:00:00Z","count":3}]"""),
                json(hours.body()));
        HttpResponse<String> days = api.get("/api/areas/A1/series?signal=paramedic", api.analyst);
        assertEquals(json("""
                [{"bucket_start":"2026-03-01T00:00:00Z","count":7},{"bucket_start":"2026-03-02T00:00:00Z","count":5}]"""),
                json(days.body()));
        assertEquals(json("[]"), json(api.get("/api/areas/A4/series?signal=coroner&granularity=day", api.analyst).body()));
    }

    @Test
    void analystsSeeEveryRecentAlertAndOutreachTheirAreas() throws Exception {
        HttpResponse<String> all = api.get("/api/alerts", api.analyst);
        assertEquals(200, all.statusCode());
        assertEquals(List.of("S1", "S3", "S2"), json(all.body()).findValuesAsText("spike_id"));
        assertEquals(json("""
                {"spike_id":"S2","area_id":"A2","area_name":"Beta","signal":"naloxone","signal_name":"naloxone kits used",
                 "method":"farrington",
                 "opened_at":"2026-03-01T00:00:00Z","updated_at":"2026-03-01T23:00:00Z","closed_at":"2026-03-01T23:00:00Z",
                 "window_start":"2026-03-01T00:00:00Z","window_end":"2026-03-02T00:00:00Z","observed":12,"expected":4.0,
                 "threshold":9.0,"score":2.5,"severity":"moderate","status":"closed",
                 "explanation":"12 naloxone reports, usually 4",
                 "evidence":[{"fact":"method","label":"How it was found","value":"farrington"},
                             {"fact":"firings","label":"Times the detector fired","value":"2"}]}"""),
                json(all.body()).get(2));
        HttpResponse<String> mine = api.get("/api/alerts", api.outreach);
        assertEquals(json(all.body()).get(2), json(mine.body()).get(0));
        assertEquals(1, json(mine.body()).size());
    }

    /** Two alerts changed in the same hour: the more severe is listed first, as a phone shows only the top. */
    @Test
    void alertsChangedTogetherAreListedMostSevereFirst() throws Exception {
        PublishedDb.republish(api.db, "INSERT INTO spikes VALUES ('SZ', 'A1', 'multi', 'toxicity_multisignal',"
                + " '2026-03-02 05:00:00+00', '2026-03-02 05:00:00+00', NULL, '2026-03-01 05:00:00+00',"
                + " '2026-03-02 06:00:00+00', 8, 2.0, 5.0, 3.0, 'critical', 'opened', NULL, 'carfentanil nearby')");
        assertEquals(List.of("SZ", "S1", "S3", "S2"),
                json(api.get("/api/alerts", api.analyst).body()).findValuesAsText("spike_id"));
    }

    @Test
    void publicAlertsShowPublicSignalsAndNoCount() throws Exception {
        HttpResponse<String> r = api.get("/api/public/alerts", null);
        assertEquals(200, r.statusCode());
        assertEquals(json("""
                [{"spike_id":"S1","area_id":"A1","area_name":"Alpha","signal":"paramedic",
                  "signal_name":"paramedic overdose calls","opened_at":"2026-03-02T00:00:00Z",
                  "closed_at":null,"severity":"high"},
                 {"spike_id":"S2","area_id":"A2","area_name":"Beta","signal":"naloxone","signal_name":"naloxone kits used",
                  "opened_at":"2026-03-01T00:00:00Z","closed_at":"2026-03-01T23:00:00Z","severity":"moderate"}]"""),
                json(r.body()));

        // 2 calls where 0.3 are usual: "high", and the public would learn 1-4 calls in a day the open data withholds.
        PublishedDb.republish(api.db, "INSERT INTO spikes VALUES ('S9', 'A4', 'paramedic', 'ears_c2',"
                + " '2026-03-02 02:00:00+00', '2026-03-02 02:00:00+00', NULL, '2026-03-01 00:00:00+00',"
                + " '2026-03-02 00:00:00+00', NULL, 0.3, 1.0, 3.0, 'high', 'opened', NULL, 'fewer than 5 calls')");
        assertEquals(r.body(), api.get("/api/public/alerts", null).body(), "no public alert of fewer than k events");
        assertTrue(json(api.get("/api/alerts", api.analyst).body()).findValuesAsText("spike_id").contains("S9"));
    }

    @Test
    void aSnapshotRenamedOverThePublishedFileIsReadByTheNextRequest() throws Exception {
        String series = "/api/areas/A2/series?signal=naloxone&granularity=day";
        assertEquals(4, json(api.get("/api/areas", null).body()).get("features").size());
        assertEquals(4, json(api.get("/api/areas", api.analyst).body()).get("features").size());
        int points = json(api.get(series, api.analyst).body()).size();
        Path next = dir.resolve("next.duckdb");
        Files.copy(api.db, next);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + next);
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO areas VALUES ('A5', 'Epsilon')");
            s.execute("INSERT INTO area_counts VALUES ('day', '2026-03-05 00:00:00+00', 'A2', 'naloxone', 3, now())");
        }
        Files.move(next, api.db, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertEquals(points + 1, json(api.get(series, api.analyst).body()).size(),
                "an answer kept for the old snapshot is not served for the new one");
        assertEquals(5, json(api.get("/api/areas", api.analyst).body()).get("features").size());
        HttpResponse<String> r = api.get("/api/areas", null);
        JsonNode added = json(r.body()).get("features").get(4);
        assertEquals(json("""
                {"type":"Feature","properties":{"area_id":"A5","name":"Epsilon","status":"too few to show","severity":null},
                 "geometry":null}"""), added, "an area without a shape is listed without one");
    }
}
