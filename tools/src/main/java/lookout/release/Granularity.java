package lookout.release;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/** The public tier's time buckets. Weeks are ISO weeks (Monday to Sunday), so a week can straddle two months. */
public enum Granularity {
    DAY("day"),
    WEEK("week"),
    MONTH("month");

    private final String code;

    Granularity(String code) {
        this.code = code;
    }

    /** The name used in file names and the {@code granularity} column. */
    public String code() {
        return code;
    }

    /** The first day of the bucket that contains {@code day}. */
    public LocalDate start(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
    }

    /** The last day (inclusive) of the bucket starting on {@code start}. */
    public LocalDate end(LocalDate start) {
        return switch (this) {
            case DAY -> start;
            case WEEK -> start.plusDays(6);
            case MONTH -> start.with(TemporalAdjusters.lastDayOfMonth());
        };
    }
}
