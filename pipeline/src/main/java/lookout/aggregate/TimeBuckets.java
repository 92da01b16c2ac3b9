package lookout.aggregate;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/**
 * Hour, local-day and local-week bucket starts in one zone. Days follow the zone's calendar, so they are 23–25 hours
 * long.
 */
public record TimeBuckets(ZoneId zone) implements Serializable {
    public static final String HOUR = "hour";
    public static final String DAY = "day";

    /** Epoch seconds of the start of the hour containing {@code epochMillis}, in this zone. */
    public long hourStart(long epochMillis) {
        return ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone).truncatedTo(ChronoUnit.HOURS).toEpochSecond();
    }

    /** The ISO date of the Monday that starts the local week containing {@code epochMillis}, in this zone. */
    public String weekStart(long epochMillis) {
        return ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone).toLocalDate()
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toString();
    }

    /** The ISO date of the local day containing {@code epochMillis}, in this zone. */
    public String day(long epochMillis) {
        return ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone).toLocalDate().toString();
    }

    /** Epoch seconds of the start of the local day containing {@code epochMillis}, in this zone. */
    public long dayStart(long epochMillis) {
        return ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone).toLocalDate().atStartOfDay(zone).toEpochSecond();
    }
}
