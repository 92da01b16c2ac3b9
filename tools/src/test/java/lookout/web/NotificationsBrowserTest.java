package lookout.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import lookout.dashboards.NotifierClient;
import lookout.notify.AreaNames;
import lookout.notify.Channel;
import lookout.notify.ManagedSubscribers;
import lookout.notify.NotifierConfig;
import lookout.notify.NotifierHttp;
import lookout.notify.SmsInbox;
import lookout.notify.Subscriptions;

/**
 * The notifications page in headless Chromium, against the notifier's real HTTP server: the outreach lead fills
 * in the form on a 375 px phone (no sideways scrolling) and the subscription lands in the notifier's store; they
 * delete it and their contact details leave the store; an analyst sees subscriber counts and no address.
 */
@Timeout(300)
class NotificationsBrowserTest extends OnTorontoDashboards {
    static final String TEST = "NotificationsBrowserTest";
    static final String TOKEN = "service-token-0123456789abcdef";

    @TempDir
    static Path dir;
    static Path store;
    static ExecutorService replies;
    static NotifierHttp notifier;
    static LiveDashboards withNotifier;

    @BeforeAll
    static void start() throws Exception {
        store = dir.resolve("notifier");
        Map<String, String> v = new HashMap<>();
        v.put("kafka.bootstrap", "127.0.0.1:9");
        v.put("subscriptions", Files.writeString(dir.resolve("subscribers.json"), "{\"subscribers\": []}").toString());
        v.put("store", store.toString());
        v.put("http.port", "0");
        v.put("http.token", TOKEN);
        NotifierConfig config = NotifierConfig.fromMap(v);
        ManagedSubscribers managed = ManagedSubscribers.open(store);
        replies = Executors.newSingleThreadExecutor();
        notifier = new NotifierHttp(config, Subscriptions.open(config.subscriptions(), managed), managed,
                new SmsInbox(managed, List::of, AreaNames.of(Map.of()), null, replies, config.mapPage(), Clock.systemUTC(), 5),
                EnumSet.allOf(Channel.Kind.class), new PrintStream(new ByteArrayOutputStream()));
        int port = notifier.start("127.0.0.1", 0);
        withNotifier = new LiveDashboards(toronto.db, toronto.users,
                new NotifierClient(URI.create("http://127.0.0.1:" + port), TOKEN));
        browsers = Browsers.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (withNotifier != null) {
            withNotifier.close();
        }
        if (notifier != null) {
            notifier.close();
        }
        if (replies != null) {
            replies.shutdownNow();
        }
    }

    private static String stored() throws Exception {
        Path f = store.resolve("subscribers.json");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    @Test
    void anOutreachLeadSubscribesOnAPhoneThenDeletesAndAnAnalystSeesOnlyCounts() throws Exception {
        browsers.forgetSessions();
        browsers.signIn(withNotifier.uri("/"), toronto.outreachToken);
        browsers.show(withNotifier.uri("/notifications"), TEST, "outreach-new");

        Chromium phone = browsers.phone;
        WebDriver d = phone.driver();
        d.get(withNotifier.uri("/notifications").toString());
        assertTrue(d.findElement(By.cssSelector("main")).getText().contains("You are not subscribed yet."));
        assertAreasOffered(d);
        d.findElement(By.cssSelector("input[name=areas][value='172']")).click();
        d.findElement(By.cssSelector("input[name=delivery][value=digest]")).click();
        new Select(d.findElement(By.id("language"))).selectByValue("fr");
        new Select(d.findElement(By.id("min_severity"))).selectByValue("moderate");
        d.findElement(By.id("email")).sendKeys("lead@outreach.example.org");
        d.findElement(By.id("sms")).sendKeys("+1 416 555 0170");
        d.findElement(By.cssSelector("form.subscription button[type=submit]")).click();
        new WebDriverWait(d, Browsers.READY).until(x -> !x.findElements(By.cssSelector("p.saved")).isEmpty());
        AlertsBrowserTest.assertFitsTheWidth(phone);
        phone.screenshot(TorontoSnapshot.screenshots(), TEST, "outreach-saved");

        String s = stored();
        assertTrue(s.contains("lead@outreach.example.org") && s.contains("+14165550170"), s);
        assertTrue(s.contains("\"areas\" : [ \"170\", \"171\" ]"), s);
        assertTrue(s.contains("\"immediate\" : false") && s.contains("\"language\" : \"fr\""), s);
        assertEquals("lead@outreach.example.org", d.findElement(By.id("email")).getAttribute("value"));

        browsers.forgetSessions();
        browsers.signIn(withNotifier.uri("/"), toronto.analystToken);
        browsers.show(withNotifier.uri("/notifications"), TEST, "analyst");
        String analystPage = browsers.desktop.driver().findElement(By.cssSelector("main")).getText();
        assertTrue(analystPage.contains("1 subscriber in all; 0 of them get alerts of every area."), analystPage);
        assertTrue(analystPage.contains("Yonge-Bay Corridor 1"), analystPage);
        assertFalse(analystPage.contains("example.org") || analystPage.contains("555"), analystPage);
        AlertsBrowserTest.assertFitsTheWidth(browsers.phone);

        browsers.forgetSessions();
        browsers.signIn(withNotifier.uri("/"), toronto.outreachToken);
        d.get(withNotifier.uri("/notifications").toString());
        d.findElement(By.cssSelector("form.delete button[type=submit]")).click();
        // The form's answer replaces the page: the element found a moment ago may already be gone, which Chromium
        // reports as a stale element or (156) as an inspector error, "Node ... does not belong to the document".
        new WebDriverWait(d, Browsers.READY).ignoring(WebDriverException.class)
                .until(x -> x.findElement(By.cssSelector("main")).getText()
                        .contains("Your subscription and your contact details are deleted."));
        String after = stored();
        assertFalse(after.contains("example.org") || after.contains("4165550170") || after.contains("otto"), after);
    }

    private static void assertAreasOffered(WebDriver d) {
        List<String> offered = d.findElements(By.cssSelector("input[name=areas]")).stream()
                .map(e -> e.getAttribute("value")).sorted().toList();
        assertEquals(TorontoSnapshot.OUTREACH_AREAS.stream().sorted().toList(), offered);
    }
}
