package lookout.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium at desktop width and one at phone width, shared by the test classes of the JVM: starting the
 * two takes about 6 s, which every browser test class paid before. Each class gets them as a new browser would be:
 * no cookies, no console messages, a blank page; they quit when the JVM exits. {@link #show} is what every page
 * test does first: open the page in both, wait until it is drawn, require a console without errors, and save the
 * screenshots as {@code target/screenshots/<test>-<name>-<width>.png}.
 */
public final class Browsers implements AutoCloseable {
    public static final Duration READY = Duration.ofSeconds(20);

    private static Browsers shared;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Browsers::quitShared, "quit shared browsers"));
    }

    public final Chromium desktop;
    public final Chromium phone;

    private Browsers(Chromium desktop, Chromium phone) {
        this.desktop = desktop;
        this.phone = phone;
    }

    /**
     * Both browsers, started by the first caller in this JVM (or again if a test class left one unusable) and reset
     * for every later one; skips the calling test where Debian's chromium or chromedriver is not installed.
     */
    public static synchronized Browsers start() {
        var missing = Chromium.unavailable();
        assumeTrue(missing.isEmpty(), () -> "skipped: no headless browser: " + missing.orElse(""));
        if (shared != null && !shared.reset()) {
            quitShared();
        }
        if (shared == null) {
            shared = launch();
        }
        return shared;
    }

    private static synchronized void quitShared() {
        if (shared != null) {
            try {
                shared.quit();
            } catch (WebDriverException gone) {
                // A browser that has already gone has nothing left to quit.
            } finally {
                shared = null;
            }
        }
    }

    private static Browsers launch() {
        Chromium desktop = Chromium.start(Chromium.DESKTOP);
        try {
            return new Browsers(desktop, Chromium.start(Chromium.PHONE));
        } catch (RuntimeException e) {
            desktop.close();
            throw e;
        }
    }

    /**
     * As new for the next class: a blank page, no cookies and no cache of any host (WebDriver's own cookie deletion
     * reaches only the current page's, and every class serves on 127.0.0.1, whose cookies ignore the port), no
     * unread console messages. False if a browser is gone.
     */
    private boolean reset() {
        try {
            for (Chromium c : List.of(phone, desktop)) {
                c.driver().get("about:blank");
                c.driver().executeCdpCommand("Network.clearBrowserCookies", Map.of());
                c.driver().executeCdpCommand("Network.clearBrowserCache", Map.of());
                c.consoleErrors();
            }
            return true;
        } catch (WebDriverException e) {
            return false;
        }
    }

    /** Opens {@code uri} at both widths, as described above; the desktop browser stays on the page. */
    public void show(URI uri, String test, String name) throws Exception {
        Path dir = TorontoSnapshot.screenshots();
        for (Chromium c : List.of(phone, desktop)) {
            c.load(uri, READY);
            c.screenshot(dir, test, name);
            assertEquals(List.of(), c.consoleErrors(), "console errors on " + uri + " at " + c.viewport().name() + " width");
        }
    }

    /**
     * Signs both browsers in through the sign-in form at {@code base}, as a person would with the token
     * {@code ./lookout users add} printed; the session cookie then comes with every later page.
     */
    public void signIn(URI base, String token) {
        for (Chromium c : List.of(phone, desktop)) {
            c.driver().get(base.resolve("/login").toString());
            c.driver().findElement(By.id("token")).sendKeys(token);
            c.driver().findElement(By.cssSelector("form.signin button[type=submit]")).click();
            // The sign-in page is ready too: wait for the redirect away from it first.
            new WebDriverWait(c.driver(), READY).until(d -> !d.getCurrentUrl().endsWith("/login"));
            c.awaitReady(READY);
        }
    }

    /** Both browsers forget their session cookie: the next page is the public's. */
    public void forgetSessions() {
        for (Chromium c : List.of(phone, desktop)) {
            c.driver().manage().deleteAllCookies();
        }
    }

    /** The class is done with the browsers: the next one gets them reset (see {@link #start}). */
    @Override
    public void close() {
    }

    private void quit() {
        try {
            desktop.close();
        } finally {
            phone.close();
        }
    }
}
