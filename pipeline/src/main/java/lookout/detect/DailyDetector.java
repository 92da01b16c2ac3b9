package lookout.detect;

/**
 * A detector that judges one day of a daily count series from the days before it. Implementations hold no state
 * of their own: everything they read is in the {@link DailyHistory}, so a Flink operator keeps only the trailing
 * {@link #historyDays()} counts (and the last alarm) per area and signal.
 */
public interface DailyDetector extends java.io.Serializable {
    /** The name written to {@code detector_alarms.method}. */
    String method();

    /** How many days before today the detector reads; {@code evaluate} needs {@code h.t() >= historyDays()}. */
    int historyDays();

    /** Fewer days than this and the detector has no opinion yet (a new area, a fresh deployment). */
    default int minHistoryDays() {
        return historyDays();
    }

    DailyVerdict evaluate(DailyHistory h);
}
