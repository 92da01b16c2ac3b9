package lookout.ingest;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.OptionalDouble;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;

/**
 * The usual gap between a source's accepted records, learned by hour of the week, and the rule that calls a feed
 * silent. Plain Java: the keyed operator {@link FeedWatch} keeps one {@link Gaps} per hour of the week in its state.
 *
 * <p>The rule: a gap is attributed to the hour of the week (in the city's zone) in which it began. An hour's usual
 * gap is the mean of its gaps (after {@link #FULL_WEIGHT} gaps, an exponentially weighted mean, so it follows a feed
 * whose rhythm changes). When the hour has fewer than {@code minHistory} gaps, the same hour of the day over the
 * whole week is used, then all hours together; with fewer than {@code minHistory} gaps in all of them the usual
 * gap is unknown and the source is never called silent, so a fresh deployment does not cry wolf. The usual gap is
 * never shorter than {@code floor}. A source is silent once the time since its last accepted record exceeds
 * {@code multiple} usual gaps. Gaps that ended a silence are not learned: an outage is not a usual gap.
 */
public final class UsualGap {
    public static final int HOURS_OF_WEEK = 7 * 24;
    /** Gaps of one hour of the week averaged with equal weight; later ones weigh 1/FULL_WEIGHT each. */
    static final int FULL_WEIGHT = 100;

    /**
     * What is known of one hour of the week: how many gaps were learned (at most {@link #FULL_WEIGHT} count) and
     * their mean in milliseconds. A Flink POJO, kept in keyed state.
     */
    public static final class Gaps {
        public long count;
        public double meanMillis;

        public Gaps() {}

        public Gaps(long count, double meanMillis) {
            this.count = count;
            this.meanMillis = meanMillis;
        }

        /** These gaps and one more. */
        public Gaps plus(long gapMillis) {
            long n = Math.min(count + 1, FULL_WEIGHT);
            return new Gaps(count + 1, meanMillis + (gapMillis - meanMillis) / n);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Gaps g && g.count == count && g.meanMillis == meanMillis;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(count) * 31 + Double.hashCode(meanMillis);
        }

        @Override
        public String toString() {
            return count + " gaps of " + meanMillis + " ms";
        }
    }

    private final double multiple;
    private final long floorMillis;
    private final int minHistory;

    public UsualGap(double multiple, long floorMillis, int minHistory) {
        if (!(multiple > 1) || floorMillis <= 0 || minHistory < 1) {
            throw new IllegalArgumentException("multiple > 1, floor > 0 and minHistory >= 1 required");
        }
        this.multiple = multiple;
        this.floorMillis = floorMillis;
        this.minHistory = minHistory;
    }

    /** Hour of the week of an instant in {@code zone}: 0 is Monday 00:00 to 01:00, 167 Sunday 23:00 to 24:00. */
    public static int hourOfWeek(long epochMillis, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(zone);
        return (t.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue()) * 24 + t.getHour();
    }

    /**
     * The usual gap in milliseconds for a gap beginning in {@code hourOfWeek}, or empty when no bucket has
     * {@code minHistory} gaps; {@code history} gives an hour of the week's gaps (null: none).
     */
    public OptionalDouble usualMillis(int hourOfWeek, IntFunction<Gaps> history) {
        Gaps hour = history.apply(hourOfWeek);
        if (hour != null && hour.count >= minHistory) {
            return floored(hour.meanMillis);
        }
        Gaps sameHourOfDay = pooled(history, h -> h % 24 == hourOfWeek % 24);
        if (sameHourOfDay.count >= minHistory) {
            return floored(sameHourOfDay.meanMillis);
        }
        Gaps all = pooled(history, h -> true);
        return all.count >= minHistory ? floored(all.meanMillis) : OptionalDouble.empty();
    }

    /** How long after the last accepted record the source becomes silent, given its usual gap. */
    public long silenceAfterMillis(double usualMillis) {
        return (long) Math.ceil(multiple * usualMillis);
    }

    /** The earliest a source can become silent whatever its history: the floor's multiple. */
    public long earliestSilenceMillis() {
        return silenceAfterMillis(floorMillis);
    }

    private OptionalDouble floored(double meanMillis) {
        return OptionalDouble.of(Math.max(meanMillis, floorMillis));
    }

    /** Gaps of the hours that {@code include} picks, their means weighted by their counts. */
    private static Gaps pooled(IntFunction<Gaps> history, IntPredicate include) {
        long count = 0;
        double sum = 0;
        for (int h = 0; h < HOURS_OF_WEEK; h++) {
            Gaps g = include.test(h) ? history.apply(h) : null;
            if (g != null) {
                count += g.count;
                sum += g.count * g.meanMillis;
            }
        }
        return new Gaps(count, count == 0 ? 0 : sum / count);
    }
}
