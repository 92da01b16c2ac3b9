package lookout.notify;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;

/**
 * A daily period, in the notifier's time zone, during which a subscriber receives nothing; what arrives then is
 * held until it ends. {@code from} after {@code to} spans midnight (23:00 to 07:00).
 */
public record QuietHours(LocalTime from, LocalTime to) {
    public boolean contains(ZonedDateTime t) {
        LocalTime time = t.toLocalTime();
        if (from.isBefore(to)) {
            return !time.isBefore(from) && time.isBefore(to);
        }
        return !time.isBefore(from) || time.isBefore(to);
    }

    /** The first instant at or after {@code t} outside the quiet hours. */
    public ZonedDateTime end(ZonedDateTime t) {
        if (!contains(t)) {
            return t;
        }
        LocalDateTime end = t.toLocalDate().atTime(to);
        if (!end.isAfter(t.toLocalDateTime())) {
            end = end.plusDays(1);
        }
        return end.atZone(t.getZone());
    }
}
