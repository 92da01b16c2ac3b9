package lookout.dashboards;

import static lookout.dashboards.ApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The page skeleton: the shell, the libraries served locally, signing in and out with a session cookie. */
class PagesTest extends WithApiServer {
    @Test
    void theMapPageListsEveryAreaWithItsStatusInWords() throws Exception {
        HttpResponse<String> r = api.get("/", null);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String html = r.body();
        assertTrue(html.contains("<a href=\"/areas/A1\">Alpha</a></td><td>Alert (high)</td>"), html);
        assertTrue(html.contains("<a href=\"/areas/A2\">Beta</a></td><td>Usual</td>"), html);
        assertTrue(html.contains("<a href=\"/areas/A3\">Gamma</a></td><td>Too few to show</td>"), html);
        assertTrue(html.contains("<a href=\"/areas/A4\">Delta</a></td><td>Too few to show</td>"), html);
        assertTrue(html.contains("<p class=\"note\">Status of the 7 days to 1 March 2026, from public reports"),
                "the page says which days the statuses are of, so a reader sees how recent they are: " + html);
        assertTrue(html.contains("<html lang=\"en\">"), "the map's script marks the page ready, not the server");
        assertTrue(html.contains("<script src=\"/static/map.js\"></script>"), html);
        assertEquals(List.of("Alert (critical)", "Alert (high)", "Alert (moderate)", "Alert (low)", "Higher than usual",
                "Data incomplete", "Usual", "Too few to show", "No data"), legend(html));
        assertTrue(html.contains("<a href=\"/login\">Sign in</a>"), html);
        assertEquals(DashboardServer.CONTENT_SECURITY_POLICY, r.headers().firstValue("Content-Security-Policy").orElse(""));
    }

    private static List<String> legend(String html) {
        String list = html.substring(html.indexOf("<ul class=\"legend\""), html.indexOf("</ul>"));
        return Pattern.compile("</svg>([^<]+)</li>").matcher(list).results().map(m -> m.group(1)).toList();
    }

    @Test
    void theLibrariesAndTheStyleSheetAreServedByTheApplication() throws Exception {
        for (String path : new String[] {"/webjars/leaflet/1.9.4/dist/leaflet.js", "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
                "/static/lookout.css", "/static/map.js"}) {
            assertEquals(200, api.get(path, null).statusCode(), path);
        }
    }

    @Test
    void aBrowserSignsInWithItsTokenAndOutAgain() throws Exception {
        assertEquals(401, login("wrong").statusCode());
        HttpResponse<String> ok = login(api.analyst);
        assertEquals(302, ok.statusCode());
        String cookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), cookie);
        String session = cookie.substring(0, cookie.indexOf(';'));

        HttpResponse<String> alerts = send(HttpRequest.newBuilder(api.uri("/api/alerts")).header("Cookie", session).GET());
        assertEquals(200, alerts.statusCode());
        assertTrue(json(alerts.body()).isArray());
        assertTrue(send(HttpRequest.newBuilder(api.uri("/")).header("Cookie", session).GET()).body()
                .contains("<span>ana (analyst)</span>"));

        send(HttpRequest.newBuilder(api.uri("/logout")).header("Cookie", session).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(401, send(HttpRequest.newBuilder(api.uri("/api/alerts")).header("Cookie", session).GET()).statusCode(),
                "signing out ends the session on the server");
    }

    /**
     * An alert's email links to the alerts, whose restricted ones need signing in: the alerts page's "Sign in" comes
     * back to the alerts, and no "next" leads to another site.
     */
    @Test
    void signingInFromAPageComesBackToItAndNeverToAnotherSite() throws Exception {
        String alertsPage = api.get("/alerts", null).body();
        assertTrue(alertsPage.contains("<a href=\"/login?next=/alerts\">Sign in</a>"), alertsPage);
        String form = api.get("/login?next=/alerts", null).body();
        assertTrue(form.contains("<input type=\"hidden\" name=\"next\" value=\"/alerts\">"), form);
        assertEquals("/alerts", login(api.analyst, "/alerts").headers().firstValue("Location").orElseThrow());
        String linked = "/alerts#alert-0f1e2d3c-0000-4000-8000-000000000001";
        assertEquals(linked, login(api.analyst, linked).headers().firstValue("Location").orElseThrow(),
                "a message's link to its alert survives signing in");
        for (String elsewhere : List.of("//evil.example/alerts", "/\\evil.example", "https://evil.example/",
                "/alerts?x=\"><script>", "/alerts#\"><script>", "/alerts#a#b")) {
            assertEquals("/", login(api.analyst, elsewhere).headers().firstValue("Location").orElseThrow(), elsewhere);
        }
        assertEquals(401, login("wrong", "/alerts").statusCode());
    }

    /**
     * An email's "change or stop these alerts" leads to the notifications page, which needs signing in: the refusal
     * says so in words and its sign-in comes back to the page.
     */
    @Test
    void aPageThatNeedsSigningInSaysSoAndItsSignInComesBackToIt() throws Exception {
        HttpResponse<String> r = api.get("/notifications", null);
        assertEquals(401, r.statusCode());
        assertTrue(r.body().contains("<p class=\"problem\">Sign in to see this page.</p><p><a"
                + " href=\"/login?next=%2Fnotifications\">Sign in</a></p>"), r.body());
        assertEquals("/notifications", login(api.outreach, "/notifications").headers().firstValue("Location")
                .orElseThrow());
    }

    /**
     * A notifications form left open after signing out, then sent: its sign-in comes back to the form's page, not to
     * the path it posts to, which has no page.
     */
    @Test
    void aFormSentAfterSigningOutLeadsBackToItsPage() throws Exception {
        for (String post : List.of("/notifications/delete", "/notifications")) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(api.uri(post))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("")));
            assertEquals(401, r.statusCode(), post);
            assertTrue(r.body().contains(" href=\"/login?next=%2Fnotifications\">Sign in</a>"), r.body());
        }
    }

    /** The page says when a message's alert is not in its list (alerts.js shows it), in the reader's terms. */
    @Test
    void theAlertsPageCarriesWhatToSayWhenALinkedAlertIsNotInItsList() throws Exception {
        assertTrue(api.get("/alerts", null).body().contains("<p id=\"linked-alert\" class=\"linked-alert\""
                + " role=\"status\" hidden>The alert you were sent is not on this public page: it closed more than 30"
                + " days ago, or it is shown only to those who sign in. <a href=\"/login\">Sign in</a> to see"
                + " it.</p>"));
        assertTrue(api.get("/alerts", api.outreach).body().contains(" hidden>The alert you were sent is not listed"
                + " here: it closed more than 30 days ago, or it is outside the areas in your profile.</p>"));
        assertTrue(api.get("/alerts", api.analyst).body().contains(" hidden>The alert you were sent is not listed"
                + " here: it closed more than 30 days ago.</p>"));
    }

    @Test
    void aPageThatDoesNotExistIsAShortHtmlPageNotJson() throws Exception {
        HttpResponse<String> r = api.get("/no/such/page", null);
        assertEquals(404, r.statusCode());
        assertTrue(r.body().contains("<p class=\"problem\">No such page.</p>"), r.body());
        assertFalse(r.body().contains("Exception"));
    }

    private HttpResponse<String> login(String token) throws Exception {
        return login(token, null);
    }

    private HttpResponse<String> login(String token, String next) throws Exception {
        String form = "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
                + (next == null ? "" : "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(api.uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return api.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
