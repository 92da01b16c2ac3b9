package lookout.detect;

import lookout.schema.Alert;

/** The coroner confirmation's one input: an alert snapshot or a coroner report's time. A Flink POJO. */
public final class ConfirmationInput {
    public String area;
    public Alert alert;
    /** Occurred time of a coroner-reported death, epoch ms; unused for alerts. */
    public long coronerTime;

    public ConfirmationInput() {}

    public static ConfirmationInput alert(Alert a) {
        ConfirmationInput in = new ConfirmationInput();
        in.area = a.getAreaId();
        in.alert = a;
        return in;
    }

    public static ConfirmationInput coroner(String area, long time) {
        ConfirmationInput in = new ConfirmationInput();
        in.area = area;
        in.coronerTime = time;
        return in;
    }
}
