package lookout.detect;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** Calendar days in the configured zone, as epoch days, and their boundaries in epoch ms. */
public record DayClock(ZoneId zone) {
    public long dayOf(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atZone(zone).toLocalDate().toEpochDay();
    }

    public long startOf(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /** The last millisecond of the day: a timer here fires once the watermark has passed every event of the day. */
    public long endOf(long epochDay) {
        return startOf(epochDay + 1) - 1;
    }
}
