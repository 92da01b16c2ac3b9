package lookout.kernel;

import java.util.Locale;

/**
 * Where an alert is in its lifecycle, in order; the {@code status} field of an alert snapshot is the code. Of two
 * snapshots of one alert with the same update time, the one further along this order is the newer.
 */
public enum AlertStatus {
    OPENED, UPDATED, CLOSED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
