package lookout.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * "Was this useful?" in headless Chromium: a recipient opens the link of a notifier message about the spike's
 * alert, answers on a phone and on a desktop without signing in, and an analyst then finds both answers counted on
 * the alerts page.
 */
@Timeout(300)
class FeedbackBrowserTest extends OnTorontoDashboards {
    static final String TEST = "FeedbackBrowserTest";

    @BeforeAll
    static void start() {
        browsers = Browsers.start();
    }

    @Test
    void recipientsAnswerWithoutSigningInAndAnAnalystSeesTheCountsOnTheAlertsPage() throws Exception {
        String spike = spikeAlert();
        browsers.forgetSessions();
        browsers.show(dashboards.uri("/alerts/" + spike + "/feedback"), TEST, "form");
        for (Chromium c : List.of(browsers.phone, browsers.desktop)) {
            AlertsBrowserTest.assertFitsTheWidth(c);
            c.driver().findElement(By.cssSelector("input[name=answer][value=no]")).click();
            new Select(c.driver().findElement(By.id("reason"))).selectByValue("too_late");
            c.driver().findElement(By.cssSelector("form.feedback button[type=submit]")).click();
            WebElement thanks = new WebDriverWait(c.driver(), Browsers.READY)
                    .until(d -> d.findElements(By.id("thanks")).stream().findFirst().orElse(null));
            assertTrue(thanks.getText().startsWith("Your answer was counted."), thanks.getText());
            c.screenshot(TorontoSnapshot.screenshots(), TEST, "thanks");
            assertEquals(List.of(), c.consoleErrors());
        }

        browsers.signIn(dashboards.uri("/"), toronto.analystToken);
        browsers.show(dashboards.uri("/alerts"), TEST, "analyst");
        for (Chromium c : List.of(browsers.phone, browsers.desktop)) {
            List<String> cells = c.driver().findElements(By.cssSelector("#feedback tr[data-spike='" + spike + "'] td"))
                    .stream().map(WebElement::getText).toList();
            assertEquals(4, cells.size(), c.viewport().name());
            assertTrue(cells.get(0).startsWith("Paramedic overdose calls in Yonge-Bay Corridor, opened "), cells.get(0));
            assertEquals(List.of("0", "2", "It came too late: 2"), cells.subList(1, 4));
            AlertsBrowserTest.assertFitsTheWidth(c);
            c.driver().executeScript("document.getElementById('feedback').scrollIntoView()");
            c.windowScreenshot(TorontoSnapshot.screenshots().resolve(TEST + "-analyst-table-" + c.viewport().width() + ".png"));
        }
    }

    /** The spike's open paramedic alert, whose messages carry the link. */
    private static String spikeAlert() throws Exception {
        for (JsonNode a : dashboards.json("/api/alerts", toronto.analystToken)) {
            if (a.get("area_id").asText().equals(TorontoSnapshot.SPIKE_AREA) && a.get("closed_at").isNull()
                    && a.get("signal").asText().equals("paramedic")) {
                return a.get("spike_id").asText();
            }
        }
        throw new AssertionError("no open paramedic alert in area " + TorontoSnapshot.SPIKE_AREA);
    }
}
