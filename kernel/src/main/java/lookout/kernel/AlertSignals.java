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
    /**
     * The signals whose counts open alerts. The coroner's reports come weeks too late to warn anyone, drug checking
     * counts samples rather than overdoses (its findings raise {@link #TOXICITY} alerts), and {@code combined} counts
     * the same overdoses as these two (docs/DETECTION.md, "Several signals").
     */
    public static final List<Signal> COUNTED = List.of(Signal.PARAMEDIC, Signal.NALOXONE);

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

    /** The codes the alerts Lookout opens carry: the {@link #COUNTED} signals', then {@link #TOXICITY}. */
    public static List<String> raised() {
        List<String> codes = new ArrayList<>();
        for (Signal s : COUNTED) {
            codes.add(s.code());
        }
        codes.add(TOXICITY);
        return codes;
    }
}
