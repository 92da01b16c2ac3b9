package lookout.web;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;

import lookout.ingest.Source;

/** The dashboards over a backfilled year of Toronto with a spike, through real HTTP and a real browser. */
@Timeout(300)
class DashboardBrowserTest extends OnTorontoDashboards {

    /** Started by the first test that needs them, so the HTTP-only tests run where no browser is installed. */
    static Browsers browsers() {
        if (browsers == null) {
            browsers = Browsers.start();
        }
        browsers.forgetSessions();
        return browsers;
    }

    @Test
    void theHomePageListsEveryAreaWithTheSpikesAlertInWords() throws Exception {
        Browsers b = browsers();
        // The README's picture, docs/dashboards.png, is this file: the map as anyone first sees it, taken before the
        // whole-page screenshots, which resize the viewport.
        b.desktop.load(dashboards.uri("/"), Browsers.READY);
        b.desktop.windowScreenshot(TorontoSnapshot.screenshots().resolve("readme-1280.png"));
        b.show(dashboards.uri("/"), "DashboardBrowserTest", "home");
        b.desktop.driver().findElement(By.cssSelector("details.areas summary")).click();
        List<WebElement> rows = b.desktop.driver().findElements(By.cssSelector("table.areas tbody tr"));
        String spikeRow = b.desktop.driver().findElement(By.cssSelector("a[href='/areas/" + TorontoSnapshot.SPIKE_AREA + "']"))
                .findElement(By.xpath("./ancestor::tr")).getText();
        assertAll(
                () -> assertEquals(158, rows.size()),
                () -> assertTrue(spikeRow.startsWith("Yonge-Bay Corridor Alert ("), spikeRow),
                () -> assertTrue(b.desktop.driver().findElement(By.cssSelector("p.note")).getText().startsWith(
                        "Status of the 7 days to 28 February 2026, from public reports"), "the days of the statuses"),
                () -> assertEquals("Sign in", b.desktop.driver().findElement(By.cssSelector("header .who")).getText()));
    }

    @Test
    void anOutreachLeadSignsInWithTheirToken() throws Exception {
        Browsers b = browsers();
        b.signIn(dashboards.uri("/"), toronto.outreachToken);
        b.show(dashboards.uri("/"), "DashboardBrowserTest", "home-outreach");
        assertEquals("otto (outreach)\nSign out", b.desktop.driver().findElement(By.cssSelector("header .who")).getText());
        JsonNode spike = dashboards.json("/api/areas", toronto.outreachToken).findParents("area_id").stream()
                .filter(a -> a.path("area_id").asText().equals(TorontoSnapshot.SPIKE_AREA)).findFirst().orElseThrow();
        for (Chromium c : List.of(b.desktop, b.phone)) {
            List<WebElement> mine = c.driver().findElements(By.cssSelector("ul.your-areas li"));
            assertAll(c.viewport().name(),
                    () -> assertEquals(TorontoSnapshot.OUTREACH_AREAS, mine.stream().map(li -> li.getDomAttribute(
                            "data-area")).collect(Collectors.toSet()), "the profile's areas, above the map"),
                    () -> assertEquals(spike.path("name").asText() + ": Alert (" + spike.path("severity").asText()
                            + ")", mine.get(0).getText(), "the spike's area first, as it has an alert"),
                    () -> assertEquals("/areas/" + TorontoSnapshot.SPIKE_AREA, mine.get(0).findElement(By.tagName("a"))
                            .getDomAttribute("href")));
        }
    }

    @Test
    void theMapHasNoListOfOwnAreasForAnAnalystOrTheUnsignedIn() throws Exception {
        Browsers b = browsers();
        b.desktop.load(dashboards.uri("/"), Browsers.READY);
        assertEquals(0, b.desktop.driver().findElements(By.cssSelector("ul.your-areas")).size());
        b.signIn(dashboards.uri("/"), toronto.analystToken);
        b.desktop.load(dashboards.uri("/"), Browsers.READY);
        assertEquals(0, b.desktop.driver().findElements(By.cssSelector("ul.your-areas")).size());
    }

    @Test
    void theSnapshotHoldsEveryAreaAndTheSpikesAlertIsOpenForItsOutreachLead() throws Exception {
        JsonNode areas = dashboards.json("/api/areas", null);
        List<JsonNode> alerting = new ArrayList<>();
        areas.findParents("status").stream().filter(a -> a.path("status").asText().equals("alert")).forEach(alerting::add);
        Set<String> outreachSees = new TreeSet<>();
        for (JsonNode a : dashboards.json("/api/alerts", toronto.outreachToken)) {
            outreachSees.add(a.path("area_id").asText());
        }
        boolean spikeOpen = false;
        for (JsonNode a : dashboards.json("/api/alerts", toronto.analystToken)) {
            spikeOpen |= a.path("area_id").asText().equals(TorontoSnapshot.SPIKE_AREA) && a.path("closed_at").isNull();
        }
        boolean open = spikeOpen;
        assertAll(
                () -> assertEquals(158, areas.findParents("status").size()),
                () -> assertTrue(alerting.stream().anyMatch(a -> a.path("area_id").asText().equals(TorontoSnapshot.SPIKE_AREA)),
                        "the spike's area shows an alert: " + alerting),
                () -> assertTrue(open, "the spike's alert is open"),
                () -> assertTrue(TorontoSnapshot.OUTREACH_AREAS.containsAll(outreachSees) && outreachSees.contains(TorontoSnapshot.SPIKE_AREA),
                        "outreach sees alerts of its own areas only, the spike's among them: " + outreachSees));
    }

    @Test
    void anAreasDailySeriesIsWhatTheGeneratorWrote() throws Exception {
        JsonNode series = dashboards.json("/api/areas/" + TorontoSnapshot.SPIKE_AREA + "/series?signal=paramedic&granularity=day",
                toronto.analystToken);
        long total = 0;
        for (JsonNode p : series) {
            Instant day = Instant.parse(p.path("bucket_start").asText());
            assertEquals(toronto.truth.daily(Source.PARAMEDIC, TorontoSnapshot.SPIKE_AREA, day), p.path("count").asInt(),
                    "paramedic count of " + day);
            total += p.path("count").asLong();
        }
        long expected = toronto.truth.daily().entrySet().stream()
                .filter(e -> e.getKey().signal() == Source.PARAMEDIC && e.getKey().areaId().equals(TorontoSnapshot.SPIKE_AREA))
                .mapToLong(e -> e.getValue()).sum();
        assertEquals(expected, total);
    }
}
