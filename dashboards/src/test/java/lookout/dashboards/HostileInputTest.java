package lookout.dashboards;

import static lookout.dashboards.ApiServer.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Hostile requests get a 4xx with a one-line JSON error, no stack trace, and change nothing. */
class HostileInputTest extends WithApiServer {
    @Test
    void hostileRequestsAreRefusedWithAJsonErrorAndChangeNothing() throws Exception {
        byte[] before = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(api.db));
        String series = "/api/areas/%s/series?signal=%s&granularity=%s";
        Map<String, Integer> expected = statusByRequest(
                series.formatted("A1'%3BDROP%20TABLE%20areas%3B--", "paramedic", "day"), 400,
                series.formatted("A1%27%20OR%20%271%27%3D%271", "paramedic", "day"), 400,
                series.formatted("..%2F..%2Fetc%2Fpasswd", "paramedic", "day"), 400,
                "/api/areas/../../etc/passwd/series?signal=paramedic", 404,
                series.formatted("A1", "fentanyl", "day"), 400,
                series.formatted("A1", "paramedic%27%20OR%201%3D1", "day"), 400,
                series.formatted("A1", "paramedic", "minute"), 400,
                series.formatted("NOPE", "paramedic", "day"), 404,
                "/api/areas?x=" + "a".repeat(5000), 414,
                "/api/nothing-here", 404,
                "/api/areas/A1'%3BDROP%20TABLE%20areas%3B--/alarms?signal=paramedic", 400,
                "/api/areas/A1/alarms?signal=paramedic%27%3BDROP%20TABLE%20detector_alarms%3B--", 400,
                "/api/areas/NOPE/alarms?signal=paramedic", 404,
                "/api/areas/..%2F..%2Fetc%2Fpasswd/substances", 400,
                "/api/areas/A1/substances?weeks=0", 400,
                "/api/areas/A1/substances?weeks=53", 400,
                "/api/areas/A1/substances?weeks=1%3BDROP%20TABLE%20substance_counts", 400,
                "/api/areas/A1/substances?weeks=99999999999999999999", 400,
                "/api/areas/NOPE/substances", 404);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            HttpResponse<String> r = api.get(e.getKey(), api.analyst);
            assertEquals(e.getValue(), r.statusCode(), e.getKey());
            assertEquals(1, json(r.body()).size(), e.getKey());
            String error = json(r.body()).get("error").asText();
            assertFalse(error.contains("Exception") || error.contains("DROP") || error.contains("passwd"), error);
        }
        assertEquals(4, json(api.get("/api/areas", null).body()).get("features").size());
        assertArrayEquals(before, MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(api.db)));
        assertFalse(Files.readString(api.audit).contains("DROP"), "hostile values never reach the audit log");
    }

    /** Requests and the status each must get, in pairs (more than {@code Map.of} takes). */
    private static Map<String, Integer> statusByRequest(Object... pairs) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return map;
    }

    @Test
    void aMultipartFormThatDoesNotMatchItsBoundaryIsABadRequest() throws Exception {
        String reason = "the form cannot be read: its body does not match its multipart boundary";
        for (String path : List.of("/login", "/alerts/S1/feedback", "/notifications",
                "/api/public/alerts/S1/feedback")) {
            HttpResponse<String> r = api.client().send(HttpRequest.newBuilder(api.uri(path))
                    .header("Content-Type", "multipart/form-data; boundary=xx")
                    .POST(HttpRequest.BodyPublishers.ofString("garbage")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), path);
            if (path.startsWith("/api/")) {
                assertEquals("{\"error\":\"" + reason + "\"}", r.body());
            } else {
                assertTrue(r.body().contains(AlertWords.capitalised(reason) + "."), r.body());
            }
        }
    }

    /**
     * Javalin decodes a body, a form's too, in the charset its Content-Type names: one Java does not know threw in the
     * handler that read it, a 500 with a stack trace in the log for every anonymous sign-in attempt.
     */
    @Test
    void aBodyInACharsetJavaDoesNotKnowIs415WhereverItIsSent() throws Exception {
        String reason = "the body's charset is not one this server knows; send UTF-8";
        for (String path : List.of("/login", "/alerts/S1/feedback", "/notifications",
                "/api/public/alerts/S1/feedback")) {
            for (String type : List.of("application/x-www-form-urlencoded; charset=bogus",
                    "application/json; charset=bogus", "application/x-www-form-urlencoded; charset=\"a b\"")) {
                HttpResponse<String> r = api.client().send(HttpRequest.newBuilder(api.uri(path))
                        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString("answer=yes")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(415, r.statusCode(), path + " " + type);
                if (path.startsWith("/api/")) {
                    assertEquals("{\"error\":\"" + reason + "\"}", r.body());
                } else {
                    assertTrue(r.body().contains("<p class=\"problem\">The body&#39;s charset is not one this server"
                            + " knows; send UTF-8.</p>"), r.body());
                }
            }
        }
        HttpResponse<String> latin1 = api.client().send(HttpRequest
                .newBuilder(api.uri("/api/public/alerts/S1/feedback"))
                .header("Content-Type", "application/json; charset=ISO-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"answer\": \"yes\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, latin1.statusCode(), "a charset Java knows is read as before");
    }

    /** Read as its first value, a parameter given twice answered for one of them without a word. */
    @Test
    void aQueryParameterGivenTwiceIsRefusedOnTheApiAndOnPages() throws Exception {
        HttpResponse<String> api400 = api.get("/api/areas/A1/series?signal=paramedic&signal=coroner", api.analyst);
        assertEquals(400, api400.statusCode());
        assertEquals("{\"error\":\"the query gives signal more than once; give it once\"}", api400.body());
        HttpResponse<String> page = api.get("/areas/A1?signal=paramedic&weeks=8&signal=%3Cb%3E", api.analyst);
        assertEquals(400, page.statusCode());
        assertTrue(page.body().contains("<p class=\"problem\">The query gives signal more than once; give it"
                + " once.</p>"), page.body());
        HttpResponse<String> hostile = api.get("/api/areas?%3Cscript%3E=1&%3Cscript%3E=2", null);
        assertEquals(400, hostile.statusCode());
        assertFalse(api.get("/areas/A1?%3Cscript%3E=1&%3Cscript%3E=2", null).body().contains("<script>"));
        assertEquals(200, api.get("/api/areas/A1/series?signal=paramedic&granularity=day", api.analyst)
                .statusCode(), "different parameters, each once, as before");
    }

    @Test
    void aBodyOverTheSizeLimitIsRefusedWithAJsonError() throws Exception {
        HttpResponse<String> r = api.client().send(HttpRequest.newBuilder(api.uri("/api/public/alerts/S1/feedback"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2_000_000])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("{\"error\":\"payload too large\"}", r.body());
    }

    /** A method a path does not answer is told from a path that does not exist, with the methods it answers. */
    @Test
    void aMethodThePathDoesNotAnswerIs405WithTheMethodsItAnswers() throws Exception {
        HttpResponse<String> r = api.client().send(java.net.http.HttpRequest.newBuilder(api.uri("/api/areas"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
        assertEquals("method not allowed", json(r.body()).get("error").asText());
        assertEquals(List.of("GET"), r.headers().allValues("Allow"));
        HttpResponse<String> page = api.client().send(java.net.http.HttpRequest.newBuilder(api.uri("/alerts"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        HttpResponse<String> none = api.client().send(java.net.http.HttpRequest.newBuilder(api.uri("/api/no-such"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, none.statusCode());
    }
}
