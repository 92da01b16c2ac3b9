package lookout.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the browser tests share: the Toronto snapshot, a dashboards server on it, and the browsers a test class
 * starts (its own {@code @BeforeAll} runs after this one). Everything is closed after the class.
 */
abstract class OnTorontoDashboards {
    static TorontoSnapshot toronto;
    static LiveDashboards dashboards;
    static Browsers browsers;

    @BeforeAll
    static void startDashboards() throws Exception {
        toronto = TorontoSnapshot.get();
        dashboards = LiveDashboards.toronto();
    }

    @AfterAll
    static void stopDashboards() throws Exception {
        if (browsers != null) {
            browsers.close();
            browsers = null;
        }
        if (dashboards != null) {
            dashboards.close();
            dashboards = null;
        }
    }
}
