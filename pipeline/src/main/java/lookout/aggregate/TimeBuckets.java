package lookout.aggregate;

import java.io.Serializable;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Hour, local-day and local-week bucket starts in one zone. Days follow the zone's calendar, so they are 23–25 hours
 * long.
 *
 * <p>Every event asks for its buckets, so they are worked out by arithmetic on the zone's offset, which is constant
 * between two of its transitions ({@link Span}). The definition is {@link ZonedDateTime}'s, and it still answers
 * within two days after a transition, where an hour's or a day's start may fall before the transition or in the
 * local times it repeats: the arithmetic is exact everywhere else (TimeBucketsTest compares the two).
 */
public final class TimeBuckets implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String HOUR = "hour";
    public static final String DAY = "day";

    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 86_400_000L;
    /** Longer than any change of offset (at most 36 hours), so no bucket start that far after a transition is near it. */
    private static final long MARGIN_MS = 2 * DAY_MS;
    /** Beyond four-digit years either way and far from overflowing when an offset is added. */
    private static final long ARITHMETIC_LIMIT_MS = 1L << 50;
    /** Spans remembered: a backfill's events come in no time order, and a year of them falls in two or three. */
    private static final int SPANS = 8;
    /** What {@link #arithmeticOffset} answers where {@link ZonedDateTime} must. */
    private static final long NO_OFFSET = Long.MIN_VALUE;

    private final ZoneId zone;
    /**
     * The spans looked up last, as a small cache: each slot holds an immutable span, so a subtask sharing this
     * object at worst looks a span up again.
     */
    private transient Span[] spans;
    private transient int nextSlot;

    public TimeBuckets(ZoneId zone) {
        this.zone = zone;
    }

    /** Epoch seconds of the start of the hour containing {@code epochMillis}, in this zone. */
    public long hourStart(long epochMillis) {
        long offset = arithmeticOffset(epochMillis);
        if (offset == NO_OFFSET) {
            return zoned(epochMillis).truncatedTo(ChronoUnit.HOURS).toEpochSecond();
        }
        // An offset is whole seconds, so the start is too.
        return (epochMillis - Math.floorMod(epochMillis + offset, HOUR_MS)) / 1000;
    }

    /** Epoch seconds of the start of the local day containing {@code epochMillis}, in this zone. */
    public long dayStart(long epochMillis) {
        long offset = arithmeticOffset(epochMillis);
        if (offset == NO_OFFSET) {
            return zoned(epochMillis).toLocalDate().atStartOfDay(zone).toEpochSecond();
        }
        return (epochMillis - Math.floorMod(epochMillis + offset, DAY_MS)) / 1000;
    }

    /** The local day containing {@code epochMillis} in this zone, as an epoch day ({@link LocalDate#toEpochDay}). */
    public long localDay(long epochMillis) {
        long offset = arithmeticOffset(epochMillis);
        if (offset == NO_OFFSET) {
            return zoned(epochMillis).toLocalDate().toEpochDay();
        }
        return Math.floorDiv(epochMillis + offset, DAY_MS);
    }

    /** The Monday that starts the local week containing {@code epochMillis} in this zone, as an epoch day. */
    public long weekStartDay(long epochMillis) {
        long offset = arithmeticOffset(epochMillis);
        if (offset == NO_OFFSET) {
            return zoned(epochMillis).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toEpochDay();
        }
        long day = Math.floorDiv(epochMillis + offset, DAY_MS);
        // Epoch day 0, 1970-01-01, was a Thursday: three days after a Monday.
        return day - Math.floorMod(day + 3, 7);
    }

    /** An epoch day as an ISO date (YYYY-MM-DD), as the tables' day columns take it. */
    public static String isoDate(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).toString();
    }

    private ZonedDateTime zoned(long epochMillis) {
        return ZonedDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), zone);
    }

    /** The zone's offset at {@code epochMillis} in milliseconds when the arithmetic is exact there, else {@link #NO_OFFSET}. */
    private long arithmeticOffset(long epochMillis) {
        Span[] cache = spans;
        if (cache == null) {
            cache = new Span[SPANS];
            spans = cache;
        }
        for (Span s : cache) {
            if (s != null && s.contains(epochMillis)) {
                return s.offsetAt(epochMillis);
            }
        }
        Span found = Span.around(zone.getRules(), epochMillis);
        int slot = nextSlot;
        cache[slot] = found;
        nextSlot = (slot + 1) % SPANS;
        return found.offsetAt(epochMillis);
    }

    /**
     * A stretch of time [{@code from}, {@code until}) with one offset, and the part of it where the arithmetic is exact:
     * from two days after its start, and within {@link #ARITHMETIC_LIMIT_MS} of the epoch.
     */
    private record Span(long from, long until, long offsetMs, long arithmeticFrom, long arithmeticUntil) {
        /** The span containing {@code epochMillis}: between the transitions before and after it. */
        static Span around(ZoneRules rules, long epochMillis) {
            Instant at = Instant.ofEpochMilli(epochMillis);
            ZoneOffset offset = rules.getOffset(at);
            ZoneOffsetTransition before = rules.previousTransition(at);
            ZoneOffsetTransition after = rules.nextTransition(at);
            // At a transition's very instant the previous one is the transition before it; the span then starts here.
            long from = before == null ? Long.MIN_VALUE
                    : before.getOffsetAfter().equals(offset) ? before.toEpochSecond() * 1000 : epochMillis;
            long until = after == null ? Long.MAX_VALUE
                    : after.getOffsetBefore().equals(offset) ? after.toEpochSecond() * 1000 : epochMillis + 1;
            return new Span(from, until, offset.getTotalSeconds() * 1000L,
                    Math.max(from + MARGIN_MS, -ARITHMETIC_LIMIT_MS), Math.min(until, ARITHMETIC_LIMIT_MS));
        }

        boolean contains(long epochMillis) {
            return epochMillis >= from && epochMillis < until;
        }

        long offsetAt(long epochMillis) {
            return epochMillis >= arithmeticFrom && epochMillis < arithmeticUntil ? offsetMs : NO_OFFSET;
        }
    }
}
