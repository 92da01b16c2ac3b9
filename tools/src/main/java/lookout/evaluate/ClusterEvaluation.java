package lookout.evaluate;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

import lookout.detect.ClusterWatch;
import lookout.detect.ScanSettings;
import lookout.detect.SpaceTimeScan;
import lookout.detect.ScanZones;
import lookout.schema.Alert;

/**
 * Multi-area clusters on the generated city, and the space-time scan that looks for them. The city's 158 areas
 * are laid out as hexagons, 13 to a row (12 full rows and 2 areas in a 13th), each bordering up to six others:
 * about as many as Toronto's neighbourhoods (2-9, five on average). A cluster is a connected set of 2-5 areas
 * grown at random from one, for one signal, lasting 1-3 days; each day each of its areas gets extra events at
 * random hours of the usual evening-heavy profile, so no area stands out in a few hours the way a spike does: by
 * default the most its own detectors stay silent on (below its alert level, see {@link #extraTimes}), or a fixed
 * {@code extraPerDay}. Clusters draw from their own random stream: the rest of the city (its usual
 * events and its single-area spikes) is the same with or without them.
 *
 * <p>It keeps, per signal, area and day, the count and the expectation the area's daily detector judged it by (the
 * fitted baseline the operator passes to the scan) and the generating process's own mean (for the oracle), then
 * runs {@link ClusterWatch} day by day as the scan operator does.
 */
final class ClusterEvaluation {
    static final int COLUMNS = 13;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Cluster(int signal, List<Integer> areas, int startDay, int days) {
        boolean covers(int area, int day) {
            return areas.contains(area) && day >= startDay && day < startDay + days;
        }
    }

    /** Per scan run: when (event time, day) each cluster alert opened, and its zone's area indices. */
    record Opening(int signal, long time, int day, List<Integer> areas) {}

    private final RandomGenerator rng;
    private final int history;
    private final int total;
    private final int extraPerDay;
    final List<Cluster> clusters = new ArrayList<>();
    /** Each cluster's first extra event, epoch ms. */
    private final Map<Integer, Long> firstEvent = new HashMap<>();
    /** [signal][area][day - (history - window)] */
    private final int[][][] counts;
    private final double[][][] fitted;
    private final double[][][] truth;
    private final boolean[][][] fired;
    private final int offset;

    /** {@code extraPerDay} for clusters calibrated to stay below every area's own alert level. */
    static final int CALIBRATED = 0;
    /** The most extra events a day a calibrated cluster gives one area. */
    static final int MAX_EXTRA = 8;
    /** Extra events a day each cluster area got, keyed "cluster index|area index". */
    private final Map<String, Integer> extraByArea = new HashMap<>();

    /** A cluster's areas are quiet for its signal: usually fewer than this many events a day. */
    static final double QUIET_MEAN = 0.5;

    /** Area index to the indices of its neighbours: the hexagonal layout's, or a real city's ({@link #layout}). */
    private final Map<Integer, List<Integer>> graph;

    /**
     * @param means  each area's usual daily mean per signal, [area][signal]
     * @param layout area index to its neighbours' indices, or null for the hexagonal layout
     */
    ClusterEvaluation(long seed, int count, int extraPerDay, int history, int total, boolean[][] spiked,
            double[][] means, Map<Integer, List<Integer>> layout) {
        this.rng = new Well19937c(seed ^ 0x5CA7L);
        this.history = history;
        this.total = total;
        this.extraPerDay = extraPerDay;
        this.offset = history - SpaceTimeScan.MAX_WINDOW;
        int days = total - offset;
        int signals = CityEvaluation.SIGNALS.size();
        counts = new int[signals][CityEvaluation.AREAS][days];
        fitted = new double[signals][CityEvaluation.AREAS][days];
        truth = new double[signals][CityEvaluation.AREAS][days];
        fired = new boolean[signals][CityEvaluation.AREAS][days];
        this.graph = layout == null ? hexGraph() : layout;
        Set<String> used = new HashSet<>();
        for (int attempt = 0; clusters.size() < count; attempt++) {
            if (attempt > 100_000) {
                throw new lookout.kernel.UsageException("no room for " + count + " clusters beside the spikes: ask"
                        + " for fewer clusters or spikes");
            }
            int s = rng.nextInt(signals);
            int size = 2 + rng.nextInt(4);
            List<Integer> zone = new ArrayList<>(List.of(rng.nextInt(CityEvaluation.AREAS)));
            while (zone.size() < size) {
                List<Integer> frontier = new ArrayList<>();
                for (int a : zone) {
                    for (int n : graph.get(a)) {
                        if (!zone.contains(n) && !frontier.contains(n)) {
                            frontier.add(n);
                        }
                    }
                }
                zone.add(frontier.get(rng.nextInt(frontier.size())));
            }
            if (zone.stream().anyMatch(a -> used.contains(s + "|" + a) || spiked[a][s] || means[a][s] >= QUIET_MEAN)) {
                continue;
            }
            zone.forEach(a -> used.add(s + "|" + a));
            int length = 1 + rng.nextInt(3);
            clusters.add(new Cluster(s, List.copyOf(zone), history + rng.nextInt(total - history - length), length));
        }
    }

    /** Area index to the indices of its neighbours on the hexagonal layout (odd rows shifted right). */
    static Map<Integer, List<Integer>> hexGraph() {
        Map<Integer, List<Integer>> graph = new TreeMap<>();
        for (int a = 0; a < CityEvaluation.AREAS; a++) {
            int r = a / COLUMNS;
            int c = a % COLUMNS;
            int shift = r % 2 == 0 ? -1 : 0;
            int[][] near = {{r, c - 1}, {r, c + 1}, {r - 1, c + shift}, {r - 1, c + shift + 1}, {r + 1, c + shift},
                    {r + 1, c + shift + 1}};
            List<Integer> list = new ArrayList<>();
            for (int[] rc : near) {
                int n = rc[0] * COLUMNS + rc[1];
                if (rc[0] >= 0 && rc[1] >= 0 && rc[1] < COLUMNS && n < CityEvaluation.AREAS) {
                    list.add(n);
                }
            }
            graph.put(a, list);
        }
        return graph;
    }

    /**
     * A real city's adjacency ({@code AreaAdjacency}) as a layout of the generated city's {@link CityEvaluation#AREAS}
     * areas: the city's area ids in order are the generated areas 1, 2, ...
     *
     * @throws IllegalArgumentException when the city does not have that many areas
     */
    static Map<Integer, List<Integer>> layout(Map<String, ? extends Collection<String>> adjacency) {
        List<String> ids = adjacency.keySet().stream().sorted().toList();
        if (ids.size() != CityEvaluation.AREAS) {
            throw new IllegalArgumentException("the boundaries have " + ids.size() + " areas; the generated city has "
                    + CityEvaluation.AREAS);
        }
        Map<Integer, List<Integer>> graph = new TreeMap<>();
        for (int a = 0; a < ids.size(); a++) {
            graph.put(a, adjacency.get(ids.get(a)).stream().map(ids::indexOf).sorted().toList());
        }
        return graph;
    }

    /** The layout's adjacency by area id ("1".."158"), as the scan reads a city's. */
    Map<String, List<String>> adjacency() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        graph.forEach((a, near) -> out.put(id(a), near.stream().map(ClusterEvaluation::id).toList()));
        return out;
    }

    static String id(int area) {
        return Integer.toString(area + 1);
    }

    /** A per-area-only replay of one area's series with extra events added. */
    interface Replay {
        /**
         * @param extra extra event times per day (empty arrays on other days)
         * @return whether the area's own detectors fire on any day from {@code firstDay} to {@code lastDay}
         */
        boolean fires(long[][] extra, int firstDay, int lastDay);
    }

    /**
     * Extra event times of area {@code a}'s signal {@code s} per day from the clusters (empty arrays on days
     * without). With a fixed {@code extraPerDay}, that many a day. Calibrated ({@link #CALIBRATED}), the largest
     * number a day, the same each day of the cluster and at most {@link #MAX_EXTRA}, for which {@code replay}
     * says the area's own detectors stay silent over the cluster's days: the first e of {@code MAX_EXTRA} times
     * drawn for each day, e = 1, 2, ... until they fire (so an area where even one fires gets none).
     */
    long[][] extraTimes(int a, int s, long[] dayStarts, Replay replay) {
        long[][] out = new long[dayStarts.length][];
        Arrays.fill(out, new long[0]);
        for (int k = 0; k < clusters.size(); k++) {
            Cluster c = clusters.get(k);
            if (c.signal() != s || !c.areas().contains(a)) {
                continue;
            }
            int drawn = extraPerDay == CALIBRATED ? MAX_EXTRA : extraPerDay;
            long[][] all = new long[dayStarts.length][];
            Arrays.fill(all, new long[0]);
            for (int d = c.startDay(); d < c.startDay() + c.days(); d++) {
                all[d] = new long[drawn];
                for (int i = 0; i < drawn; i++) {
                    all[d][i] = dayStarts[d] + CityEvaluation.randomHour(rng) * 3_600_000L + rng.nextInt(60) * 60_000L;
                }
            }
            int e = drawn;
            if (extraPerDay == CALIBRATED) {
                e = 0;
                while (e < MAX_EXTRA && !replay.fires(firstOf(all, e + 1), c.startDay(), c.startDay() + c.days() - 1)) {
                    e++;
                }
            }
            out = firstOf(all, e);
            extraByArea.put(k + "|" + a, e);
            for (long[] day : out) {
                for (long t : day) {
                    firstEvent.merge(k, t, Math::min);
                }
            }
        }
        return out;
    }

    /** The first {@code e} times of each day. */
    private static long[][] firstOf(long[][] times, int e) {
        long[][] out = new long[times.length][];
        for (int d = 0; d < times.length; d++) {
            out[d] = Arrays.copyOf(times[d], Math.min(e, times[d].length));
        }
        return out;
    }

    /** Whether area {@code a}'s signal {@code s} is in a cluster on day {@code d}. */
    boolean inCluster(int a, int s, int d) {
        return clusters.stream().anyMatch(c -> c.signal() == s && c.covers(a, d));
    }

    /**
     * The figures: for each cluster, the first alert covering it (a per-area alert in one of its areas, or a scan
     * alert whose zone shares an area with it, on its signal and during its days); false alerts cover no spike or
     * cluster; spikes alerted by either kind.
     */
    CityEvaluation.ScanFigures figures(List<CityEvaluation.Spike> spikes, List<long[]> perArea,
            List<Double> thresholds, int maxAreas, boolean connected, int evalDays) {
        ScanZones zones = ScanSettings.zones(adjacency(), maxAreas, connected);
        List<Opening> areaAlerts = perArea.stream()
                .map(o -> new Opening((int) o[1], o[2], (int) o[3], List.of((int) o[0]))).toList();
        List<CityEvaluation.ScanRows> scans = new ArrayList<>();
        for (double h : thresholds) {
            scans.add(new CityEvaluation.ScanRows(h,
                    row(spikes, concat(areaAlerts, scan(false, h, zones)), areaAlerts),
                    row(spikes, concat(areaAlerts, scan(true, h, zones)), areaAlerts),
                    (int) clusters.stream().filter(c -> ownCylinder(c) > h).count()));
        }
        int unseen = 0;
        for (Cluster c : clusters) {
            unseen += areaAlerts.stream().anyMatch(o -> o.signal() == c.signal()
                    && o.areas().stream().anyMatch(a -> c.covers(a, o.day()))) ? 0 : 1;
        }
        int areas = clusters.stream().mapToInt(c -> c.areas().size()).sum();
        double meanExtra = extraByArea.values().stream().mapToInt(Integer::intValue).sum() / (double) areas;
        int without = (int) extraByArea.values().stream().filter(e -> e == 0).count();
        return new CityEvaluation.ScanFigures(clusters.size(), unseen, extraPerDay == CALIBRATED, meanExtra, without,
                row(spikes, areaAlerts, areaAlerts), scans, evalDays, zones.count());
    }

    /** The start of a cluster's first day: its delay's origin when none of its areas could take an extra event. */
    private static long startOf(Cluster c) {
        return CityEvaluation.FIRST.plusDays(c.startDay()).atStartOfDay(ZoneId.of("America/Toronto")).toInstant()
                .toEpochMilli();
    }

    private static List<Opening> concat(List<Opening> a, List<Opening> b) {
        List<Opening> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private CityEvaluation.Row row(List<CityEvaluation.Spike> spikes, List<Opening> alerts, List<Opening> areaAlerts) {
        int alerted = 0;
        int unseenAlerted = 0;
        List<Double> hours = new ArrayList<>();
        for (int k = 0; k < clusters.size(); k++) {
            Cluster c = clusters.get(k);
            long first = Long.MAX_VALUE;
            for (Opening o : alerts) {
                if (o.signal() == c.signal() && o.areas().stream().anyMatch(a -> c.covers(a, o.day()))) {
                    first = Math.min(first, o.time());
                }
            }
            if (first != Long.MAX_VALUE) {
                alerted++;
                hours.add((first - firstEvent.getOrDefault(k, startOf(c))) / 3_600_000.0);
                boolean seenByArea = areaAlerts.stream().anyMatch(o -> o.signal() == c.signal()
                        && o.areas().stream().anyMatch(a -> c.covers(a, o.day())));
                unseenAlerted += seenByArea ? 0 : 1;
            }
        }
        int falseAlerts = 0;
        int falseByScan = 0;
        for (Opening o : alerts) {
            boolean covered = o.areas().stream().anyMatch(a -> inCluster(a, o.signal(), o.day())
                    || spikes.stream().anyMatch(sp -> sp.signal() == o.signal() && sp.area() == a
                            && o.day() >= sp.startDay() && o.day() < sp.startDay() + sp.days()));
            falseAlerts += covered ? 0 : 1;
            falseByScan += covered || areaAlerts.contains(o) ? 0 : 1;
        }
        int spikesAlerted = 0;
        for (CityEvaluation.Spike sp : spikes) {
            boolean hit = alerts.stream().anyMatch(o -> o.signal() == sp.signal() && o.areas().contains(sp.area())
                    && o.day() >= sp.startDay() && o.day() < sp.startDay() + sp.days());
            spikesAlerted += hit ? 1 : 0;
        }
        return new CityEvaluation.Row(alerted, unseenAlerted, CityEvaluation.median(hours), falseAlerts, falseByScan,
                spikesAlerted);
    }

    /**
     * The largest log likelihood ratio of the cluster's own cylinders on the true means: its areas, from its first
     * day to each of its days. What a scan that knew where and when the cluster is would see; a scan that does not
     * know can only alert it above its threshold through this or a cylinder that overlaps it.
     */
    double ownCylinder(Cluster c) {
        double best = 0;
        int observed = 0;
        double expected = 0;
        for (int d = c.startDay(); d < c.startDay() + c.days(); d++) {
            for (int a : c.areas()) {
                observed += counts[c.signal()][a][d - offset];
                expected += truth[c.signal()][a][d - offset];
            }
            best = Math.max(best, SpaceTimeScan.llr(observed, expected));
        }
        return best;
    }

    /** Whether day {@code d} of the series needs its expectation recorded for the scan. */
    boolean records(int d) {
        return d >= offset;
    }

    void record(int a, int s, int d, int count, double expected, double trueMean, boolean areaFired) {
        fired[s][a][d - offset] = areaFired;
        counts[s][a][d - offset] = count;
        fitted[s][a][d - offset] = expected;
        truth[s][a][d - offset] = trueMean;
    }

    /**
     * Runs the scan over the evaluation days, with the fitted expectations or the true means (the oracle), on the
     * given zones.
     */
    List<Opening> scan(boolean oracle, double threshold, ScanZones candidates) {
        ZoneId zone = ZoneId.of("America/Toronto");
        Map<String, String> names = new LinkedHashMap<>();
        ScanSettings settings = new ScanSettings(new SpaceTimeScan(candidates,
                threshold), names, 10);
        ScanZones zones = settings.scan().zones();
        int[] index = new int[CityEvaluation.AREAS];
        for (int a = 0; a < index.length; a++) {
            index[a] = zones.indexOf(id(a));
        }
        List<Opening> out = new ArrayList<>();
        for (int s = 0; s < CityEvaluation.SIGNALS.size(); s++) {
            ClusterWatch watch = new ClusterWatch(CityEvaluation.AREAS);
            double[][] expectations = oracle ? truth[s] : fitted[s];
            for (int d = offset; d < total; d++) {
                long epochDay = CityEvaluation.FIRST.plusDays(d).toEpochDay();
                for (int a = 0; a < CityEvaluation.AREAS; a++) {
                    for (int i = 0; i < counts[s][a][d - offset]; i++) {
                        watch.event(index[a], epochDay);
                    }
                    watch.expectation(index[a], epochDay, expectations[a][d - offset]);
                    if (fired[s][a][d - offset]) {
                        watch.alerted(index[a], epochDay);
                    }
                }
                if (d < history) {
                    continue;
                }
                long end = CityEvaluation.FIRST.plusDays(d + 1).atStartOfDay(zone).toInstant().toEpochMilli() - 1;
                for (Alert alert : watch.judge(epochDay, CityEvaluation.SIGNALS.get(s), settings, 2, zone)) {
                    if (alert.getStatus().equals("opened")) {
                        out.add(new Opening(s, end, d, areasOf(alert)));
                    }
                }
            }
        }
        return out;
    }

    /** A cluster alert's areas (its evidence's {@code areas}) as area indices. */
    private static List<Integer> areasOf(Alert alert) {
        try {
            List<Integer> out = new ArrayList<>();
            JSON.readTree(alert.getEvidence()).path("areas").forEach(n -> out.add(Integer.parseInt(n.asText()) - 1));
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a cluster alert's evidence is not JSON", e);
        }
    }
}
