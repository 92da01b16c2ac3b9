package lookout.detect;

/**
 * Event counts per clock hour for the last {@code capacity} hours of one area and signal: the intraday detector's
 * whole state, fixed in size however many events arrive. A Flink POJO (public fields, no-arg constructor) so keyed
 * state stores it with Flink's own serializer.
 *
 * <p>The ring holds running totals rather than per-hour counts: the detectors sum dozens of windows on every event,
 * and a window's sum is then the difference of two totals instead of a loop over its hours. Totals wrap around in
 * int arithmetic, which leaves every difference below 2^31 exact.
 *
 * <p>State outlives the build that wrote it (a job restored from a checkpoint or savepoint of an earlier release),
 * so {@link #fit} gives a ring the capacity the job's detector now reads.
 */
public final class HourlyCounts {
    /** totals[h % length] is the number of events in hours up to and including h, for hours newest-capacity..newest. */
    public int[] totals;
    /** The newest hour stored, or Long.MIN_VALUE when empty. */
    public long newest = Long.MIN_VALUE;
    /** The oldest hour watched (the first event's, or earlier, see knownSince): before it nothing is known. */
    public long first = Long.MIN_VALUE;
    /**
     * The oldest hour whose count the ring still holds after it was widened (a build whose detector reads a longer
     * history restored this state), or Long.MIN_VALUE: the hours before it were counted but dropped, so they are
     * unknown however early the watching started.
     */
    public long keptSince = Long.MIN_VALUE;

    public HourlyCounts() {}

    public HourlyCounts(int capacity) {
        this.totals = new int[capacity + 1];
    }

    public static long hourOf(long epochMillis) {
        return Math.floorDiv(epochMillis, 3_600_000L);
    }

    private int slot(long hour) {
        return slot(hour, totals);
    }

    private static int slot(long hour, int[] totals) {
        return (int) Math.floorMod(hour, (long) totals.length);
    }

    /**
     * Fits state written by any build to a detector reading {@code capacity} hours: the ring keeps the running
     * totals of the newest hours it holds, so every window sum over them is what it was. A wider ring's hours before
     * those are unknown ({@link #keptSince}); their totals repeat the oldest held, so a window reaching into them
     * counts only the hours held. Does nothing when the ring already has that capacity, which is every time but the
     * first after a restore across a change of the detector's history.
     */
    public void fit(int capacity) {
        if (totals.length == capacity + 1) {
            return;
        }
        int[] old = totals;
        totals = new int[capacity + 1];
        if (newest == Long.MIN_VALUE) {
            return;
        }
        long oldestTotal = newest - (old.length - 1);
        if (capacity + 1 > old.length) {
            keptSince = Math.max(keptSince, oldestTotal + 1);
        }
        int unknown = old[slot(oldestTotal, old)];
        for (long h = newest - capacity; h <= newest; h++) {
            totals[slot(h)] = h < oldestTotal ? unknown : old[slot(h, old)];
        }
    }

    /** Adds one event; an hour older than the kept range is ignored (it can no longer change a verdict). */
    public void add(long hour) {
        int capacity = totals.length - 1;
        if (newest == Long.MIN_VALUE) {
            newest = hour;
            first = hour;
        } else if (hour > newest) {
            int carried = totals[slot(newest)];
            for (long h = Math.max(newest + 1, hour - capacity); h <= hour; h++) {
                totals[slot(h)] = carried;
            }
            newest = hour;
        } else if (hour < oldestKept()) {
            return;
        }
        first = Math.min(first, hour);
        for (long h = hour; h <= newest; h++) {
            totals[slot(h)]++;
        }
    }

    /**
     * Declares the hours from {@code hour} on watched: those before the first event are zeros, not unknown. Hours
     * before the first event were never written, so their running totals are already the zero they should be; hours
     * a narrower ring dropped stay unknown ({@link #keptSince}).
     */
    public void knownSince(long hour) {
        if (newest != Long.MIN_VALUE) {
            first = Math.min(first, hour);
        }
    }

    /**
     * The oldest hour whose count the ring still holds: a window judged after a later hour has moved the ring on, or
     * after the ring was widened, must not count baseline days older than this as days (their sums would read as
     * zeros).
     */
    public long oldestKept() {
        return newest == Long.MIN_VALUE ? Long.MIN_VALUE : Math.max(newest - (totals.length - 1) + 1, keptSince);
    }

    /**
     * The sums of windows of {@code hours} hours ending at the given hours: {@code out[i]} is
     * {@code sum(toHours[i], hours)} for i below {@code n}. The intraday detectors read a window on each of dozens of
     * days for every event; this finds the ring's slot once instead of twice per window (a division each).
     */
    public void sums(long[] toHours, int hours, int n, int[] out) {
        if (newest == Long.MIN_VALUE) {
            java.util.Arrays.fill(out, 0, n, 0);
            return;
        }
        long oldestTotal = newest - (totals.length - 1);
        int newestSlot = slot(newest);
        for (int i = 0; i < n; i++) {
            long to = toHours[i];
            long hi = Math.min(to, newest);
            long lo = Math.max(to - hours, oldestTotal);
            out[i] = hi <= lo ? 0 : totals[slotBack(newestSlot, newest - hi)] - totals[slotBack(newestSlot, newest - lo)];
        }
    }

    /** The slot of the hour {@code back} hours before the newest (0..capacity), from the newest's slot. */
    private int slotBack(int newestSlot, long back) {
        int s = newestSlot - (int) back;
        return s < 0 ? s + totals.length : s;
    }

    /**
     * The running total through {@code hour}, or 0 before the kept range: it changes whenever an event at or before
     * that hour is counted, and only then while the newest hour stays, so it tells a cache of window sums ending
     * there whether they still hold.
     */
    public int totalThrough(long hour) {
        if (newest == Long.MIN_VALUE || hour < newest - (totals.length - 1)) {
            return 0;
        }
        return totals[slot(Math.min(hour, newest))];
    }

    /** Events in hours (toHour - hours, toHour]; hours outside the kept range count as zero. */
    public int sum(long toHour, int hours) {
        long oldestTotal = newest - (totals.length - 1);
        long hi = Math.min(toHour, newest);
        long lo = Math.max(toHour - hours, oldestTotal);
        if (newest == Long.MIN_VALUE || hi <= lo) {
            return 0;
        }
        return totals[slot(hi)] - totals[slot(lo)];
    }
}
