package lookout.notify;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;

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

    /**
     * The first instant at or after {@code t} outside the quiet hours. On the night the clocks go back the end's
     * local time comes twice: the one after {@code t} is meant (in {@code t}'s offset when it is valid then). On the
     * night they go forward it may not come at all: the quiet hours end when the clock jumps past it.
     */
    public ZonedDateTime end(ZonedDateTime t) {
        if (!contains(t)) {
            return t;
        }
        LocalDateTime end = t.toLocalDate().atTime(to);
        if (!end.isAfter(t.toLocalDateTime())) {
            end = end.plusDays(1);
        }
        ZoneOffsetTransition gap = t.getZone().getRules().getTransition(end);
        if (gap != null && gap.isGap()) {
            return gap.getInstant().atZone(t.getZone());
        }
        return ZonedDateTime.ofLocal(end, t.getZone(), t.getOffset());
    }
}
