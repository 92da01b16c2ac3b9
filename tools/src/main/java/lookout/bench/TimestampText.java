package lookout.bench;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * ISO-8601 with offset, to the second, fast enough for millions of lines. Zone offsets change only on whole
 * hours in the zones Lookout serves, so everything but minutes and seconds is cached per hour. Not thread-safe.
 */
final class TimestampText {
    private final ZoneId zone;
    private long cachedHour = Long.MIN_VALUE;
    private String prefix;
    private String offset;
    private int year;

    TimestampText(ZoneId zone) {
        this.zone = zone;
    }

    void append(long millis, StringBuilder b) {
        long seconds = Math.floorDiv(millis, 1000);
        long hour = Math.floorDiv(seconds, 3600);
        if (hour != cachedHour) {
            ZoneOffset o = zone.getRules().getOffset(Instant.ofEpochSecond(hour * 3600));
            LocalDateTime local = LocalDateTime.ofEpochSecond(hour * 3600, 0, o);
            cachedHour = hour;
            year = local.getYear();
            prefix = String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:", local.getYear(), local.getMonthValue(),
                    local.getDayOfMonth(), local.getHour());
            offset = o.getTotalSeconds() == 0 ? "+00:00" : o.getId();
        }
        int inHour = (int) (seconds - hour * 3600);
        b.append(prefix);
        two(inHour / 60, b);
        b.append(':');
        two(inHour % 60, b);
        b.append(offset);
    }

    String format(long millis) {
        StringBuilder b = new StringBuilder(25);
        append(millis, b);
        return b.toString();
    }

    /** The local year of the last timestamp written. */
    int year() {
        return year;
    }

    private static void two(int v, StringBuilder b) {
        b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
