package lookout.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import lookout.detect.DetectorCatalog;

/**
 * The dashboards may not depend on the pipeline, so the area page names the detector that draws the usual range
 * itself; tools sees both and keeps the name equal to the detector whose alarms open alerts.
 */
class AreaBandMethodTest {
    @Test
    void theUsualRangeIsDrawnFromTheDetectorWhoseAlarmsOpenAlerts() {
        assertEquals(DetectorCatalog.alerting().method(), AreaQueries.BAND_METHOD);
    }
}
