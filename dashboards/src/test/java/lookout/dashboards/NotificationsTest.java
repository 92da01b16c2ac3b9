package lookout.dashboards;

import static lookout.dashboards.ApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

/**
 * The notifications routes of a server without a notifier: who may call them is checked first, then the page
 * says they are not set up and the API answers 503. With a real notifier: NotificationsEndToEndTest in tools.
 */
class NotificationsTest extends WithApiServer {
    @Test
    void onlyOutreachHaveASubscriptionAndOnlyAnalystsSeeCounts() throws Exception {
        HttpResponse<String> r = api.get(Notifications.API, null);
        assertEquals(401, r.statusCode());
        assertEquals("sign in or send a bearer token to see this", json(r.body()).get("error").asText());
        r = api.get(Notifications.API, api.analyst);
        assertEquals(403, r.statusCode());
        assertEquals("your role may not see this", json(r.body()).get("error").asText());
        assertEquals(403, api.get(Notifications.COUNTS, api.outreach).statusCode());
        assertEquals(401, api.get(Notifications.PAGE, null).statusCode());
    }

    @Test
    void withoutANotifierThePageSaysSoAndTheApiAnswers503() throws Exception {
        HttpResponse<String> r = api.get(Notifications.API, api.outreach);
        assertEquals(503, r.statusCode());
        assertEquals("notifications are not set up on this server (serve --notifier)", json(r.body()).get("error").asText());
        assertEquals(503, api.get(Notifications.COUNTS, api.analyst).statusCode());
        r = api.get(Notifications.PAGE, api.outreach);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("Notifications are not set up on this server."), r.body());
    }

    @Test
    void theNavigationOffersNotificationsToTheSignedInOnly() throws Exception {
        assertTrue(api.get("/alerts", api.outreach).body().contains("<a href=\"/notifications\">Notifications</a>"));
        assertFalse(api.get("/alerts", null).body().contains("/notifications"));
    }
}
