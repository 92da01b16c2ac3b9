package lookout.web;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The alerts page in headless Chromium over the backfilled year of Toronto: the spike's alert in the list of the
 * public, of its outreach lead and of an analyst, at desktop and phone width without sideways scrolling, and a new
 * alert drawn on the open page, without a reload, once a new snapshot is renamed over the published file.
 */
@Timeout(300)
class AlertsBrowserTest extends OnTorontoDashboards {
    static final String TEST = "AlertsBrowserTest";
    static final String SPIKE_LINK = "a[href='/areas/" + TorontoSnapshot.SPIKE_AREA + "']";
    static final String NEW_ALERT = "browser-test-alert";

    @BeforeAll
    static void start() {
        browsers = Browsers.start();
    }

    @Test
    void thePublicSeesTheSpikeInTheOpenAlertsWithoutItsExplanation() throws Exception {
        browsers.forgetSessions();
        browsers.show(dashboards.uri("/alerts"), TEST, "public");
        int listed = dashboards.json("/api/public/alerts", null).size();
        for (Chromium c : List.of(browsers.desktop, browsers.phone)) {
            WebElement spike = spikeCard(c);
            String text = spike.getText();
            assertAll(c.viewport().name(),
                    () -> assertTrue(text.contains(" in Yonge-Bay Corridor"), text),
                    () -> assertTrue(text.contains("Opened") && !text.contains("Count"), "no count in public: " + text),
                    () -> assertTrue(spike.findElements(By.cssSelector(".explanation, .evidence")).isEmpty(), text),
                    () -> assertEquals(listed, c.driver().findElements(By.cssSelector("li.alert")).size()),
                    () -> assertFitsTheWidth(c));
        }
    }

    /** A message's link, {@code /alerts#alert-SPIKE}, outlines that alert's card and no other. */
    @Test
    void aMessagesLinkOutlinesItsAlertsCard() throws Exception {
        browsers.forgetSessions();
        String id = spikeCardId();
        browsers.show(dashboards.uri("/alerts#" + id), TEST, "linked");
        for (Chromium c : List.of(browsers.desktop, browsers.phone)) {
            WebElement spike = spikeCard(c);
            assertAll(c.viewport().name(),
                    () -> assertEquals(id, spike.getDomAttribute("id")),
                    () -> assertEquals("solid", spike.getCssValue("outline-style")),
                    () -> assertEquals(List.of(spike), c.driver().findElements(By.cssSelector("li.alert:target"))),
                    () -> assertEquals("none", c.driver().findElement(By.cssSelector("li.alert:not(:target)"))
                            .getCssValue("outline-style")));
        }
    }

    /**
     * A message's link to an alert the public page does not list says so and leads to signing in; and signing in
     * from an alert's link, as its outreach lead would from the email, comes back to that alert's card, now with what
     * it is based on.
     */
    @Test
    void aLinkedAlertNotListedIsSaidMissingAndSigningInFromALinkComesBackToItsAlert() throws Exception {
        browsers.forgetSessions();
        for (Chromium c : List.of(browsers.desktop, browsers.phone)) {
            // An email's link opens a page anew: from /alerts, loading /alerts#... would only move within it.
            c.driver().get("about:blank");
        }
        String missing = "alert-00000000-0000-4000-8000-000000000000";
        browsers.show(dashboards.uri("/alerts#" + missing), TEST, "linked-missing");
        for (Chromium c : List.of(browsers.desktop, browsers.phone)) {
            WebElement notice = c.driver().findElement(By.id("linked-alert"));
            assertAll(c.viewport().name(),
                    () -> assertTrue(notice.isDisplayed()),
                    () -> assertEquals("The alert you were sent is not on this public page: it closed more than 30"
                            + " days ago, or it is shown only to those who sign in. Sign in to see it.",
                            notice.getText()),
                    () -> assertEquals("/login?next=%2Falerts%23" + missing,
                            notice.findElement(By.tagName("a")).getDomAttribute("href")));
        }
        String id = spikeCardId();
        Chromium phone = browsers.phone;
        phone.load(dashboards.uri("/alerts#" + id), Browsers.READY);
        assertFalse(phone.driver().findElement(By.id("linked-alert")).isDisplayed(), "the public page lists it");
        phone.driver().findElement(By.cssSelector("header a[href^='/login']")).click();
        new WebDriverWait(phone.driver(), Browsers.READY).until(d -> d.getCurrentUrl().contains("/login"));
        phone.driver().findElement(By.id("token")).sendKeys(toronto.outreachToken);
        phone.driver().findElement(By.cssSelector("form.signin button[type=submit]")).click();
        new WebDriverWait(phone.driver(), Browsers.READY).until(d -> d.getCurrentUrl().endsWith("/alerts#" + id));
        phone.awaitReady(Browsers.READY);
        phone.screenshot(TorontoSnapshot.screenshots(), TEST, "linked-signed-in");
        WebElement card = phone.driver().findElement(By.cssSelector("li.alert:target"));
        assertEquals(id, card.getDomAttribute("id"));
        assertExplained(card);
        assertEquals(List.of(), phone.consoleErrors());
    }

    /** The id of the spike's open public alert's card: {@code alert-SPIKE}. */
    private static String spikeCardId() throws Exception {
        for (JsonNode a : dashboards.json("/api/public/alerts", null)) {
            if (a.path("area_id").asText().equals(TorontoSnapshot.SPIKE_AREA) && a.path("closed_at").isNull()) {
                return "alert-" + a.path("spike_id").asText();
            }
        }
        throw new AssertionError("no open public alert for area " + TorontoSnapshot.SPIKE_AREA);
    }

    @Test
    void outreachSeeTheirAreasAndAnalystsEveryAreaWithExplanationAndEvidence() throws Exception {
        browsers.forgetSessions();
        browsers.signIn(dashboards.uri("/"), toronto.outreachToken);
        browsers.show(dashboards.uri("/alerts"), TEST, "outreach");
        Set<String> outreachAreas = cardAreas(browsers.desktop);
        assertTrue(TorontoSnapshot.OUTREACH_AREAS.containsAll(outreachAreas), outreachAreas.toString());
        assertExplained(spikeCard(browsers.desktop));
        assertFitsTheWidth(browsers.phone);

        browsers.forgetSessions();
        browsers.signIn(dashboards.uri("/"), toronto.analystToken);
        browsers.show(dashboards.uri("/alerts"), TEST, "analyst");
        int listed = dashboards.json("/api/alerts", toronto.analystToken).size();
        assertEquals(listed, browsers.desktop.driver().findElements(By.cssSelector("li.alert")).size());
        assertExplained(spikeCard(browsers.desktop));
        assertFitsTheWidth(browsers.phone);
    }

    @Test
    void aNewAlertAppearsOnTheOpenPageWhenANewSnapshotIsPublished(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        Files.copy(toronto.db, db);
        try (LiveDashboards live = new LiveDashboards(db, toronto.users)) {
            browsers.forgetSessions();
            browsers.show(live.uri("/alerts"), TEST, "live-before");
            for (Chromium c : List.of(browsers.desktop, browsers.phone)) {
                c.driver().executeScript("window.__samePage = true");
                new WebDriverWait(c.driver(), Browsers.READY).until(d -> "live".equals(
                        d.findElement(By.id("live-status")).getDomAttribute("data-state")));
            }
            publishWithANewAlert(db);
            long renamed = System.nanoTime();
            for (Chromium c : List.of(browsers.desktop, browsers.phone)) {
                WebElement card = new WebDriverWait(c.driver(), Duration.ofSeconds(10)).until(d -> d.findElements(
                        By.cssSelector("#open-alerts > li.alert:first-child[data-key='" + NEW_ALERT + "']")).stream()
                        .findFirst().orElse(null));
                if (c == browsers.desktop) {
                    System.out.println(TEST + ": the new alert was drawn " + (System.nanoTime() - renamed) / 1_000_000
                            + " ms after the rename");
                }
                String text = card.getText();
                assertAll(c.viewport().name(),
                        () -> assertTrue(text.startsWith("Critical Paramedic overdose calls in "), text),
                        () -> assertTrue(text.contains("New"), text),
                        () -> assertEquals("alert-" + NEW_ALERT, card.getDomAttribute("id"), "the server's card's id"),
                        () -> assertFalse(text.contains("Count"), "no count in public: " + text),
                        () -> assertEquals(Boolean.TRUE, c.driver().executeScript("return window.__samePage === true"),
                                "the page was not reloaded"),
                        () -> assertFitsTheWidth(c),
                        () -> assertEquals(List.of(), c.consoleErrors()));
                c.screenshot(TorontoSnapshot.screenshots(), TEST, "live-after");
            }
        }
    }

    /** A new snapshot as the job publishes it: a changed copy written beside the file and renamed over it. */
    static void publishWithANewAlert(Path db) throws Exception {
        Path next = db.resolveSibling(db.getFileName() + ".publishing");
        Files.copy(db, next);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + next.toAbsolutePath());
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO spikes (spike_id, area_id, signal, method, opened_at, updated_at, closed_at,"
                    + " window_start, window_end, observed, expected, threshold, score, severity, status, evidence,"
                    + " explanation) SELECT '" + NEW_ALERT + "', '171', 'paramedic', 'intraday_6h', m + INTERVAL 1 HOUR,"
                    + " m + INTERVAL 1 HOUR, NULL, m - INTERVAL 5 HOUR, m + INTERVAL 1 HOUR, 9, 1.2, 5.0, 4.0, 'critical',"
                    + " 'opened', '{\"method\":\"intraday_6h\",\"firings\":1,\"period\":\"6h\",\"expected\":1.2}',"
                    + " 'More paramedic calls for suspected overdoses than usual in area 171.'"
                    + " FROM (SELECT max(updated_at) AS m FROM spikes)");
        }
        Files.move(next, db, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static WebElement spikeCard(Chromium c) {
        return c.driver().findElement(By.cssSelector("#open-alerts")).findElements(By.cssSelector("li.alert")).stream()
                .filter(li -> !li.findElements(By.cssSelector(SPIKE_LINK)).isEmpty()).findFirst()
                .orElseThrow(() -> new AssertionError("no open alert for area " + TorontoSnapshot.SPIKE_AREA
                        + " at " + c.viewport().name() + " width"));
    }

    /** The areas of the listed alerts, from their links. */
    static Set<String> cardAreas(Chromium c) {
        Set<String> areas = new TreeSet<>();
        for (WebElement a : c.driver().findElements(By.cssSelector("li.alert h3 a"))) {
            areas.add(a.getDomAttribute("href").replace("/areas/", ""));
        }
        return areas;
    }

    static void assertExplained(WebElement card) {
        String explanation = card.findElement(By.cssSelector(".explanation")).getText();
        String evidence = card.findElement(By.cssSelector("dl.evidence")).getText();
        assertAll(
                () -> assertTrue(explanation.contains("than usual in Yonge-Bay Corridor"), "the area by name: "
                        + explanation),
                () -> assertTrue(evidence.startsWith("How it was found"), evidence),
                () -> assertTrue(!evidence.contains("{") && !evidence.contains("\""), "no raw JSON: " + evidence));
    }

    static void assertFitsTheWidth(Chromium c) {
        Number overflow = (Number) c.driver().executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertEquals(0, overflow.intValue(), "sideways scrolling at " + c.viewport().name() + " width");
    }
}
