package lookout.detect;

/**
 * What the scan operator reads, one union type so that a BATCH run keeps time order within its key (the signal):
 * an event of an area, or what an area's baseline expected on a day (from its daily detector's verdict).
 * A Flink POJO.
 */
public final class ScanInput {
    public String signal;
    public String area;
    /** An event's time, epoch ms; for an expectation, unused. */
    public long time;
    /** An expectation's day (epoch day); for an event, unused. */
    public long day;
    /** The expectation, or NaN for an event. */
    public double expected = Double.NaN;

    public ScanInput() {}

    public static ScanInput event(String area, String signal, long time) {
        ScanInput in = new ScanInput();
        in.area = area;
        in.signal = signal;
        in.time = time;
        return in;
    }

    public static ScanInput expectation(String area, String signal, long day, double expected) {
        ScanInput in = new ScanInput();
        in.area = area;
        in.signal = signal;
        in.day = day;
        in.expected = expected;
        return in;
    }

    public boolean isEvent() {
        return Double.isNaN(expected);
    }
}
