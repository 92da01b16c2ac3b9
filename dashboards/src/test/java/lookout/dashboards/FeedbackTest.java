package lookout.dashboards;

import static lookout.dashboards.ApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import lookout.kernel.UsageException;

/**
 * "Was this useful?" over real HTTP: anyone answers about an alert of the snapshot without signing in, the
 * dashboards' own file keeps only counts, and only analysts read them (the API and the alerts page).
 */
class FeedbackTest extends WithApiServer {
    private HttpResponse<String> answer(String spikeId, String body) throws Exception {
        return api.client().send(HttpRequest.newBuilder(api.uri("/api/public/alerts/" + spikeId + "/feedback"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> form(String spikeId, String body) throws Exception {
        return api.client().send(HttpRequest.newBuilder(api.uri("/alerts/" + spikeId + "/feedback"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePublicAnswersWithoutSigningInAndAnalystsReadTheExactCountsPerAlert() throws Exception {
        HttpResponse<String> first = answer("S1", "{\"answer\": \"yes\"}");
        assertEquals(201, first.statusCode());
        assertEquals("{\"spike_id\":\"S1\",\"answer\":\"yes\",\"reason\":null}", first.body());
        assertEquals(201, answer("S1", "{\"answer\": \"yes\", \"reason\": \"passed_on\"}").statusCode());
        assertEquals(201, answer("S1", "{\"answer\": \"no\", \"reason\": \"too_late\"}").statusCode());
        assertEquals(201, answer("S3", "{\"answer\": \"no\", \"reason\": null}").statusCode());
        assertEquals(200, form("S1", "answer=yes&reason=passed_on").statusCode());

        HttpResponse<String> counts = api.get(Feedback.COUNTS, api.analyst);
        assertEquals(200, counts.statusCode());
        assertEquals(json("""
                [{"spike_id": "S1", "area_id": "A1", "area_name": "Alpha", "signal": "paramedic",
                  "opened_at": "2026-03-02T00:00:00Z", "yes": 3, "no": 1, "reasons": {"passed_on": 2, "too_late": 1}},
                 {"spike_id": "S3", "area_id": "A3", "area_name": "Gamma", "signal": "combined",
                  "opened_at": "2026-03-02T00:00:00Z", "yes": 0, "no": 1, "reasons": {}}]"""), json(counts.body()));

        String file = Files.readString(api.feedback);
        assertFalse(file.contains("127.0.0.1"), "no client address is stored: " + file);
        assertEquals(json("""
                {"counts": [{"spike_id": "S1", "answer": "yes", "reason": null, "count": 1},
                            {"spike_id": "S1", "answer": "yes", "reason": "passed_on", "count": 2},
                            {"spike_id": "S1", "answer": "no", "reason": "too_late", "count": 1},
                            {"spike_id": "S3", "answer": "no", "reason": null, "count": 1}]}"""), json(file));
        assertEquals(List.of(new FeedbackStore.Tally("S1", 3, 1, Map.of(FeedbackStore.Reason.PASSED_ON, 2L,
                        FeedbackStore.Reason.TOO_LATE, 1L)), new FeedbackStore.Tally("S3", 0, 1, Map.of())),
                FeedbackStore.open(api.feedback).tallies(), "reopened after a restart, the file gives the same counts");
    }

    @Test
    void onlyAnalystsReadTheCounts() throws Exception {
        assertEquals(401, api.get(Feedback.COUNTS, null).statusCode());
        HttpResponse<String> outreach = api.get(Feedback.COUNTS, api.outreach);
        assertEquals(403, outreach.statusCode());
        assertEquals("{\"error\":\"your role may not see this\"}", outreach.body());
        assertEquals("[]", api.get(Feedback.COUNTS, api.analyst).body());
    }

    @Test
    void aBadAlertOrAnswerIsRefusedWithJsonAndCountsNothing() throws Exception {
        for (String id : List.of("NOPE", "S1%27%3B", "..")) {
            HttpResponse<String> r = answer(id, "{\"answer\": \"yes\"}");
            assertEquals(404, r.statusCode(), id);
            assertEquals("{\"error\":\"no such alert\"}", r.body(), id);
        }
        HttpResponse<String> maybe = answer("S1", "{\"answer\": \"maybe\"}");
        assertEquals(400, maybe.statusCode());
        assertEquals("{\"error\":\"answer must be yes or no\"}", maybe.body());
        HttpResponse<String> wrongReason = answer("S1", "{\"answer\": \"yes\", \"reason\": \"too_late\"}");
        assertEquals(400, wrongReason.statusCode());
        assertEquals("{\"error\":\"reason must be one of passed_on, changed_outreach, confirmed for the answer yes, or"
                + " left out\"}", wrongReason.body());
        HttpResponse<String> freeText = answer("S1", "{\"answer\": \"no\", \"comment\": \"Jane was there\"}");
        assertEquals(400, freeText.statusCode());
        assertEquals("{\"error\":\"unknown field; an answer has only \\\"answer\\\" and \\\"reason\\\"\"}", freeText.body());
        assertEquals(400, answer("S1", "yes").statusCode());
        assertEquals(400, answer("S1", "[]").statusCode());
        assertEquals("[]", api.get(Feedback.COUNTS, api.analyst).body());
        assertFalse(Files.exists(api.feedback), "nothing counted, nothing written");
    }

    /**
     * Another site's page posting answers from its visitors' browsers (a form, or a "simple" text/plain POST that
     * needs no CORS preflight) is refused; the site's own form and clients that are not browsers are not.
     */
    @Test
    void anotherSitesPageCannotAnswerThroughItsVisitorsBrowsers() throws Exception {
        HttpResponse<String> fromForm = api.client().send(HttpRequest.newBuilder(api.uri("/alerts/S1/feedback"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.ofString("answer=yes")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, fromForm.statusCode());
        assertTrue(fromForm.body().contains("Answers are taken from this site&#39;s own pages only."), fromForm.body());
        HttpResponse<String> fromScript = api.client().send(HttpRequest.newBuilder(
                api.uri("/api/public/alerts/S1/feedback")).header("Content-Type", "text/plain")
                .header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.ofString("{\"answer\": \"no\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, fromScript.statusCode());
        assertEquals("{\"error\":\"answers are taken from this site's own pages only\"}", fromScript.body());
        assertEquals(200, api.client().send(HttpRequest.newBuilder(api.uri("/alerts/S1/feedback"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Sec-Fetch-Site", "same-origin")
                .POST(HttpRequest.BodyPublishers.ofString("answer=yes")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode());
        assertEquals(201, answer("S1", "{\"answer\": \"no\"}").statusCode());
        assertEquals(json("""
                [{"spike_id": "S1", "area_id": "A1", "area_name": "Alpha", "signal": "paramedic",
                  "opened_at": "2026-03-02T00:00:00Z", "yes": 1, "no": 1, "reasons": {}}]"""),
                json(api.get(Feedback.COUNTS, api.analyst).body()));
    }

    @Test
    void oneClientAddressMayAnswerTwentyTimesAnHour() throws Exception {
        for (int i = 0; i < Feedback.MAX_ANSWERS; i++) {
            assertEquals(201, answer("S1", "{\"answer\": \"yes\"}").statusCode());
        }
        HttpResponse<String> more = answer("S1", "{\"answer\": \"yes\"}");
        assertEquals(429, more.statusCode());
        assertEquals("{\"error\":\"too many answers from this address; try again in an hour\"}", more.body());
        assertEquals(20, json(api.get(Feedback.COUNTS, api.analyst).body()).get(0).get("yes").asInt());
    }

    @Test
    void aClientThatAsksAboutTwentyAlertsThatDoNotExistIsRefusedForEveryAlertForAnHour() throws Exception {
        for (int i = 0; i < Feedback.MAX_UNKNOWN; i++) {
            assertEquals(404, api.get("/alerts/guess-" + i + "/feedback", null).statusCode());
        }
        assertEquals(429, api.get("/alerts/S1/feedback", null).statusCode(), "a known alert too: no oracle left");
        HttpResponse<String> refused = answer("S1", "{\"answer\": \"yes\"}");
        assertEquals(429, refused.statusCode());
        assertEquals("{\"error\":\"too many requests about alerts that do not exist from this address; try again in"
                + " an hour\"}", refused.body());
    }

    @Test
    void theFormPageAsksWithoutSigningInAndTheAlertsPageShowsAnalystsTheAnswers() throws Exception {
        HttpResponse<String> page = api.get("/alerts/S1/feedback", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<form class=\"feedback\" method=\"post\" action=\"/alerts/S1/feedback\">"),
                page.body());
        assertTrue(page.body().contains("<input type=\"radio\" name=\"answer\" value=\"no\">"));
        assertTrue(page.body().contains("<option value=\"too_late\">It came too late</option>"));
        assertFalse(page.body().contains("Alpha"), "the page says nothing about the alert: anyone may open it");
        assertEquals(404, api.get("/alerts/NOPE/feedback", null).statusCode());

        HttpResponse<String> thanks = form("S1", "answer=no&reason=too_many");
        assertTrue(thanks.body().contains("Your answer was counted."), thanks.body());
        assertEquals(400, form("S1", "answer=perhaps").statusCode());

        String analystPage = api.get("/alerts", api.analyst).body();
        assertTrue(analystPage.contains("<tr data-spike=\"S1\"><td>Paramedic overdose calls in Alpha, opened Sun 1 Mar 2026, 19:00</td>"), analystPage);
        assertTrue(analystPage.contains("</td><td>0</td><td>1</td><td>Too many messages: 1</td></tr>"), analystPage);
        assertFalse(api.get("/alerts", api.outreach).body().contains("id=\"feedback\""));
        assertFalse(api.get("/alerts", null).body().contains("id=\"feedback\""));
    }

    @Test
    void aFileThatIsNotAFeedbackFileStopsTheServerWithOneLine() throws Exception {
        Files.writeString(api.feedback, "{\"counts\": [{\"spike_id\": \"S1\", \"answer\": \"perhaps\", \"count\": 1}]}");
        assertEquals("feedback file " + api.feedback + " is not a Lookout feedback file (JSON with a \"counts\" array);"
                + " move it away or name another file",
                assertThrows(UsageException.class, () -> FeedbackStore.open(api.feedback)).getMessage());
    }

    /**
     * Another JSON file named by mistake (the boundaries' GeoJSON, an NDJSON file whose first line is a feedback
     * object) is refused and kept: opened, it would have been replaced by the counts at the first anonymous answer.
     */
    @Test
    void anotherJsonFileIsRefusedAndLeftAsItWas() throws Exception {
        String counts = "{\"counts\": []}";
        for (String other : List.of("{\"type\": \"FeatureCollection\", \"features\": []}", "[]", "",
                counts + "\n{\"event_id\": \"p-1\"}\n")) {
            Files.writeString(api.feedback, other);
            assertThrows(UsageException.class, () -> FeedbackStore.open(api.feedback), other);
            assertEquals(other, Files.readString(api.feedback));
        }
        Files.writeString(api.feedback, counts);
        assertEquals(List.of(), FeedbackStore.open(api.feedback).tallies());
    }
}
