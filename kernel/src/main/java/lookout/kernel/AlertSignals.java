package lookout.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The codes an alert's {@code signal} field may hold: a counted {@link Signal}, or {@link #TOXICITY} for the
 * multi-signal toxic-supply alert, which has no count of its own.
 */
public final class AlertSignals {
    /** The multi-signal toxicity alert: overdoses rising where drug checking found a dangerous substance. */
    public static final String TOXICITY = "multi";

    private AlertSignals() {}

    /** Every code an alert may carry, the signals' in enum order, then {@link #TOXICITY}. */
    public static List<String> codes() {
        List<String> codes = new ArrayList<>();
        for (Signal s : Signal.values()) {
            codes.add(s.code());
        }
        codes.add(TOXICITY);
        return codes;
    }
}
