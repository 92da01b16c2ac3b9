package lookout.web;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/** The browser fixture itself, on three tiny pages: one that draws, one that throws, one that never gets ready. */
@Timeout(120)
class ChromiumTest {
    private static final String PADDING = "words that wrap ".repeat(300);
    private static final Map<String, String> PAGES = Map.of(
            "/drawn", """
                    <!doctype html><meta name="viewport" content="width=device-width">
                    <p id="p">drawing</p><p>%s</p>
                    <script>setTimeout(() => {
                      document.getElementById("p").textContent = "drawn at " + window.innerWidth;
                      document.documentElement.dataset.ready = "true";
                    }, 150);</script>""".formatted(PADDING),
            "/throws", """
                    <!doctype html><script>
                    document.documentElement.dataset.ready = "true";
                    null.draw();
                    </script>""",
            "/never", "<!doctype html><p>still loading</p>");

    static HttpServer server;
    static Chromium desktop;
    static Chromium phone;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        var missing = Chromium.unavailable();
        assumeTrue(missing.isEmpty(), () -> "skipped: no headless browser: " + missing.orElse(""));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        PAGES.forEach((path, html) -> server.createContext(path, exchange -> {
            byte[] body = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }));
        server.start();
        desktop = Chromium.start(Chromium.DESKTOP);
        phone = Chromium.start(Chromium.PHONE);
    }

    @AfterAll
    static void stop() {
        if (desktop != null) {
            desktop.close();
        }
        if (phone != null) {
            phone.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    static URI page(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void waitsUntilThePageIsDrawnAndTimesItFromNavigationStart() throws Exception {
        desktop.load(page("/drawn"), Duration.ofSeconds(10));
        Chromium.Timing t = desktop.timing();
        assertAll(
                () -> assertEquals("drawn at 1280", desktop.driver().findElement(org.openqa.selenium.By.id("p")).getText()),
                () -> assertTrue(t.readyMs() >= 150 && t.readyMs() < 5000, "ready after " + t.readyMs() + " ms"),
                () -> assertTrue(t.transferBytes() > PADDING.length(), t.transferBytes() + " bytes transferred"),
                () -> assertEquals(1, t.requests()),
                () -> assertEquals(List.of(), desktop.consoleErrors()));
    }

    @Test
    void savesScreenshotsOfTheWholePageAtDesktopAndPhoneWidth() throws Exception {
        desktop.load(page("/drawn"), Duration.ofSeconds(10));
        phone.load(page("/drawn"), Duration.ofSeconds(10));
        Path wide = desktop.screenshot(dir, "ChromiumTest", "drawn");
        Path narrow = phone.screenshot(dir, "ChromiumTest", "drawn");
        BufferedImage w = ImageIO.read(wide.toFile());
        BufferedImage n = ImageIO.read(narrow.toFile());
        assertAll(
                () -> assertEquals("ChromiumTest-drawn-1280.png", wide.getFileName().toString()),
                () -> assertEquals("ChromiumTest-drawn-375.png", narrow.getFileName().toString()),
                () -> assertEquals(1280, w.getWidth()),
                () -> assertEquals(800, w.getHeight()),
                () -> assertEquals(375, n.getWidth()),
                // 4800 characters wrap to far more than one phone screen: the whole page is captured.
                () -> assertTrue(n.getHeight() > 812, "phone screenshot " + n.getHeight() + " px high"),
                () -> assertEquals("drawn at 375", phone.driver().findElement(org.openqa.selenium.By.id("p")).getText()));
    }

    @Test
    void reportsAnUncaughtScriptErrorFromTheConsole() {
        desktop.load(page("/throws"), Duration.ofSeconds(10));
        List<String> errors = desktop.consoleErrors();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains("Cannot read properties of null"), errors.get(0));
        assertEquals(List.of(), desktop.consoleErrors(), "each error is reported once");
    }

    @Test
    void aPageThatNeverGetsReadyFailsWithItsAddress() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> desktop.load(page("/never"), Duration.ofSeconds(1)));
        assertEquals(page("/never") + " did not set data-ready within PT1S at desktop width; console errors: []",
                e.getMessage());
    }
}
