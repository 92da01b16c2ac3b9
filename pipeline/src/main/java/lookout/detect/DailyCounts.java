package lookout.detect;

/**
 * The evaluated days of one area and signal: a fixed ring of the last {@code capacity} daily counts plus the
 * bookkeeping of the daily timer chain. A Flink POJO; its size never depends on how many events arrived.
 */
public final class DailyCounts {
    public static final long NONE = Long.MIN_VALUE;

    /** counts[day % capacity] for days newestDay-capacity+1 .. newestDay. */
    public int[] counts;
    /** The last day evaluated (epoch day), or NONE. */
    public long newestDay = NONE;
    /**
     * The first day watched: the city's ({@link WatchingSince}) or, until that is known, this key's first event.
     * Earlier days are unknown; later ones without an event are zeros.
     */
    public long firstDay = NONE;
    /** Per analyst detector, the last day it alarmed (restarting detectors read it), or NONE. */
    public long[] lastAlarmDay;
    /** Consecutive evaluated days with no events. */
    public int quietRun;
    /** The next day to evaluate while the timer chain runs, or NONE when it has stopped. */
    public long nextEvalDay = NONE;
    /** The last day on which a detector fired for the alert lifecycle, or NONE. */
    public long lastFiringDay = NONE;

    public DailyCounts() {}

    public DailyCounts(int capacity, int detectors) {
        counts = new int[capacity];
        lastAlarmDay = new long[detectors];
        java.util.Arrays.fill(lastAlarmDay, NONE);
    }

    /**
     * Moves the start of the history back to {@code day}. Days before the old start were never written (the ring
     * only ever holds days from the start on), so they read as the zeros they were.
     */
    public void watchedSince(long day) {
        firstDay = Math.min(firstDay, day);
    }

    /** Appends the count of day newestDay + 1. */
    public void push(int count) {
        newestDay++;
        counts[(int) Math.floorMod(newestDay, (long) counts.length)] = count;
    }

    /** Adds a late event to an already evaluated day still in the ring; older ones no longer matter. */
    public void addLate(long day) {
        if (day <= newestDay && day > newestDay - counts.length && day >= firstDay) {
            counts[(int) Math.floorMod(day, (long) counts.length)]++;
        }
    }

    /** The known days up to newestDay, oldest first (at most the ring's length). */
    public int[] window() {
        int n = (int) Math.min(counts.length, newestDay - firstDay + 1);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = counts[(int) Math.floorMod(newestDay - n + 1 + i, (long) counts.length)];
        }
        return out;
    }
}
