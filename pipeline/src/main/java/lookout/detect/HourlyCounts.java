package lookout.detect;

/**
 * Event counts per clock hour for the last {@code capacity} hours of one area and signal: the intraday detector's
 * whole state, fixed in size however many events arrive. A Flink POJO (public fields, no-arg constructor) so keyed
 * state stores it with Flink's own serializer.
 */
public final class HourlyCounts {
    /** counts[h % capacity] is hour h (hours since the epoch), for hours newest-capacity+1 .. newest. */
    public int[] counts;
    /** The newest hour stored, or Long.MIN_VALUE when empty. */
    public long newest = Long.MIN_VALUE;
    /** The oldest hour ever stored: before it nothing is known, which is not the same as zero. */
    public long first = Long.MIN_VALUE;

    public HourlyCounts() {}

    public HourlyCounts(int capacity) {
        this.counts = new int[capacity];
    }

    public static long hourOf(long epochMillis) {
        return Math.floorDiv(epochMillis, 3_600_000L);
    }

    /** Adds one event; an hour older than the kept range is ignored (it can no longer change a verdict). */
    public void add(long hour) {
        int cap = counts.length;
        if (newest == Long.MIN_VALUE) {
            newest = hour;
            first = hour;
        } else if (hour > newest) {
            long clear = Math.min(hour - newest, cap);
            for (long h = hour - clear + 1; h <= hour; h++) {
                counts[(int) Math.floorMod(h, (long) cap)] = 0;
            }
            newest = hour;
        } else if (hour <= newest - cap) {
            return;
        }
        first = Math.min(first, hour);
        counts[(int) Math.floorMod(hour, (long) cap)]++;
    }

    /** Events in hours (toHour - hours, toHour]; hours outside the kept range count as zero. */
    public int sum(long toHour, int hours) {
        int s = 0;
        for (long h = toHour - hours + 1; h <= toHour; h++) {
            if (h <= newest && h > newest - counts.length) {
                s += counts[(int) Math.floorMod(h, (long) counts.length)];
            }
        }
        return s;
    }
}
