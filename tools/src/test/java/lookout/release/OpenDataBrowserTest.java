package lookout.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import lookout.dashboards.AuditLog;
import lookout.dashboards.DashboardServer;
import lookout.dashboards.OpenData;
import lookout.dashboards.Snapshot;
import lookout.dashboards.Users;
import lookout.kernel.Main;
import lookout.web.Browsers;
import lookout.web.Chromium;
import lookout.web.TorontoSnapshot;

/**
 * The open-data page in headless Chromium at desktop and phone width, over two releases of the backfilled year of
 * Toronto (158 areas, with its spike): the page needs no script and no sign-in, fits a 375 px screen, and every
 * download link it shows answers with a file that passes the public tier's checks. The first release, shorter than
 * the default coroner lag, has no coroner counts yet; the second, made with a 28-day lag, has January's.
 */
@Timeout(600)
class OpenDataBrowserTest {
    private static final String FIRST = "2026-02-21";
    private static final String SECOND = "2026-02-28";
    private static final By PERIOD = By.xpath("//section[@id='release']/p[starts-with(., 'Counts from')]");

    @TempDir
    Path tmp;

    @Test
    void theOpenDataPageShowsTheLatestReleaseOnAPhoneAndEveryDownloadLinkPassesThePublicTiersChecks() throws Exception {
        TorontoSnapshot toronto = TorontoSnapshot.get();
        Path openData = tmp.resolve("open-data");
        export(toronto.db, openData, FIRST, CoronerLag.DEFAULT_DAYS);
        export(toronto.db, openData, SECOND, 28);
        try (Snapshot snapshot = new Snapshot(toronto.db);
             DashboardServer server = new DashboardServer(snapshot, Users.none(),
                     new AuditLog(tmp.resolve("audit.log"), Clock.systemUTC()), DashboardServer.DEFAULT_ZONE, OpenData.in(openData),
                     r -> {});
             Browsers browsers = Browsers.start()) {
            URI base = URI.create("http://127.0.0.1:" + server.start("127.0.0.1", 0));
            browsers.show(base.resolve("/open-data/"), "OpenDataBrowserTest", "latest");
            for (Chromium c : List.of(browsers.phone, browsers.desktop)) {
                assertFitsTheScreen(c);
                assertEquals("Latest release: " + SECOND, c.driver().findElement(By.id("release-title")).getText());
                assertEquals(0, c.driver().findElements(By.tagName("script")).size(), "the page works without JavaScript");
                assertPeriod(c, "Counts from 1 January 2026 to 28 February 2026, published ", " Counts of suspected"
                        + " overdose deaths run to 31 January 2026 only: later ones are still being reported. The"
                        + " previous release, 2026-02-21, covered 1 January 2026 to 21 February 2026, with no"
                        + " suspected overdose deaths yet, so those from 1 to 31 January 2026 are published for the"
                        + " first time. Counts below 5 are withheld.");
            }
            showPolicy(browsers.phone);

            Chromium desktop = browsers.desktop;
            Map<String, byte[]> latest = download(hrefs(desktop), SECOND);
            assertEquals(List.of("CSV", "Parquet", "CSV", "Parquet", "CSV", "Parquet"), desktop.driver()
                    .findElements(By.cssSelector("table.downloads a")).stream().map(WebElement::getText).toList());

            desktop.driver().findElement(By.linkText("Release " + FIRST + " (1 January 2026 to 21 February 2026)")).click();
            desktop.awaitReady(Browsers.READY);
            assertEquals("Release " + FIRST, desktop.driver().findElement(By.id("release-title")).getText());
            browsers.show(URI.create(desktop.driver().getCurrentUrl()), "OpenDataBrowserTest", "earlier");
            for (Chromium c : List.of(browsers.phone, browsers.desktop)) {
                assertFitsTheScreen(c);
                assertPeriod(c, "Counts from 1 January 2026 to 21 February 2026, published ", " This release has no"
                        + " counts of suspected overdose deaths yet: their reports come weeks or months late, so each"
                        + " day's count is published 91 days after it, once most reports are in. They will appear in"
                        + " releases of counts through 2 April 2026 and later. Counts below 5 are withheld.");
            }
            Map<String, byte[]> earlier = download(hrefs(desktop), FIRST);

            PublicDownloads before = new PublicDownloads(earlier, tmp);
            PublicDownloads after = new PublicDownloads(latest, tmp);
            before.check();
            after.check();
            PublicDownloads.requireStatusKept(before.rows(), after.rows());
            assertTrue(after.rows().stream().anyMatch(r -> !r.suppressed()), "the release publishes some counts");
        }
    }

    /**
     * The page on {@code c} never scrolls sideways: the document is no wider than the screen, and the data
     * dictionary's table, wider than a phone, scrolls inside its own box, which fits.
     */
    private static void assertFitsTheScreen(Chromium c) {
        int width = c.viewport().width();
        Number documentWidth = (Number) c.driver().executeScript("return document.documentElement.scrollWidth");
        assertTrue(documentWidth.intValue() <= width, "the document is " + documentWidth + " px wide on a " + width
                + " px screen");
        Number overflow = (Number) c.driver().executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertEquals(0, overflow.intValue(), "no sideways scrolling at " + width + " px");
        WebElement table = c.driver().findElement(By.cssSelector("#dictionary table"));
        Number right = (Number) c.driver().executeScript("return arguments[0].getBoundingClientRect().right", table);
        assertTrue(right.doubleValue() <= width, "the dictionary's table ends at " + right + " px on " + width);
        if (c.viewport().mobile()) {
            Number hidden = (Number) c.driver().executeScript(
                    "return arguments[0].scrollWidth - arguments[0].clientWidth", table);
            assertTrue(hidden.intValue() > 0, "on a phone the dictionary's table scrolls in its box");
        }
    }

    /** The release's period paragraph: {@code start}, the publication time, then {@code end}. */
    private static void assertPeriod(Chromium c, String start, String end) {
        String period = c.driver().findElement(PERIOD).getText();
        assertTrue(period.startsWith(start) && period.endsWith(end), c.viewport().width() + " px: " + period);
    }

    /**
     * Saves what a phone shows at the suppression policy's table, which is beyond the whole-page screenshot's 4000
     * px: {@code OpenDataBrowserTest-policy-375.png}.
     */
    private static void showPolicy(Chromium phone) throws Exception {
        WebElement table = phone.driver().findElement(By.cssSelector("#policy table"));
        phone.driver().executeScript("arguments[0].scrollIntoView()", table);
        phone.windowScreenshot(TorontoSnapshot.screenshots().resolve("OpenDataBrowserTest-policy-375.png"));
    }

    /** The download links (those with a {@code download} attribute) on the browser's current page. */
    private static List<String> hrefs(Chromium c) {
        List<String> out = new ArrayList<>();
        for (WebElement a : c.driver().findElements(By.cssSelector("a[download]"))) {
            out.add(a.getAttribute("href"));
        }
        return out;
    }

    /** Follows every link, each of which must be a file of release {@code id}, and returns the files by name. */
    private static Map<String, byte[]> download(List<String> hrefs, String id) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, byte[]> files = new TreeMap<>();
        for (String href : hrefs) {
            URI uri = URI.create(href);
            String prefix = "/open-data/releases/" + id + "/";
            assertTrue(uri.getPath().startsWith(prefix), href);
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode(), href);
            files.put(uri.getPath().substring(prefix.length()), r.body());
        }
        assertTrue(files.keySet().containsAll(List.of("public_day.csv", "public_day.parquet", "public_week.csv",
                "public_week.parquet", "public_month.csv", "public_month.parquet", "REVISIONS.csv")), files.keySet().toString());
        return files;
    }

    /** Publishes January and February up to {@code through}, the coroner's counts {@code coronerLag} days earlier. */
    private void export(Path db, Path openData, String through, int coronerLag) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"export", "--tier", "public", "--db", db.toString(), "--open-data", openData.toString(),
                "--from", "2026-01-01", "--through", through, "--coroner-lag", Integer.toString(coronerLag), "--ledger",
                tmp.resolve("ledger.csv").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    }
}
