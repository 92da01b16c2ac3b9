package lookout.detect;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * {@link DayClock}'s answers, remembered: the count detectors ask for the day of every event and the end of the
 * day they judge next, and each answer from {@link DayClock} is a search of the zone's rules. The day of an instant
 * is worked out from the zone's offset, kept with the span of instants it holds for (between two of the zone's
 * transitions), exactly as {@link DayClock#dayOf} does with the offset it looks up; the last two spans and the
 * starts of the last two days asked for are kept. Not thread-safe: one per operator instance.
 */
final class DayCache {
    private static final long DAY = 86_400_000L;

    private final DayClock clock;
    private final ZoneRules rules;
    /**
     * The zone's offset, in ms, for the instants from {@code spanFrom} (inclusive) to {@code spanTo} (exclusive),
     * and the span asked for before it: an operator asks for the day of each event and of the city's first one,
     * which may lie on either side of a daylight saving change.
     */
    private long offsetMillis;
    private long spanFrom = Long.MAX_VALUE;
    private long spanTo = Long.MIN_VALUE;
    private long otherOffsetMillis;
    private long otherFrom = Long.MAX_VALUE;
    private long otherTo = Long.MIN_VALUE;
    /** The last two days whose start was asked for, the latest first, and their starts. */
    private long day1 = Long.MIN_VALUE;
    private long start1;
    private long day2 = Long.MIN_VALUE;
    private long start2;

    DayCache(ZoneId zone) {
        this.clock = new DayClock(zone);
        this.rules = zone.getRules();
    }

    /** As {@link DayClock#dayOf}. */
    long dayOf(long epochMillis) {
        if (epochMillis < spanFrom || epochMillis >= spanTo) {
            long offset = offsetMillis;
            long from = spanFrom;
            long to = spanTo;
            if (epochMillis >= otherFrom && epochMillis < otherTo) {
                offsetMillis = otherOffsetMillis;
                spanFrom = otherFrom;
                spanTo = otherTo;
            } else {
                span(epochMillis);
            }
            otherOffsetMillis = offset;
            otherFrom = from;
            otherTo = to;
        }
        return Math.floorDiv(epochMillis + offsetMillis, DAY);
    }

    /** As {@link DayClock#startOf}. */
    long startOf(long epochDay) {
        if (epochDay != day1) {
            long start = epochDay == day2 ? start2 : clock.startOf(epochDay);
            day2 = day1;
            start2 = start1;
            day1 = epochDay;
            start1 = start;
        }
        return start1;
    }

    /** As {@link DayClock#endOf}. */
    long endOf(long epochDay) {
        return startOf(epochDay + 1) - 1;
    }

    /**
     * Finds the offset at {@code epochMillis} and the span it holds for: from the zone's transition before it to
     * the one after, each checked, since a transition's own instant belongs to the offset after it.
     */
    private void span(long epochMillis) {
        Instant at = Instant.ofEpochMilli(epochMillis);
        ZoneOffset offset = rules.getOffset(at);
        offsetMillis = offset.getTotalSeconds() * 1000L;
        ZoneOffsetTransition previous = rules.previousTransition(at);
        spanFrom = previous == null ? Long.MIN_VALUE : previous.toEpochSecond() * 1000L;
        if (previous != null
                && (spanFrom > epochMillis || !rules.getOffset(previous.getInstant()).equals(offset))) {
            spanFrom = epochMillis;
        }
        ZoneOffsetTransition next = rules.nextTransition(at);
        spanTo = next == null ? Long.MAX_VALUE : next.toEpochSecond() * 1000L;
        if (next != null
                && (spanTo <= epochMillis || !rules.getOffset(Instant.ofEpochMilli(spanTo - 1)).equals(offset))) {
            spanTo = epochMillis + 1;
        }
    }
}
