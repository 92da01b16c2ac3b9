package lookout.web;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The Toronto year with the paramedic feed silent since the evening before the data ends, and an earlier silence
 * that ended, in headless Chromium at desktop and phone width: the map's banner names the feed and the calm areas
 * read "Data incomplete"; the spike area's charts shade both periods and say so in words.
 */
@Timeout(300)
class FeedHealthBrowserTest extends OnTorontoDashboards {
    private static final Instant OPEN_SINCE = TorontoSnapshot.END.minus(Duration.ofHours(20));
    private static final Instant ENDED_SINCE = TorontoSnapshot.END.minus(Duration.ofDays(5));
    private static LiveDashboards silent;

    @BeforeAll
    static void start() throws Exception {
        silent = onACopy(sql("INSERT INTO feed_health VALUES"
                + " ('paramedic-silent-2', 'paramedic', 'silent', '" + OPEN_SINCE + "', NULL, '"
                + TorontoSnapshot.END + "', 72000.0, 600.0, 0.0, 120.0),"
                + " ('paramedic-silent-1', 'paramedic', 'silent', '" + ENDED_SINCE + "', '"
                + ENDED_SINCE.plus(Duration.ofHours(8)) + "', '" + ENDED_SINCE.plus(Duration.ofHours(8))
                + "', 28800.0, 600.0, 0.0, 120.0)"));
        browsers = Browsers.start();
    }

    @Test
    void aSilentFeedIsABannerOnTheMapAndShadedPeriodsOnTheAreaCharts() throws Exception {
        browsers.forgetSessions();
        browsers.show(silent.uri("/"), "FeedHealthBrowserTest", "map");
        for (Chromium c : List.of(browsers.desktop, browsers.phone)) {
            ChromeDriver d = c.driver();
            c.load(silent.uri("/"), Browsers.READY);
            assertAll(c.viewport().name(),
                    () -> assertTrue(d.findElement(By.cssSelector(".feed-banner")).getText()
                            .startsWith("Data incomplete. The paramedic feed has sent nothing since Saturday 28 February,"
                                    + " 04:00."), d.findElement(By.cssSelector(".feed-banner")).getText()),
                    () -> assertTrue(d.findElements(By.cssSelector("path.status-incomplete")).size() > 100,
                            "the calm areas are drawn as data incomplete"),
                    () -> assertEquals(1, d.findElements(By.cssSelector("path.status-alert-high, path.status-alert-critical,"
                            + " path.status-alert-moderate, path.status-alert-low")).size(), "the spike's alert stays"));
        }

        browsers.signIn(silent.uri("/"), toronto.analystToken);
        browsers.show(silent.uri("/areas/" + TorontoSnapshot.SPIKE_AREA), "FeedHealthBrowserTest", "area");
        for (Chromium c : List.of(browsers.desktop, browsers.phone)) {
            ChromeDriver d = c.driver();
            c.load(silent.uri("/areas/" + TorontoSnapshot.SPIKE_AREA), Browsers.READY);
            String hourly = d.findElement(By.cssSelector("#chart-hour .summary")).getText();
            assertAll(c.viewport().name(),
                    () -> assertEquals("2", d.findElement(By.id("chart-hour")).getDomAttribute("data-incomplete")),
                    () -> assertEquals("2", d.findElement(By.id("chart-day")).getDomAttribute("data-incomplete")),
                    () -> assertTrue(hourly.contains("Data incomplete (shaded grey): the paramedic feed sent nothing"
                            + " from ") && hourly.endsWith(" and still does."), hourly));
        }
    }

    /**
     * The downloads mark the local days and the hours a silent period touched, and the daily chart shades those days
     * (the ended period from 00:00 to 08:00 on 24 February, the open one from 04:00 on 28 February to the newest hour
     * counted in the city, 23:00, where the hourly chart ends).
     */
    @Test
    void theChartsDownloadsMarkTheDaysAndHoursOfEachSilentPeriod(@TempDir Path downloads) throws Exception {
        browsers.forgetSessions();
        browsers.signIn(silent.uri("/"), toronto.analystToken);
        Chromium c = browsers.desktop;
        c.load(silent.uri("/areas/" + TorontoSnapshot.SPIKE_AREA), Browsers.READY);
        List<String> days = Downloads.chartRows(c.driver(), downloads, "chart-day",
                "lookout-170-paramedic-days-from-2025-08-31-to-2026-02-28.csv",
                "date,count,expected,most_without_alarm,alarm,data_incomplete").stream()
                .filter(r -> r[5].equals("true")).map(r -> r[0]).toList();
        assertEquals(List.of("2026-02-24", "2026-02-28"), days);
        assertEquals("2026-02-24 2026-02-28", c.driver().findElement(By.id("chart-day"))
                .getDomAttribute("data-incomplete-days"), "the daily chart shades the days its download marks");
        List<String> hours = Downloads.chartRows(c.driver(), downloads, "chart-hour",
                "lookout-170-paramedic-hours-to-2026-02-28.csv", "hour_start,count,in_alert_window,data_incomplete")
                .stream().filter(r -> r[3].equals("true")).map(r -> r[0]).toList();
        assertEquals(8 + 20, hours.size(), hours.toString());
        assertEquals(List.of("2026-02-24T00:00-05:00", "2026-02-24T07:00-05:00", "2026-02-28T04:00-05:00",
                "2026-02-28T23:00-05:00"), List.of(hours.get(0), hours.get(7), hours.get(8), hours.get(27)));
    }
}
