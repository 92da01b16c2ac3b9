package lookout.detect;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import lookout.schema.Alert;

/**
 * The space-time scan of one signal across the city, day by day: each area's daily counts and expectations for the
 * last days, and the cluster alerts open. State is bounded by areas times a fixed ring of days, never by events.
 * A Flink POJO; the scan operator keeps one per signal, the city evaluation runs it directly.
 *
 * <p>Counts come from the events; expectations from the area's baseline as its daily detector judged that day
 * ({@link #expectation}). A day without an expectation for an area (not judged yet, or the area's timer chain has
 * stopped in a quiet spell) takes the area's latest one, and an area never judged takes the baseline's floor.
 *
 * <p>A cluster opens one alert, keyed by the zone's centre area (the {@code area_id} that every reader of alerts
 * keys by) with the zone's areas in its evidence and in words in its explanation. A later cluster sharing an area
 * with an open one updates that alert; the lifecycle is {@link SpikeTracker}'s.
 */
public final class ClusterWatch {
    /** Days kept: the scan's window plus room for events of the days not judged yet. */
    public static final int RING = SpaceTimeScan.MAX_WINDOW + 9;
    /** The expectation of an area never judged: the baseline's floor of half an event over the days it fits. */
    static final double NEVER_JUDGED = ExcessGlrDetector.FLOOR_EVENTS / ExcessGlrDetector.FIT_DAYS;

    public int areas;
    /** counts[slot * areas + a] for the day countDay[slot], slot = day mod RING. */
    public int[] counts;
    public long[] countDay;
    public double[] expected;
    public long[] expectedDay;
    /**
     * Per area, the last day its own detectors fired (an alert of its own opened or updated), or Long.MIN_VALUE.
     * The scan leaves that day and the days before out of the area's counts, as the per-area detector restarts
     * after an alarm: otherwise a spike the area's own alert already reported would make it and any neighbour with
     * an ordinary event a "cluster" for the next week.
     */
    public long[] alertedThrough;
    /** Each area's latest expectation and its day, NaN before its first. */
    public double[] latest;
    public long[] latestDay;
    /**
     * The first day any area's baseline judged: the scan says nothing about earlier days (a new deployment's first
     * weeks, when no baseline exists). {@link Long#MAX_VALUE} until then.
     */
    public long firstBaselineDay = Long.MAX_VALUE;
    /** The cluster alerts open (an array, not a list: Flink serialises it as a POJO field without Kryo). */
    public OpenCluster[] open = new OpenCluster[0];

    /** A cluster alert that is open: its zone (area ids, centre first) and its lifecycle. */
    public static final class OpenCluster {
        public String[] areas;
        public SpikeTracker tracker;
        public long lastFiringDay;

        public OpenCluster() {}
    }

    public ClusterWatch() {}

    public ClusterWatch(int areaCount) {
        areas = areaCount;
        counts = new int[RING * areaCount];
        countDay = new long[RING];
        expected = new double[RING * areaCount];
        expectedDay = new long[RING];
        Arrays.fill(countDay, Long.MIN_VALUE);
        Arrays.fill(expectedDay, Long.MIN_VALUE);
        latest = new double[areaCount];
        latestDay = new long[areaCount];
        Arrays.fill(latest, Double.NaN);
        Arrays.fill(latestDay, Long.MIN_VALUE);
        alertedThrough = new long[areaCount];
        Arrays.fill(alertedThrough, Long.MIN_VALUE);
    }

    /** One event of area index {@code a} on {@code day}; an area the zones do not know (-1) is ignored. */
    public void event(int a, long day) {
        add(a, day, 1);
    }

    /** {@code n} events of area index {@code a} on {@code day}. */
    public void add(int a, long day, int n) {
        if (a < 0) {
            return;
        }
        int slot = slot(day);
        if (countDay[slot] != day) {
            if (countDay[slot] > day) {
                return;
            }
            Arrays.fill(counts, slot * areas, (slot + 1) * areas, 0);
            countDay[slot] = day;
        }
        counts[slot * areas + a] += n;
    }

    /** What area index {@code a}'s baseline expected on {@code day}, as its daily detector judged it. */
    public void expectation(int a, long day, double e) {
        if (a < 0 || !(e >= 0)) {
            return;
        }
        firstBaselineDay = Math.min(firstBaselineDay, day);
        int slot = slot(day);
        if (expectedDay[slot] != day) {
            if (expectedDay[slot] > day) {
                return;
            }
            Arrays.fill(expected, slot * areas, (slot + 1) * areas, Double.NaN);
            expectedDay[slot] = day;
        }
        expected[slot * areas + a] = e;
        if (day >= latestDay[a]) {
            latest[a] = e;
            latestDay[a] = day;
        }
    }

    /** Area index {@code a}'s own detectors fired on {@code day}. */
    public void alerted(int a, long day) {
        if (a >= 0) {
            alertedThrough[a] = Math.max(alertedThrough[a], day);
        }
    }

    /**
     * Judges {@code day} (an epoch day, a calendar day in {@code zone}): the scan over the last days, then the
     * lifecycle of the cluster alerts. Returns the snapshots to publish.
     */
    public List<Alert> judge(long day, String signal, ScanSettings settings, int quietDaysToClose, ZoneId zone) {
        long dayEnd = new DayClock(zone).endOf(day);
        List<Alert> out = new ArrayList<>();
        if (day < firstBaselineDay) {
            return out;
        }
        int w = SpaceTimeScan.MAX_WINDOW;
        int[][] obs = new int[areas][w];
        double[][] exp = new double[areas][w];
        for (int j = 0; j < w; j++) {
            long d = day - j;
            int slot = slot(d);
            for (int a = 0; a < areas; a++) {
                if (d <= alertedThrough[a]) {
                    continue;
                }
                obs[a][j] = countDay[slot] == d ? counts[slot * areas + a] : 0;
                double e = expectedDay[slot] == d ? expected[slot * areas + a] : Double.NaN;
                exp[a][j] = !Double.isNaN(e) ? e : !Double.isNaN(latest[a]) ? latest[a] : NEVER_JUDGED;
            }
        }
        List<String> ids = settings.scan().zones().areas();
        List<OpenCluster> live = new ArrayList<>(List.of(open));
        for (SpaceTimeScan.Cluster c : settings.scan().clusters(obs, exp)) {
            List<String> zoneAreas = Arrays.stream(c.areas()).mapToObj(ids::get).toList();
            OpenCluster target = live.stream().filter(o -> Arrays.stream(o.areas).anyMatch(zoneAreas::contains))
                    .findFirst().orElse(null);
            if (target == null) {
                if (live.size() >= settings.maxOpen()) {
                    continue;
                }
                target = new OpenCluster();
                target.tracker = new SpikeTracker(quietDaysToClose);
                live.add(target);
            }
            List<String> alertAreas = target.tracker.open ? covering(target.areas, zoneAreas) : zoneAreas;
            target.areas = alertAreas.toArray(String[]::new);
            target.lastFiringDay = day;
            Firing f = firing(c, alertAreas, zoneAreas, day, dayEnd, signal, settings, zone);
            String centre = zoneAreas.get(0);
            Optional<Alert> snapshot = target.tracker.open
                    ? target.tracker.fire(target.tracker.areaId, signal, f)
                    : target.tracker.fire(centre, signal, SpaceTimeScan.METHOD + "|" + centre, f);
            snapshot.ifPresent(out::add);
        }
        for (OpenCluster o : List.copyOf(live)) {
            o.tracker.endOfDay(dayEnd, o.lastFiringDay >= day).ifPresent(out::add);
            if (!o.tracker.open) {
                live.remove(o);
            }
        }
        open = live.toArray(OpenCluster[]::new);
        return out;
    }

    /** Whether a cluster alert is open: the operator keeps judging days while one is. */
    public boolean anyOpen() {
        return open.length > 0;
    }

    /**
     * The areas an open cluster alert covers once a later cluster sharing an area with it updates it: its own, centre
     * first, then the later cluster's others. The alert stays keyed and named by its centre, so it must keep covering
     * it, even when the rise has moved on to neighbours of its first areas.
     */
    private static List<String> covering(String[] alertAreas, List<String> zoneAreas) {
        List<String> all = new ArrayList<>(List.of(alertAreas));
        zoneAreas.stream().filter(a -> !all.contains(a)).forEach(all::add);
        return all;
    }

    /**
     * @param alertAreas the areas the alert covers, centre first (its evidence and its name)
     * @param zoneAreas  those of the cylinder whose cases and expectation the firing counts
     */
    private static Firing firing(SpaceTimeScan.Cluster c, List<String> alertAreas, List<String> zoneAreas, long day,
            long dayEnd, String signal, ScanSettings settings, ZoneId zone) {
        long windowStart = new DayClock(zone).startOf(day - c.days() + 1);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("period", c.days() + "d");
        evidence.put("areas", alertAreas);
        evidence.put("expected_together", Math.round(c.expected() * 100) / 100.0);
        String when = c.days() == 1 ? Explanations.onDay(LocalDate.ofEpochDay(day))
                : "in the last " + c.days() + " days";
        String inSome = alertAreas.size() == zoneAreas.size() ? "" : " in " + ScanSettings.number(zoneAreas.size())
                + " of them (" + settings.namesInWords(zoneAreas) + ")";
        String text = String.format(Locale.ROOT,
                "More %s than usual in %s, taken together: %s %s%s, when %s would be normal for these areas. "
                        + "Spread over neighbouring areas, the rise is above what chance explains even where no "
                        + "single area stands out on its own. %s",
                Explanations.whatIsCounted(signal), settings.zoneInWords(alertAreas), Explanations.count(c.observed()),
                when, inSome, Explanations.usual(c.expected()),
                Explanations.asOf(dayEnd, zone));
        return new Firing(dayEnd, SpaceTimeScan.METHOD, c.observed(), c.expected(), settings.scan().threshold(),
                c.llr(), windowStart, dayEnd + 1, Explanations.countSeverity(c.observed(), c.expected()), evidence,
                text);
    }

    private static int slot(long day) {
        return (int) Math.floorMod(day, (long) RING);
    }
}
