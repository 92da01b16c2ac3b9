package lookout.detect;

/**
 * One signal's estimated share of a day's reports that are in by the as-of day, by the day's age: what
 * {@link ReportingDelayWatch} broadcasts, a day at a time. Shares, not counts: nothing here is about an area. A
 * Flink POJO.
 */
public final class ReportingShares {
    public String signal;
    /** The latest local day reports are in for, as an epoch day. */
    public long asOfDay;
    /** {@code share[age]}: the share of the reports of the day {@code age} days before the as-of day in by then. */
    public double[] share;

    public ReportingShares() {}

    public static ReportingShares of(String signal, long asOfDay, double[] share) {
        ReportingShares s = new ReportingShares();
        s.signal = signal;
        s.asOfDay = asOfDay;
        s.share = share.clone();
        return s;
    }

    /**
     * The share of the reports of {@code epochDay} in by the as-of day: every one once the day is older than the
     * longest delay told apart; a day after the as-of day (shares a day old when its reports arrive) counts as the
     * as-of day.
     */
    public double shareOf(long epochDay) {
        long age = Math.max(0, asOfDay - epochDay);
        return age >= share.length ? 1 : share[(int) age];
    }
}
