package lookout.evaluate;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import lookout.detect.DailyHistory;
import lookout.detect.DailyVerdict;
import lookout.detect.ExcessGlrDetector;
import lookout.detect.Explanations;
import lookout.detect.Firing;
import lookout.detect.HourlyCounts;
import lookout.detect.IntradayDetector;
import lookout.detect.SpikeTracker;

/**
 * What the operator does for one area and signal, day by day, in plain Java: the intraday warning on every event,
 * the daily GLR at each day's end, the alert lifecycle; and when (event time, day) each alert opened. Every
 * series' history starts when the city's does, as in the operator.
 */
final class SeriesJudge {
    private final ExcessGlrDetector daily;
    private final IntradayDetector intraday;
    private final ZoneId zone;
    private final long watchedSinceHour;
    private final HourlyCounts hourly;
    private final SpikeTracker tracker = new SpikeTracker(2);
    private final String area;
    private final String signal;
    private int lastAlarm = DailyHistory.NO_ALARM;
    private int lastFiringDay = Integer.MIN_VALUE;
    /** Per alert opened: {event time, day}. */
    final List<long[]> openings = new ArrayList<>();
    /** The first daily alarm on a day the caller marked as a spike day, or Long.MAX_VALUE. */
    long firstDailyAlarmInSpike = Long.MAX_VALUE;
    /** What the daily detector expected on the last day it judged: the expectation the scan reads. */
    double lastExpected = Double.NaN;

    SeriesJudge(ExcessGlrDetector daily, IntradayDetector intraday, ZoneId zone, long watchedSince, String area,
            String signal) {
        this.daily = daily;
        this.intraday = intraday;
        this.zone = zone;
        this.watchedSinceHour = HourlyCounts.hourOf(watchedSince);
        this.hourly = new HourlyCounts(intraday.capacityHours());
        this.area = area;
        this.signal = signal;
    }

    /** Day {@code d}'s events, in time order; judged by the intraday warning only if {@code judge}. */
    void events(int d, long[] sortedTimes, boolean judge) {
        for (long t : sortedTimes) {
            long hour = HourlyCounts.hourOf(t);
            hourly.add(hour);
            hourly.knownSince(watchedSinceHour);
            if (judge) {
                DailyVerdict v = intraday.evaluate(hourly, hour, zone);
                if (v.alarm()) {
                    fire(firing(t, v, intraday.method()), d);
                }
            }
        }
    }

    /** The end of day {@code d}: its daily verdict from {@code counts[0..d]}, then the lifecycle's day end. */
    void endOfDay(int d, LocalDate date, int[] counts, boolean spikeDay) {
        DailyVerdict v = daily.evaluate(new DailyHistory(counts, d, date.getDayOfWeek(), lastAlarm));
        lastExpected = v.expected();
        long end = date.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli() - 1;
        if (v.alarm()) {
            lastAlarm = d;
            fire(firing(end, v, daily.method()), d);
            if (spikeDay) {
                firstDailyAlarmInSpike = Math.min(firstDailyAlarmInSpike, end);
            }
        }
        tracker.endOfDay(end, lastFiringDay >= d);
    }

    /** What the daily detector would expect on day {@code d}, without judging it (days before the evaluation). */
    double expectation(int d, LocalDate date, int[] counts) {
        return daily.evaluate(new DailyHistory(counts, d, date.getDayOfWeek(), DailyHistory.NO_ALARM)).expected();
    }

    /** Whether a detector fired for the alert lifecycle on day {@code d} (what the scan's restart reads). */
    boolean firedOn(int d) {
        return lastFiringDay == d;
    }

    private void fire(Firing f, int day) {
        tracker.fire(area, signal, f).filter(a -> a.getStatus().equals("opened"))
                .ifPresent(a -> openings.add(new long[] {f.time(), day}));
        lastFiringDay = day;
    }

    private static Firing firing(long t, DailyVerdict v, String method) {
        return new Firing(t, method, v.observed(), v.expected(), v.upperbound(), v.score(), t, t,
                Explanations.countSeverity(v.observed(), v.expected()), Map.of(), "");
    }
}
