package lookout.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier's public feeds served under /feeds/ from a feed directory written as the notifier writes it: the
 * files as they are, with their types, and nothing else of the directory or beyond it.
 */
class AlertFeedFilesTest {
    private static final String ATOM = """
            <?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:uuid:1</id>\
            </feed>""";
    private static final String CAP = """
            <?xml version="1.0" encoding="UTF-8"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>""";
    private static final String CAP_NAME = "lookout-0f1e2d3c-0000-4000-8000-000000000001-worsened-high.xml";

    @TempDir
    Path dir;

    @Test
    void theFeedAndEachCapMessageAreServedAsTheNotifierWroteThem() throws Exception {
        Path feeds = Files.createDirectories(dir.resolve("feed/cap"));
        Files.writeString(feeds.resolveSibling("alerts.atom"), ATOM);
        Files.writeString(feeds.resolve(CAP_NAME), CAP);
        try (ApiServer api = new ApiServer(dir, dir.resolve("feed"))) {
            HttpResponse<String> atom = api.get("/feeds/alerts.atom", null);
            assertEquals(200, atom.statusCode());
            assertEquals(ATOM, atom.body());
            assertEquals("application/atom+xml; charset=utf-8", atom.headers().firstValue("Content-Type").orElse(""));
            assertEquals("no-cache", atom.headers().firstValue("Cache-Control").orElse(""));
            HttpResponse<String> cap = api.get("/feeds/cap/" + CAP_NAME, null);
            assertEquals(200, cap.statusCode());
            assertEquals(CAP, cap.body());
            assertEquals("application/cap+xml; charset=utf-8", cap.headers().firstValue("Content-Type").orElse(""));

            String page = api.get("/alerts", null).body();
            assertTrue(page.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Lookout public"
                    + " alerts\" href=\"/feeds/alerts.atom\">"), page);
            assertTrue(page.contains("<p class=\"follow\" id=\"follow\">Follow the public alerts, without counts, in a"
                    + " feed reader or an alerting service: the <a href=\"/feeds/alerts.atom\">Atom feed</a> lists each"
                    + " change, with a link to it as a CAP 1.2 (Common Alerting Protocol) message.</p>"), page);
        }
    }

    @Test
    void onlyTheNamesTheNotifierWritesAreServed() throws Exception {
        Path feed = Files.createDirectories(dir.resolve("feed/cap"));
        Files.writeString(feed.resolve("notes.txt"), "private");
        Files.writeString(feed.resolve("UPPER.XML"), CAP);
        Files.writeString(dir.resolve("secret.xml"), "private");
        try (ApiServer api = new ApiServer(dir, dir.resolve("feed"))) {
            for (String path : List.of("/feeds/cap/notes.txt", "/feeds/cap/UPPER.XML",
                    "/feeds/cap/..%2F..%2Fsecret.xml", "/feeds/cap/" + CAP_NAME, "/feeds/cap/.xml")) {
                HttpResponse<String> r = api.get(path, null);
                assertEquals(404, r.statusCode(), path);
                assertFalse(r.body().contains("private"), path);
            }
            assertTrue(api.get("/feeds/cap/" + CAP_NAME, null).body().contains("No such alert message."));
            HttpResponse<String> notYet = api.get("/feeds/alerts.atom", null);
            assertEquals(404, notYet.statusCode());
            assertTrue(notYet.body().contains("The alert feed is not written yet: the notifier writes it when it"
                    + " starts."), notYet.body());
        }
    }

    @Test
    void aServerWithoutTheFeedsSaysSoAndItsAlertsPageDoesNotNameThem() throws Exception {
        try (ApiServer api = new ApiServer(dir)) {
            HttpResponse<String> r = api.get("/feeds/alerts.atom", null);
            assertEquals(404, r.statusCode());
            assertTrue(r.body().contains("This server does not publish the alert feeds."), r.body());
            String page = api.get("/alerts", null).body();
            assertFalse(page.contains("/feeds/"), page);
        }
    }
}
