package lookout.detect;

/**
 * What the scan operator reads, one union type so that a BATCH run keeps time order within its key (the signal):
 * an event of an area, what an area's baseline expected on a day (from its daily detector's verdict), or that the
 * area's own detectors fired on a day (a snapshot of its own alert). A Flink POJO.
 */
public final class ScanInput {
    /** The kinds of input. */
    public static final int EVENT = 0;
    public static final int EXPECTATION = 1;
    public static final int ALERTED = 2;

    public int kind;
    public String signal;
    public String area;
    /** An event's time, epoch ms; for an expectation, unused. */
    public long time;
    /** An expectation's or a firing's day (epoch day); for an event, unused. */
    public long day;
    /** The expectation; NaN for the other kinds. */
    public double expected = Double.NaN;

    public ScanInput() {}

    public static ScanInput event(String area, String signal, long time) {
        ScanInput in = new ScanInput();
        in.area = area;
        in.signal = signal;
        in.time = time;
        in.kind = EVENT;
        return in;
    }

    public static ScanInput expectation(String area, String signal, long day, double expected) {
        ScanInput in = new ScanInput();
        in.area = area;
        in.signal = signal;
        in.day = day;
        in.expected = expected;
        in.kind = EXPECTATION;
        return in;
    }

    public static ScanInput alerted(String area, String signal, long day) {
        ScanInput in = new ScanInput();
        in.area = area;
        in.signal = signal;
        in.day = day;
        in.kind = ALERTED;
        return in;
    }
}
