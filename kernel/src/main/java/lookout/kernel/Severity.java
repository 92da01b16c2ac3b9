package lookout.kernel;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How serious a spike alert is, in rising order; the {@code severity} field of an alert is the code. Services
 * compare severities by this order (a subscriber's minimum, an alert that worsened).
 */
public enum Severity {
    LOW, MODERATE, HIGH, CRITICAL;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Severity> fromCode(String code) {
        return Arrays.stream(values()).filter(s -> s.code().equals(code)).findFirst();
    }
}
