package lookout.detect;

/**
 * Counts per calendar day for the last {@code capacity} days of one key (an area's drug-checking samples, or the
 * samples of an area in which one substance was found): fixed in size however many samples arrive. A Flink POJO.
 */
public final class DayRing {
    public int[] counts;
    /** The newest day stored (epoch day), or Long.MIN_VALUE when empty. */
    public long newest = Long.MIN_VALUE;

    public DayRing() {}

    public DayRing(int capacity) {
        this.counts = new int[capacity];
    }

    /** Adds one on {@code day}; a day older than the kept range is ignored. */
    public void add(long day) {
        if (newest == Long.MIN_VALUE) {
            newest = day;
        } else if (day > newest) {
            for (long d = Math.max(newest + 1, day - counts.length + 1); d <= day; d++) {
                counts[slot(d)] = 0;
            }
            newest = day;
        } else if (day <= newest - counts.length) {
            return;
        }
        counts[slot(day)]++;
    }

    /** The count of days {@code from..to} (inclusive); days outside the kept range count zero. */
    public int sum(long from, long to) {
        if (newest == Long.MIN_VALUE) {
            return 0;
        }
        long first = Math.max(from, newest - counts.length + 1);
        long last = Math.min(to, newest);
        if (first > last) {
            return 0;
        }
        // Walks the slots from the first day's, wrapping at the end, rather than working out each day's slot.
        int s = 0;
        int slot = slot(first);
        for (long d = first; d <= last; d++) {
            s += counts[slot];
            slot = slot + 1 == counts.length ? 0 : slot + 1;
        }
        return s;
    }

    private int slot(long day) {
        return (int) Math.floorMod(day, (long) counts.length);
    }
}
