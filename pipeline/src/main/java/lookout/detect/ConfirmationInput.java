package lookout.detect;

import lookout.schema.Alert;
import lookout.schema.DeidentifiedEvent;

/** The coroner confirmation's one input: an alert snapshot or a coroner-reported death's times. A Flink POJO. */
public final class ConfirmationInput {
    public String area;
    public Alert alert;
    /** Occurred time of a coroner-reported death, epoch ms; unused for alerts. */
    public long coronerTime;
    /** When that death was reported, epoch ms: the day it becomes known; unused for alerts. */
    public long coronerReportedTime;

    public ConfirmationInput() {}

    public static ConfirmationInput alert(Alert a) {
        ConfirmationInput in = new ConfirmationInput();
        in.area = a.getAreaId();
        in.alert = a;
        return in;
    }

    public static ConfirmationInput coroner(String area, long time, long reportedTime) {
        ConfirmationInput in = new ConfirmationInput();
        in.area = area;
        in.coronerTime = time;
        in.coronerReportedTime = reportedTime;
        return in;
    }

    /**
     * A coroner event's death; one without a report time (in flight in a checkpoint older than that field) is taken
     * as reported when it occurred.
     */
    public static ConfirmationInput coroner(DeidentifiedEvent e) {
        Long reported = e.getReportedMinute();
        return coroner(e.getAreaId(), e.getOccurredMinute(), reported != null ? reported : e.getOccurredMinute());
    }
}
