package lookout.kernel;

import java.util.Locale;
import java.util.Optional;

/**
 * How serious a spike alert is, in rising order; the {@code severity} field of an alert is the code. Services
 * compare severities by this order (a subscriber's minimum, an alert that worsened).
 */
public enum Severity {
    LOW, MODERATE, HIGH, CRITICAL;

    /** Looked up on every firing of an open alert, so neither the array nor the codes are made again per call. */
    private static final Severity[] ALL = values();
    private final String code = name().toLowerCase(Locale.ROOT);

    public String code() {
        return code;
    }

    public static Optional<Severity> fromCode(String code) {
        for (Severity s : ALL) {
            if (s.code.equals(code)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
