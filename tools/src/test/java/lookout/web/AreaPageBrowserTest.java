package lookout.web;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;

import lookout.testing.Db;

/**
 * The spike area's page over the backfilled Toronto year, in headless Chromium at desktop and phone width: what the
 * public sees, and what an analyst sees (the charts drawn from the data the API gives, the alarms, the detector
 * table and the drug-checking panel).
 */
@Timeout(300)
class AreaPageBrowserTest extends OnTorontoDashboards {
    private static final String PAGE = "/areas/" + TorontoSnapshot.SPIKE_AREA;
    private static final String API = "/api/areas/" + TorontoSnapshot.SPIKE_AREA;
    /** The daily chart's shorter periods, in days: the last 8 weeks and the last 26 ("6 months"). */
    private static final int EIGHT_WEEKS = 56;
    private static final int SIX_MONTHS = 182;
    /** The paramedic days of the spike's area in the fixture, from the first counted (2025-03-04) to 2026-02-28. */
    private static final int EVERY_DAY = 362;

    @BeforeAll
    static void start() {
        browsers = Browsers.start();
    }

    private static String attribute(ChromeDriver d, String css, String name) {
        return d.findElement(By.cssSelector(css)).getDomAttribute(name);
    }

    private static List<String> texts(ChromeDriver d, String css) {
        List<String> out = new ArrayList<>();
        for (WebElement e : d.findElements(By.cssSelector(css))) {
            out.add(e.getText());
        }
        return out;
    }

    @Test
    void anAnalystSeesTheSpikeOnTheChartsTheDetectorsAlarmsAndTheDrugCheckingPanel() throws Exception {
        browsers.forgetSessions();
        browsers.signIn(dashboards.uri("/"), toronto.analystToken);
        browsers.show(dashboards.uri(PAGE), "AreaPageBrowserTest", "analyst");
        JsonNode alarms = dashboards.json("/api/areas/" + TorontoSnapshot.SPIKE_AREA + "/alarms?signal=paramedic",
                toronto.analystToken);
        JsonNode substances = dashboards.json("/api/areas/" + TorontoSnapshot.SPIKE_AREA + "/substances",
                toronto.analystToken);
        JsonNode city = substances.path("city");
        String period = "in the 8 weeks from " + days(substances.path("from").asText(), substances.path("to").asText());
        assertEquals("in the 8 weeks from 5 Jan to 28 Feb 2026", period, "the fixture's last 8 weeks, as read");
        String areaSummary = substances.path("samples").asLong() == 0 ? "No samples were checked here " + period + "."
                : substances.path("samples").asLong() + " samples checked here " + period + ".";
        for (Chromium c : List.of(browsers.desktop, browsers.phone)) {
            ChromeDriver d = c.driver();
            String width = c.viewport().name();
            List<String> openAlerts = texts(d, "#alert-windows li").stream().filter(t -> t.contains(", open: about"))
                    .toList();
            int shown = c == browsers.phone ? EIGHT_WEEKS : SIX_MONTHS;
            long marked = alarmDays(alarms.path("days"), shown);
            assertAll(width,
                    () -> assertEquals(1, d.findElements(By.cssSelector("#chart-day .uplot canvas")).size()),
                    () -> assertEquals(1, d.findElements(By.cssSelector("#chart-hour .uplot canvas")).size()),
                    () -> assertEquals(String.valueOf(shown), attribute(d, "#chart-day", "data-points"),
                            "the daily chart starts with the last 8 weeks on a phone, 26 on a wide screen"),
                    () -> assertEquals("2026-02-28", alarms.path("days").get(alarms.path("days").size() - 1)
                            .path("day").asText(), "the days end with the data"),
                    () -> assertTrue(marked >= 1, "the spike's day is an alarm of the alerting detector: "
                            + alarms.path("days").get(alarms.path("days").size() - 1)),
                    () -> assertEquals(String.valueOf(marked), attribute(d, "#chart-day", "data-marks")),
                    () -> assertEquals("336", attribute(d, "#chart-hour", "data-points"), "14 days of hours"),
                    () -> assertTrue(Integer.parseInt(attribute(d, "#chart-hour", "data-marks")) >= 4,
                            "the spike's hours are marked inside the open alert's window: "
                                    + attribute(d, "#chart-hour", "data-marks") + " " + alarms.path("alerts")),
                    () -> assertEquals(openWindows(alarms.path("alerts")), openAlerts,
                            "the spike's alert is listed as open, its window in the words of the alerts above it"),
                    () -> assertTrue(texts(d, "#detector-alarms tbody tr").get(0).startsWith("28 Feb 2026 "),
                            "the newest detector alarm is the spike's last day: " + texts(d, "#detector-alarms tbody tr")),
                    () -> assertEquals("2026-02-28", attribute(d, "#detector-alarms tbody tr time", "datetime")),
                    () -> assertEquals(Math.min(15, alarms.path("detector_alarms").size()),
                            d.findElements(By.cssSelector("#detector-alarms tbody tr")).size(), "the newest 15 at first"),
                    () -> assertTrue(d.findElement(By.cssSelector("#findings-area .summary")).getText()
                            .startsWith(areaSummary), d.findElement(By.cssSelector("#findings-area .summary")).getText()),
                    () -> assertTrue(d.findElement(By.cssSelector("#findings-city .summary")).getText().startsWith(
                            city.path("samples").asLong() + " samples checked across the city " + period + ". ")),
                    () -> assertEquals(city.path("substances").size(),
                            d.findElements(By.cssSelector("#findings-city tbody tr")).size()),
                    () -> assertTrue((Long) d.executeScript("return document.documentElement.scrollWidth")
                            <= c.viewport().width(), "nothing wider than the screen"));
        }
        WebElement detectorTable = browsers.phone.driver().findElement(By.cssSelector("#detector-alarms table"));
        assertTrue(((Number) browsers.phone.driver().executeScript(
                "return arguments[0].scrollWidth - arguments[0].clientWidth", detectorTable)).intValue() > 0,
                "on a phone the detector alarms' columns scroll inside the table's own box, which shows it");
        assertEquals(1L, browsers.phone.driver().executeScript("return arguments[0].getClientRects().length",
                browsers.phone.driver().findElement(By.cssSelector("#detector-alarms tbody time"))),
                "on a phone each alarm's day stays on one line, not 28 / Feb / 2026");
        List<String> rows = texts(browsers.desktop.driver(), "#findings-city tbody tr").stream()
                .map(r -> r.replaceAll("\\s+", " ")).toList();
        JsonNode first = city.path("substances").get(0);
        assertTrue(rows.get(0).startsWith(first.path("substance").asText() + " "
                + Math.round(first.path("share").asDouble() * 100) + "% (" + first.path("samples").asLong() + " of "
                + city.path("samples").asLong() + ")"), rows.toString());
        JsonNode last = city.path("substances").get(city.path("substances").size() - 1);
        if (Math.round(last.path("share").asDouble() * 100) == 0) {
            assertTrue(rows.get(rows.size() - 1).startsWith(last.path("substance").asText() + " under 1% ("),
                    "a share that rounds to 0 is not told as 0%: " + rows);
        }
        assertTrue(city.path("substances").findValuesAsText("watch_list").stream().anyMatch(w -> !w.equals("null")),
                "the generator's heralding findings put a watch-list substance in the city's samples");
        for (JsonNode s : city.path("substances")) {
            if (!s.path("watch_list").isNull()) {
                assertTrue(rows.stream().anyMatch(r -> r.startsWith(s.path("substance").asText() + " ")
                        && r.contains("On the watch list (" + s.path("watch_list").asText() + ")")), rows.toString());
            }
        }
    }

    /**
     * Each chart's download holds the numbers it drew, row for row: the hourly chart's 14 days of hours in the city's
     * time and the reports still to come (the daily chart's, which follow its period, are checked with the periods).
     */
    @Test
    void eachChartsDownloadHoldsTheNumbersItDrew(@TempDir Path downloads) throws Exception {
        browsers.forgetSessions();
        browsers.signIn(dashboards.uri("/"), toronto.analystToken);
        Chromium c = browsers.desktop;
        c.load(dashboards.uri(PAGE), Browsers.READY);
        JsonNode hours = dashboards.json(API + "/series?signal=paramedic&granularity=hour", toronto.analystToken);
        JsonNode nowcast = dashboards.json(API + "/nowcast?signal=paramedic", toronto.analystToken).path("days");

        List<String[]> hourly = Downloads.chartRows(c.driver(), downloads, "chart-hour",
                "lookout-170-paramedic-hours-to-2026-02-28.csv", "hour_start,count,in_alert_window,data_incomplete");
        Map<Instant, Long> counted = new HashMap<>();
        hours.forEach(h -> counted.put(Instant.parse(h.path("bucket_start").asText()), h.path("count").asLong()));
        // The chart ends at the newest hour counted in the city, a few quiet hours after the area's last count.
        Instant last = Instant.ofEpochSecond(Db.count(toronto.db, "SELECT CAST(epoch(max(bucket_start)) AS BIGINT)"
                + " FROM area_counts WHERE granularity = 'hour'"));
        assertTrue(last.isAfter(Instant.parse(hours.get(hours.size() - 1).path("bucket_start").asText())));
        assertEquals(336, hourly.size(), "14 days of hours");
        DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mmxxx").withZone(TorontoSnapshot.ZONE);
        long marked = 0;
        for (int i = 0; i < hourly.size(); i++) {
            Instant hour = last.minus(Duration.ofHours(335 - i));
            String[] row = hourly.get(i);
            assertEquals(List.of(local.format(hour), String.valueOf(counted.getOrDefault(hour, 0L)), "false"),
                    List.of(row[0], row[1], row[3]), "hour " + i);
            marked += row[2].equals("true") && !row[1].equals("0") ? 1 : 0;
        }
        assertEquals(attribute(c.driver(), "#chart-hour", "data-marks"), String.valueOf(marked),
                "the hours with counts inside an alert's window are the ones the chart marks");

        List<String[]> toCome = Downloads.chartRows(c.driver(), downloads, "chart-nowcast",
                "lookout-170-paramedic-still-to-come-to-"
                + nowcast.get(nowcast.size() - 1).path("start").asText() + ".csv",
                "date,reported_so_far,expected_in_the_end,likely_low,likely_high");
        assertEquals(nowcast.size(), toCome.size());
        for (int i = 0; i < nowcast.size(); i++) {
            JsonNode d = nowcast.get(i);
            String[] row = toCome.get(i);
            assertEquals(List.of(d.path("start").asText(), d.path("reported").asText(), text(d.path("lower")),
                    text(d.path("upper"))), List.of(row[0], row[1], row[3], row[4]), "day " + i);
            assertDecimal(d.path("expected"), row[2]);
        }
        assertEquals(List.of(), c.consoleErrors());
    }

    /**
     * The daily chart's periods over the fixture's year (its paramedic days run from the first counted, 2025-03-04,
     * to 2026-02-28: 362 days): each press draws the last 56, 182 or 362 days, says them under the chart and offers
     * exactly those days, row for row, in a file named by their first and last day. The buttons answer a click, Enter
     * and Space alike, and say which one is drawn.
     */
    @Test
    void eachPeriodOfTheDailyChartDrawsSaysAndDownloadsItsDays(@TempDir Path downloads) throws Exception {
        Chromium c = analystOnThePage();
        JsonNode days = dashboards.json(API + "/alarms?signal=paramedic", toronto.analystToken).path("days");
        assertEquals(EVERY_DAY, days.size(), "every day of the fixture's year from the first counted");
        List<Period> periods = List.of(
                new Period("Last 8 weeks", EIGHT_WEEKS, "2026-01-04", "4 Jan to 28 Feb 2026", null),
                new Period("Everything", EVERY_DAY, "2025-03-04", "4 Mar 2025 to 28 Feb 2026", Keys.ENTER),
                new Period("Last 6 months", SIX_MONTHS, "2025-08-31", "31 Aug 2025 to 28 Feb 2026", Keys.SPACE));
        for (Period p : periods) {
            WebElement button = c.driver().findElement(By.xpath("//figure[@id='chart-day']//button[.='" + p.label
                    + "']"));
            if (p.key == null) {
                button.click();
            } else {
                button.sendKeys(p.key);
            }
            c.screenshot(TorontoSnapshot.screenshots(), "AreaPageBrowserTest", "period-" + p.days);
            List<String[]> rows = Downloads.chartRows(c.driver(), downloads, "chart-day",
                    "lookout-170-paramedic-days-from-" + p.first + "-to-2026-02-28.csv",
                    "date,count,expected,most_without_alarm,alarm,data_incomplete");
            String summary = c.driver().findElement(By.cssSelector("#chart-day .summary")).getText();
            assertAll(p.label,
                    () -> assertEquals(List.of(p.label), pressed(c.driver())),
                    () -> assertEquals(String.valueOf(p.days), attribute(c.driver(), "#chart-day", "data-points")),
                    () -> assertEquals(String.valueOf(alarmDays(days, p.days)),
                            attribute(c.driver(), "#chart-day", "data-marks")),
                    () -> assertTrue(summary.startsWith(p.days + " days from " + p.words + "; usual range known for "),
                            summary),
                    () -> assertEquals(p.days, rows.size(), "a row per day drawn"),
                    () -> assertDays(days, days.size() - p.days, rows));
        }
        assertEquals(List.of(), c.consoleErrors());
    }

    /**
     * At 375 px the daily chart starts with the last 8 weeks: at least 4 px of the plot for each day (the whole year
     * would give under 1), its three period buttons on the screen, each at least 44 px tall for a thumb.
     */
    @Test
    void onAPhoneTheDailyChartStartsWithEightWeeksItsDaysWideEnoughToRead() throws Exception {
        browsers.forgetSessions();
        browsers.signIn(dashboards.uri("/"), toronto.analystToken);
        Chromium c = browsers.phone;
        c.load(dashboards.uri(PAGE), Browsers.READY);
        ChromeDriver d = c.driver();
        int plot = d.findElement(By.cssSelector("#chart-day .u-over")).getSize().getWidth();
        List<WebElement> buttons = d.findElements(By.cssSelector("#chart-day .period button"));
        assertAll(
                () -> assertEquals(List.of("Last 8 weeks"), pressed(d)),
                () -> assertEquals(String.valueOf(EIGHT_WEEKS), attribute(d, "#chart-day", "data-points")),
                () -> assertTrue(plot >= 4 * EIGHT_WEEKS && plot < EVERY_DAY,
                        plot + " px for " + EIGHT_WEEKS + " days"),
                () -> assertEquals(3, buttons.size()),
                () -> assertTrue(buttons.stream().allMatch(b -> b.getSize().getHeight() >= 44
                        && b.getRect().getX() + b.getSize().getWidth() <= c.viewport().width()),
                        buttons.stream().map(WebElement::getRect).map(r -> r.getX() + "," + r.getY() + " "
                                + r.getWidth() + "x" + r.getHeight()).toList().toString()));
    }

    /**
     * The caption's promise: a mouse drag across the daily chart zooms in, the words and the download then hold the
     * days in view; a double-click zooms back out to the period. The hourly and nowcast charts, whose downloads do not
     * follow a zoom, do not zoom.
     */
    @Test
    void aDragAcrossTheDailyChartZoomsInAndItsWordsAndDownloadFollow(@TempDir Path downloads) throws Exception {
        Chromium c = analystOnThePage();
        ChromeDriver d = c.driver();
        JsonNode days = dashboards.json(API + "/alarms?signal=paramedic", toronto.analystToken).path("days");
        WebElement over = d.findElement(By.cssSelector("#chart-day .u-over"));
        int quarter = over.getSize().getWidth() / 4;
        new Actions(d).moveToElement(over, 0, 0).clickAndHold().moveByOffset(quarter, 0).release().perform();
        int shown = Integer.parseInt(attribute(d, "#chart-day", "data-shown"));
        assertTrue(shown > 30 && shown < 60, "about a quarter of the 182 days: " + shown);
        String fileName = attribute(d, "#chart-day .download a", "download");
        Matcher span = Pattern.compile("lookout-170-paramedic-days-from-([0-9-]{10})-to-([0-9-]{10})\\.csv")
                .matcher(fileName);
        assertTrue(span.matches(), fileName);
        List<String[]> rows = Downloads.chartRows(d, downloads, "chart-day", fileName,
                "date,count,expected,most_without_alarm,alarm,data_incomplete");
        assertEquals(shown, rows.size());
        assertEquals(List.of(span.group(1), span.group(2)), List.of(rows.get(0)[0], rows.get(shown - 1)[0]),
                "the file is named by the first and last day it holds");
        assertDays(days, (int) ChronoUnit.DAYS.between(LocalDate.parse(days.get(0).path("day").asText()),
                LocalDate.parse(span.group(1))), rows);
        assertTrue(d.findElement(By.cssSelector("#chart-day .summary")).getText().startsWith(shown + " days from "
                + days(span.group(1), span.group(2)) + " (zoomed in; double-click the chart to zoom out); "),
                d.findElement(By.cssSelector("#chart-day .summary")).getText());

        new Actions(d).doubleClick(over).perform();
        assertEquals(String.valueOf(SIX_MONTHS), attribute(d, "#chart-day", "data-shown"));
        assertTrue(d.findElement(By.cssSelector("#chart-day .summary")).getText()
                .startsWith("182 days from 31 Aug 2025 to 28 Feb 2026; "));
        for (String chart : List.of("chart-hour", "chart-nowcast")) {
            assertEquals(canvas(d, chart), canvasAfterADragAcross(d, chart),
                    chart + " zoomed in, leaving its download holding hours or days it no longer shows");
        }
        assertEquals(List.of(), c.consoleErrors());
    }

    /**
     * The page's words for a span of days (time.js, which every sentence on the page uses): the year said once where
     * both days are in it, both years across a new year, and a single day alone.
     */
    @Test
    void aSpanOfDaysIsWrittenAsPeopleReadItWithItsYearOnce() throws Exception {
        ChromeDriver d = analystOnThePage().driver();
        assertEquals(List.of("5 Mar to 27 Jun 2026", "28 Dec 2025 to 3 Jan 2026", "27 Jun 2026", "9 Sep 2026"),
                d.executeScript("return [lookoutDays('2026-03-05', '2026-06-27'), lookoutDays('2025-12-28',"
                        + " '2026-01-03'), lookoutDays('2026-06-27', '2026-06-27'), lookoutDay('2026-09-09')]"));
    }

    /** What the chart's canvas shows, as its PNG data URL's length and hash (the URL itself runs to pages). */
    private static String canvas(ChromeDriver d, String chart) {
        String png = (String) d.executeScript("return document.querySelector('#" + chart + " canvas').toDataURL()");
        return png.length() + " characters, hash " + Integer.toHexString(png.hashCode());
    }

    /** The chart's canvas after a mouse drag across a quarter of it, as the daily chart is zoomed. */
    private static String canvasAfterADragAcross(ChromeDriver d, String chart) {
        WebElement over = d.findElement(By.cssSelector("#" + chart + " .u-over"));
        d.executeScript("arguments[0].scrollIntoView({block: 'center'})", over);
        new Actions(d).moveToElement(over, 0, 0).clickAndHold().moveByOffset(over.getSize().getWidth() / 4, 0)
                .release().perform();
        return canvas(d, chart);
    }

    /**
     * A period of the daily chart: its button, days, first day in the fixture, those days as its summary says them,
     * and the key that presses it.
     */
    private record Period(String label, int days, String first, String words, Keys key) {}

    /** The labels of the daily chart's pressed period buttons. */
    private static List<String> pressed(ChromeDriver d) {
        return texts(d, "#chart-day .period button[aria-pressed='true']");
    }

    /** The number of alarms in the last {@code count} of the API's days. */
    private static long alarmDays(JsonNode days, int count) {
        long alarms = 0;
        for (int i = days.size() - count; i < days.size(); i++) {
            alarms += days.get(i).path("alarm").asBoolean(false) ? 1 : 0;
        }
        return alarms;
    }

    /** The daily download's rows are the API's days from index {@code from} on, one for one. */
    private static void assertDays(JsonNode days, int from, List<String[]> rows) {
        for (int i = 0; i < rows.size(); i++) {
            JsonNode d = days.get(from + i);
            String[] row = rows.get(i);
            assertEquals(List.of(d.path("day").asText(), d.path("count").asText(), d.path("alarm").isNull() ? ""
                    : d.path("alarm").asText(), "false"), List.of(row[0], row[1], row[4], row[5]), "day " + i);
            assertDecimal(d.path("expected"), row[2]);
            assertDecimal(d.path("upper"), row[3]);
        }
    }

    /**
     * Local days (YYYY-MM-DD) as the page's sentences say them, the year once where both are in it: "5 Mar to 27 Jun
     * 2026", "31 Aug 2025 to 28 Feb 2026".
     */
    private static String days(String first, String last) {
        LocalDate from = LocalDate.parse(first);
        LocalDate to = LocalDate.parse(last);
        String start = from.getYear() == to.getYear() ? "d MMM" : "d MMM yyyy";
        return DateTimeFormatter.ofPattern(start, Locale.ENGLISH).format(from) + " to "
                + DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH).format(to);
    }

    /** The area page on the desktop browser, signed in as the analyst. */
    private static Chromium analystOnThePage() throws Exception {
        browsers.forgetSessions();
        browsers.signIn(dashboards.uri("/"), toronto.analystToken);
        Chromium c = browsers.desktop;
        c.load(dashboards.uri(PAGE), Browsers.READY);
        return c;
    }

    /**
     * The open alerts' lines of the area page's list, newest first, as AlertWords writes times on the server:
     * "high, open: about Sat 28 Feb 2026, 00:00 to Sun 1 Mar 2026, 00:00".
     */
    private static List<String> openWindows(JsonNode alerts) {
        DateTimeFormatter words = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:mm", Locale.ENGLISH)
                .withZone(TorontoSnapshot.ZONE);
        List<String> lines = new ArrayList<>();
        for (JsonNode a : alerts) {
            if (a.path("closed_at").isNull()) {
                lines.add(0, (a.path("signal").asText().equals("multi") ? "Toxicity alert (drug checking and overdoses"
                        + " together), " : "") + a.path("severity").asText() + ", open: about "
                        + words.format(Instant.parse(a.path("window_start").asText())) + " to "
                        + words.format(Instant.parse(a.path("window_end").asText())));
            }
        }
        assertFalse(lines.isEmpty(), "the spike's alert is open: " + alerts);
        return lines;
    }

    /** A download's decimal: the API's number to 3 decimals, or empty for null. */
    private static void assertDecimal(JsonNode expected, String actual) {
        if (expected.isNull()) {
            assertEquals("", actual);
        } else {
            assertEquals(expected.asDouble(), Double.parseDouble(actual), 0.0005, actual);
        }
    }

    /** The area page on the desktop browser, signed in as the analyst, after choosing {@code signal}. */
    private static Chromium analystChoosing(String signal) throws Exception {
        Chromium c = analystOnThePage();
        new Select(c.driver().findElement(By.id("signal"))).selectByValue(signal);
        c.awaitReady(Browsers.READY);
        return c;
    }

    private static String text(JsonNode value) {
        return value.isNull() ? "" : value.asText();
    }

    /** Another signal redraws the charts, the daily one over the period chosen before. */
    @Test
    void anotherSignalRedrawsTheCharts() throws Exception {
        Chromium c = analystOnThePage();
        c.driver().findElement(By.xpath("//figure[@id='chart-day']//button[.='Everything']")).click();
        new Select(c.driver().findElement(By.id("signal"))).selectByValue("naloxone");
        c.awaitReady(Browsers.READY);
        JsonNode naloxone = dashboards.json(API + "/alarms?signal=naloxone", toronto.analystToken);
        assertEquals(String.valueOf(naloxone.path("days").size()), attribute(c.driver(), "#chart-day", "data-points"));
        assertEquals(List.of("Everything"), pressed(c.driver()));
        assertEquals(1, c.driver().findElements(By.cssSelector("#chart-day .uplot canvas")).size(), "one chart, redrawn");
        assertEquals(List.of(), c.consoleErrors());
    }

    /** The combined signal is counted but no detector judges it: its page says so rather than "too little history". */
    @Test
    void theCombinedSignalSaysNoDetectorWatchesIt() throws Exception {
        Chromium c = analystChoosing("combined");
        JsonNode combined = dashboards.json("/api/areas/" + TorontoSnapshot.SPIKE_AREA + "/alarms?signal=combined",
                toronto.analystToken);
        JsonNode days = combined.path("days");
        assertEquals(SIX_MONTHS + " days from " + days(days.get(days.size() - SIX_MONTHS).path("day").asText(),
                days.get(days.size() - 1).path("day").asText())
                + "; no detector watches this signal, so it has no usual range and no alarms.",
                c.driver().findElement(By.cssSelector("#chart-day .summary")).getText());
        assertEquals(List.of("No detector watches this signal."), texts(c.driver(), "#detector-alarms tbody tr"));
        assertEquals(List.of(), c.consoleErrors());
    }

    @Test
    void thePublicSeesTheStatusAndTheAlertButNoCounts() throws Exception {
        browsers.forgetSessions();
        browsers.show(dashboards.uri(PAGE), "AreaPageBrowserTest", "public");
        ChromeDriver d = browsers.desktop.driver();
        assertAll(
                () -> assertEquals("Yonge-Bay Corridor", d.findElement(By.tagName("h1")).getText()),
                () -> assertTrue(d.findElement(By.cssSelector("p.status")).getText()
                        .startsWith("Status over the 7 days to 28 February 2026: Alert ("),
                        d.findElement(By.cssSelector("p.status")).getText()),
                () -> assertTrue(texts(d, "#area-alerts li").stream().anyMatch(t -> t.endsWith("(open)")),
                        texts(d, "#area-alerts li").toString()),
                () -> assertEquals(0, d.findElements(By.tagName("canvas")).size()),
                () -> assertEquals(0, d.findElements(By.id("drug-checking")).size()),
                () -> assertEquals(1, d.findElements(By.cssSelector("main a[href='/login']")).size()),
                () -> assertEquals(1, d.findElements(By.cssSelector("main a[href='/open-data/']")).size()));
    }
}
