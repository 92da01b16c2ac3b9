package lookout.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;

import lookout.dashboards.DashboardServer;
import lookout.dashboards.Role;
import lookout.dashboards.Users;
import lookout.demo.DemoStreamGenerator;
import lookout.geo.Area;
import lookout.geo.AreaIndex;
import lookout.ingest.Source;
import lookout.kernel.Main;
import lookout.testing.Db;

/**
 * The nowcast on an analyst's area page in headless Chromium, over a backfill of what a live job would have read by
 * the end of 17 weeks of the demo city: every report made by then, so the coroner's deaths of the last weeks are
 * still mostly to come (they are reported 14 to 56 days late).
 */
@Timeout(300)
class NowcastBrowserTest {
    @TempDir
    static Path dir;
    static LiveDashboards dashboards;
    static Browsers browsers;
    static String analyst;
    static String area;
    /** The start of the newest hour counted in the city, and of the area's newest hour with a coroner's death. */
    static Instant newestHour;
    static Instant newestDeathHour;

    @BeforeAll
    static void backfillWhatWasReportedByTheEnd() throws Exception {
        AreaIndex city = AreaIndex.demoCity();
        DemoStreamGenerator.Settings settings = DemoStreamGenerator.Settings
                .builder(city.areas().stream().map(Area::id).toList(), city)
                .seed(5).days(119).ratePerDay(Source.CORONER, 0.3).build();
        Instant end = settings.end();
        List<String> lines = new ArrayList<>();
        for (DemoStreamGenerator.TimedLine line : new DemoStreamGenerator(settings).timedLines()) {
            if (!line.deliverAt().isAfter(end)) {
                lines.add(line.line());
            }
        }
        Path events = dir.resolve("events.ndjson");
        Files.write(events, lines, StandardCharsets.UTF_8);
        Path db = dir.resolve("lookout.duckdb");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"backfill", "--input", events.toString(), "--db", db.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        area = Db.query(db, "SELECT area_id FROM nowcasts WHERE signal = 'coroner' AND granularity = 'week'"
                + " GROUP BY 1 ORDER BY sum(reported) DESC, 1 LIMIT 1").get(0);
        String hours = "SELECT CAST(epoch(max(bucket_start)) AS BIGINT) FROM area_counts WHERE granularity = 'hour'";
        newestHour = Instant.ofEpochSecond(Db.count(db, hours));
        newestDeathHour = Instant.ofEpochSecond(
                Db.count(db, hours + " AND signal = 'coroner' AND area_id = '" + area + "'"));
        Path users = dir.resolve("users.txt");
        analyst = Users.add(users, "ana", Role.ANALYST, Set.of());
        dashboards = new LiveDashboards(db, users);
        browsers = Browsers.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browsers != null) {
            browsers.close();
        }
        if (dashboards != null) {
            dashboards.close();
        }
    }

    @Test
    void anAnalystSeesTheCoronersDeathsSoFarBesideTheDeathsExpectedOnceAllReportsAreIn() throws Exception {
        JsonNode nowcast = dashboards.json("/api/areas/" + area + "/nowcast?signal=coroner", analyst);
        JsonNode latest = nowcast.path("weeks").get(nowcast.path("weeks").size() - 1);
        assertTrue(latest.path("expected").isNull(), "no death of the last 7 days is reported yet: " + latest);
        int weeks = nowcast.path("weeks").size();
        int back = 1;
        while (back < weeks && !(nowcast.path("weeks").get(weeks - 1 - back).path("expected").asDouble()
                > nowcast.path("weeks").get(weeks - 1 - back).path("reported").asDouble())) {
            back++;
        }
        assertTrue(back < 6, "a recent week with deaths still to come: " + nowcast.path("weeks"));
        JsonNode earlier = nowcast.path("weeks").get(weeks - 1 - back);
        browsers.signIn(dashboards.uri("/"), analyst);
        for (Chromium c : List.of(browsers.phone, browsers.desktop)) {
            c.load(dashboards.uri("/areas/" + area), Browsers.READY);
            new Select(c.driver().findElement(By.id("signal"))).selectByValue("coroner");
            c.awaitReady(Browsers.READY);
            c.driver().executeScript("document.getElementById('nowcast').scrollIntoView()");
            c.screenshot(TorontoSnapshot.screenshots(), "NowcastBrowserTest", "coroner");
            assertEquals(List.of(), c.consoleErrors());
        }
        var d = browsers.desktop.driver();
        assertEquals(nowcast.path("summary").asText(), d.findElement(By.cssSelector("#nowcast .summary")).getText());
        assertTrue(nowcast.path("summary").asText().startsWith("So far "), nowcast.path("summary").asText());
        assertEquals("56", d.findElement(By.id("chart-nowcast")).getDomAttribute("data-points"));
        int estimated = 0;
        for (JsonNode day : nowcast.path("days")) {
            estimated += day.path("expected").isNull() ? 0 : 1;
        }
        assertEquals(String.valueOf(estimated), d.findElement(By.id("chart-nowcast")).getDomAttribute("data-estimated"));
        assertTrue(estimated > 20 && estimated < 56, "the days of the last two weeks or so are too early to say: " + estimated);
        List<WebElement> rows = d.findElements(By.cssSelector("#nowcast-weeks tbody tr"));
        assertEquals(8, rows.size());
        String shown = rows.get(back).getText();
        DateTimeFormatter shortDay = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);
        assertEquals(LocalDate.parse(earlier.path("start").asText()).format(shortDay) + " to "
                + LocalDate.parse(earlier.path("end").asText()).format(shortDay) + " "
                + earlier.path("reported").asText() + " " + Math.round(earlier.path("expected").asDouble()) + " "
                + earlier.path("lower").asText() + " to " + earlier.path("upper").asText(), shown);
        assertTrue(rows.get(0).getText().endsWith("too early to say"), rows.get(0).getText());
        theHourlyChartEndsAtTheNewestHourCountedInTheCity(
                d.findElement(By.cssSelector("#chart-hour .summary")).getText());
    }

    /**
     * The coroner's deaths come weeks late, so the area's newest one is weeks before the city's newest hour: the
     * hourly chart of its "last 14 days" ends at the city's newest hour all the same, and says so, not at the
     * area's last death, whose fortnight it showed as the last before.
     */
    private static void theHourlyChartEndsAtTheNewestHourCountedInTheCity(String summary) {
        assertTrue(newestDeathHour.isBefore(newestHour.minus(Duration.ofDays(7))), newestDeathHour + " " + newestHour);
        DateTimeFormatter local = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm", Locale.ENGLISH);
        assertTrue(summary.startsWith("The 14 days to the end of the newest hour counted, "
                + local.format(newestHour.plus(Duration.ofHours(1)).atZone(DashboardServer.DEFAULT_ZONE)) + ": "),
                summary);
    }
}
