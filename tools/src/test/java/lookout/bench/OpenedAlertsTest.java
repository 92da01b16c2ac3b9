package lookout.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import lookout.schema.Alert;

class OpenedAlertsTest {
    @Test
    void countsTheAlertsOpenedWithinTheMeasurementBySignalAndArea() {
        List<AlertWatcher.Arrival> arrivals = List.of(
                arrival(1, "opened", "C", "paramedic"),
                arrival(5, "opened", "A", "paramedic"),
                arrival(6, "updated", "A", "paramedic"),
                arrival(7, "opened", "B", "naloxone"),
                arrival(8, "opened", "B", "multi"),
                arrival(10, "closed", "A", "paramedic"),
                arrival(11, "opened", "D", "paramedic"));

        OpenedAlerts opened = OpenedAlerts.during(arrivals, 5, 10);

        assertEquals(3, opened.total());
        assertEquals(2, opened.areas());
        assertEquals(Map.of("multi", 1, "naloxone", 1, "paramedic", 1), opened.bySignal());
        assertEquals("3 alerts opened in 2 areas (multi 1, naloxone 1, paramedic 1)", opened.describe());
    }

    @Test
    void aMeasurementWithoutAlertsSaysSo() {
        OpenedAlerts none = OpenedAlerts.during(List.of(arrival(4, "opened", "A", "paramedic")), 5, 10);

        assertEquals("0 alerts opened in 0 areas", none.describe());
    }

    @Test
    void oneAlertInOneAreaIsSaidInTheSingular() {
        OpenedAlerts one = OpenedAlerts.during(List.of(arrival(5, "opened", "A", "naloxone")), 5, 10);

        assertEquals("1 alert opened in 1 area (naloxone 1)", one.describe());
    }

    private static AlertWatcher.Arrival arrival(long atNanos, String status, String area, String signal) {
        Alert alert = Alert.newBuilder().setSpikeId(area + "-" + signal).setAreaId(area).setSignal(signal)
                .setMethod("intraday_8h").setOpenedAt(0).setUpdatedAt(0).setWindowStart(0).setWindowEnd(0)
                .setExpected(1.0).setThreshold(4).setScore(2.0).setSeverity("moderate").setStatus(status)
                .setEvidence("{}").setExplanation("").build();
        return new AlertWatcher.Arrival(atNanos, 0, 0, alert);
    }
}
