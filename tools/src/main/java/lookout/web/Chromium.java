package lookout.web;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its own chromedriver, for the browser tests and the page-load bench.
 * Nothing is downloaded: both executables are given by path, so Selenium Manager is never asked for a driver.
 *
 * <p>Every page of the dashboards sets {@code document.documentElement.dataset.ready = "true"} once its content is
 * drawn; {@link #load} waits for that. A script injected before any page script notes the moment it happens, in
 * milliseconds since navigation start, so {@link #timing} can report page load as a user sees it.
 */
public final class Chromium implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    /** A viewport: desktop at 1280×800, or a 375 px phone (mobile emulation: touch, the viewport meta honoured). */
    public record Viewport(String name, int width, int height, boolean mobile) {}

    public static final Viewport DESKTOP = new Viewport("desktop", 1280, 800, false);
    public static final Viewport PHONE = new Viewport("phone", 375, 812, true);

    /** Notes when {@code data-ready} turns "true", in ms since navigation start (performance.now()'s origin). */
    private static final String READY_PROBE = """
            (() => {
              const observer = new MutationObserver(() => {
                const root = document.documentElement;
                if (root && root.dataset.ready === "true") {
                  window.__lookoutReadyAt = performance.now();
                  observer.disconnect();
                }
              });
              // Runs before the document has its root element; a page rendered on the server is ready when the
              // root element arrives, one drawn by a script when the attribute changes.
              observer.observe(document, {childList: true, subtree: true, attributes: true, attributeFilter: ["data-ready"]});
            })();
            """;

    private static final String TIMING = """
            const nav = performance.getEntriesByType("navigation")[0];
            const resources = performance.getEntriesByType("resource");
            return {
              readyMs: window.__lookoutReadyAt === undefined ? -1 : window.__lookoutReadyAt,
              transferBytes: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
              requests: 1 + resources.length
            };
            """;

    /** Page load as Navigation Timing reports it: navigation start to data-ready, and bytes over the wire. */
    public record Timing(double readyMs, long transferBytes, int requests) {}

    private final Viewport viewport;
    private final ChromeDriver driver;
    private final Path profile;

    private Chromium(Viewport viewport, ChromeDriver driver, Path profile) {
        this.viewport = viewport;
        this.driver = driver;
        this.profile = profile;
    }

    /** Why no browser can be started here, if so: the executables are Debian's chromium and chromium-driver. */
    public static Optional<String> unavailable() {
        for (Path p : List.of(BINARY, DRIVER)) {
            if (!Files.isExecutable(p)) {
                return Optional.of(p + " is absent (apt-get install chromium chromium-driver)");
            }
        }
        return Optional.empty();
    }

    public static Chromium start(Viewport viewport) {
        // Selenium hands SE_* properties to Selenium Manager; with both paths given it is not run, and if it ever
        // were, it must not download anything.
        System.setProperty("SE_OFFLINE", "true");
        // Chromium leaves the profile it makes for itself in /tmp; one of our own is removed on close.
        Path profile;
        try {
            profile = Files.createTempDirectory("lookout-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--user-data-dir=" + profile);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--window-size=" + viewport.width() + "," + viewport.height());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            // The window size includes the (invisible) browser frame; the page's own viewport is set exactly.
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", viewport.width(),
                    "height", viewport.height(), "deviceScaleFactor", 1, "mobile", viewport.mobile()));
            driver.executeCdpCommand("Emulation.setTouchEmulationEnabled", Map.of("enabled", viewport.mobile()));
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", READY_PROBE));
        } catch (RuntimeException e) {
            driver.quit();
            deleteProfile(profile);
            throw e;
        }
        return new Chromium(viewport, driver, profile);
    }

    /** Every later load fetches everything again, as a first visit does. */
    public void disableCache() {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));
    }

    public Viewport viewport() {
        return viewport;
    }

    public ChromeDriver driver() {
        return driver;
    }

    /**
     * Opens {@code uri} and waits until the page says its content is drawn. A page that never does fails with the
     * console errors it logged, which usually say why.
     */
    public void load(URI uri, Duration timeout) {
        driver.get(uri.toString());
        awaitReady(timeout);
    }

    /** Waits until the current page's {@code data-ready} is "true" (again, after the page redraws). */
    public void awaitReady(Duration timeout) {
        try {
            new WebDriverWait(driver, timeout).until(d -> Boolean.TRUE.equals(
                    ((JavascriptExecutor) d).executeScript("return document.documentElement.dataset.ready === 'true'")));
        } catch (TimeoutException e) {
            throw new IllegalStateException(driver.getCurrentUrl() + " did not set data-ready within " + timeout
                    + " at " + viewport.name() + " width; console errors: " + consoleErrors());
        }
    }

    /**
     * The console's errors since the last call: uncaught exceptions, console.error, failed loads (a 404 for a script
     * or a 500 from the API). Each entry is one line. The browser's own request for /favicon.ico is not the page's
     * doing and is left out.
     */
    public List<String> consoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue() && !e.getMessage().contains("/favicon.ico ")) {
                errors.add(e.getMessage());
            }
        }
        return errors;
    }

    public Timing timing() {
        @SuppressWarnings("unchecked")
        Map<String, Object> t = (Map<String, Object>) driver.executeScript(TIMING);
        return new Timing(((Number) t.get("readyMs")).doubleValue(), ((Number) t.get("transferBytes")).longValue(),
                ((Number) t.get("requests")).intValue());
    }

    /**
     * Saves the whole page (not only the window) as {@code dir/<test>-<name>-<width>.png} and returns the file.
     * Pages longer than 4000 px are cut there.
     */
    public Path screenshot(Path dir, String test, String name) throws IOException {
        Number height = (Number) driver.executeScript(
                "return Math.min(4000, Math.max(document.documentElement.scrollHeight, window.innerHeight))");
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
                "format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", viewport.width(), "height", height.intValue(), "scale", 1)));
        Path file = dir.resolve(test + "-" + name + "-" + viewport.width() + ".png");
        Files.createDirectories(dir);
        Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
        return file;
    }

    /** Saves what the window shows (the viewport, as a person first sees the page) to {@code file}. */
    public Path windowScreenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    @Override
    public void close() {
        driver.quit();
        deleteProfile(profile);
    }

    /** Best effort: a file Chromium still held is left, never a failed test. */
    private static void deleteProfile(Path profile) {
        try (Stream<Path> walk = Files.walk(profile)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Nothing to do: the directory stays in the temporary directory.
        }
    }
}
