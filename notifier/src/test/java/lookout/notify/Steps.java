package lookout.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import lookout.kernel.Severity;
import lookout.schema.Alert;

/** Alerts and steps of one spike in Moss Park (area 073), for the notifier's tests. */
final class Steps {
    static final ZoneId TORONTO = ZoneId.of("America/Toronto");
    static final String LINK = "http://localhost:8080/alerts";
    static final String NOTIFICATIONS = "http://localhost:8080/notifications";
    /** 8 pm in Toronto on Monday 2 November 2026. */
    static final long WINDOW_START = Instant.parse("2026-11-03T01:00:00Z").toEpochMilli();
    static final long HOUR = 3_600_000L;

    /**
     * A running clock whose present is an hour after {@link #alert}'s snapshots: the notifier sends only steps that
     * are news by its clock ({@code news.within}).
     */
    static Clock clockAtTheAlerts() {
        Instant present = Instant.ofEpochMilli(WINDOW_START + 7 * HOUR);
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), present));
    }
    static final AreaNames NAMES = AreaNames.of(Map.of("073", "Moss Park", "074", "North St.James Town"));

    private Steps() {}

    static Messages messages() {
        return new Messages(TORONTO, LINK, NOTIFICATIONS, Map.of());
    }

    static Alert alert(String spikeId, String status, String severity, Integer observed) {
        return Alert.newBuilder()
                .setSpikeId(spikeId).setAreaId("073").setSignal("paramedic").setMethod("intraday")
                .setOpenedAt(WINDOW_START + 5 * HOUR).setUpdatedAt(WINDOW_START + 6 * HOUR)
                .setClosedAt(status.equals("closed") ? WINDOW_START + 48 * HOUR : null)
                .setWindowStart(WINDOW_START).setWindowEnd(WINDOW_START + 6 * HOUR)
                .setObserved(observed).setExpected(1.2).setThreshold(5).setScore(3.1)
                .setSeverity(severity).setStatus(status).setEvidence("{}").setExplanation("...").build();
    }

    static AlertStep opened(String spikeId) {
        return AlertStep.of(alert(spikeId, "opened", "moderate", 9), AlertStep.Kind.OPENED, Severity.MODERATE);
    }

    static AlertStep worsened(String spikeId) {
        return AlertStep.of(alert(spikeId, "updated", "high", 14), AlertStep.Kind.WORSENED, Severity.HIGH);
    }

    static AlertStep closed(String spikeId) {
        return AlertStep.of(alert(spikeId, "closed", "high", null), AlertStep.Kind.CLOSED, Severity.HIGH);
    }
}
