package lookout.detect;

import java.util.Arrays;

/**
 * The evaluated days of one area and signal: a fixed ring of the last {@code capacity} daily counts plus the
 * bookkeeping of the daily timer chain. A Flink POJO; its size never depends on how many events arrived.
 *
 * <p>State outlives the build that wrote it (a job restored from a checkpoint or savepoint of an earlier release),
 * so the last alarms are kept with their methods' names and {@link #fit} matches them to the job's methods by name.
 */
public final class DailyCounts {
    public static final long NONE = Long.MIN_VALUE;
    /**
     * The methods of {@link #lastAlarmDay} in state written before the names were kept: that release's analyst
     * detectors, in its order ({@code DetectorCatalog.analystDetectors()} then).
     */
    static final String[] UNNAMED_METHODS = {"earsC_C1", "earsC_C2", "earsC_C3_alpha0.001", "excessglr_default",
            "excessglr_sensitive", "excessglr_alert"};

    /** counts[day % capacity] for days newestDay-capacity+1 .. newestDay. */
    public int[] counts;
    /** The last day evaluated (epoch day), or NONE. */
    public long newestDay = NONE;
    /**
     * The first day watched: the city's of this key's signal ({@link WatchingSince}) or, until that is known, this
     * key's first event.
     * Earlier days are unknown; later ones without an event are zeros.
     */
    public long firstDay = NONE;
    /**
     * The oldest day whose count the ring still holds after it was widened (a build whose methods read a longer
     * history restored this state), or NONE: the days before it were counted but dropped, so they are unknown
     * however early the watching started.
     */
    public long keptSince = NONE;
    /** The analyst detectors' method names, in the order of {@link #lastAlarmDay}; null in older state. */
    public String[] methods;
    /** Per analyst detector, the last day it alarmed (restarting detectors read it), or NONE. */
    public long[] lastAlarmDay;
    /** Consecutive evaluated days with no events. */
    public int quietRun;
    /** The next day to evaluate while the timer chain runs, or NONE when it has stopped. */
    public long nextEvalDay = NONE;
    /** The last day on which a detector fired for the alert lifecycle, or NONE. */
    public long lastFiringDay = NONE;

    public DailyCounts() {}

    /** @param methods the analyst detectors' method names, in the order the detector judges them */
    public DailyCounts(int capacity, String[] methods) {
        counts = new int[capacity];
        this.methods = methods.clone();
        lastAlarmDay = new long[methods.length];
        Arrays.fill(lastAlarmDay, NONE);
    }

    /**
     * Fits state written by any build to a job judging {@code methods} with a ring of {@code capacity} days: each
     * method keeps its own last alarm (found by name), a method new to the state starts with none and a method the
     * job no longer runs is forgotten; the ring takes the new capacity (see {@link #keptSince}). Does nothing when
     * the state already fits, which is every time but the first after a restore across a change of the methods.
     */
    public void fit(String[] methods, int capacity) {
        if (!Arrays.equals(this.methods, methods)) {
            lastAlarmDay = lastAlarmsOf(methods);
            this.methods = methods.clone();
        }
        if (counts.length != capacity) {
            resize(capacity);
        }
    }

    private long[] lastAlarmsOf(String[] wanted) {
        String[] held = methods == null ? UNNAMED_METHODS : methods;
        long[] out = new long[wanted.length];
        Arrays.fill(out, NONE);
        for (int i = 0; i < wanted.length; i++) {
            for (int j = 0; j < Math.min(held.length, lastAlarmDay.length); j++) {
                if (held[j].equals(wanted[i])) {
                    out[i] = lastAlarmDay[j];
                }
            }
        }
        return out;
    }

    /** Moves the newest days into a ring of {@code capacity}; a wider one holds nothing before them. */
    private void resize(int capacity) {
        int[] old = counts;
        counts = new int[capacity];
        long oldest = newestDay - old.length + 1;
        for (long day = Math.max(oldest, newestDay - capacity + 1); day <= newestDay; day++) {
            counts[slot(day)] = old[(int) Math.floorMod(day, (long) old.length)];
        }
        if (capacity > old.length) {
            keptSince = Math.max(keptSince, oldest);
        }
    }

    /**
     * Moves the start of the history back to {@code day}. Days before the old start were never written (the ring
     * only ever holds days from the start on), so they read as the zeros they were; days a narrower ring dropped
     * stay unknown ({@link #keptSince}).
     */
    public void watchedSince(long day) {
        firstDay = Math.min(firstDay, day);
    }

    /** Appends the count of day newestDay + 1. */
    public void push(int count) {
        newestDay++;
        counts[slot(newestDay)] = count;
    }

    /** Adds a late event to an already evaluated day still in the ring; older ones no longer matter. */
    public void addLate(long day) {
        if (day <= newestDay && day > newestDay - counts.length && day >= firstKnownDay()) {
            counts[slot(day)]++;
        }
    }

    /** The known days up to newestDay, oldest first (at most the ring's length). */
    public int[] window() {
        int n = (int) Math.min(counts.length, newestDay - firstKnownDay() + 1);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = counts[slot(newestDay - n + 1 + i)];
        }
        return out;
    }

    private long firstKnownDay() {
        return Math.max(firstDay, keptSince);
    }

    private int slot(long day) {
        return (int) Math.floorMod(day, (long) counts.length);
    }
}
