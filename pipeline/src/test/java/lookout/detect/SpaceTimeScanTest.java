package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToIntBiFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import lookout.schema.Alert;

/** The scan's core: zones grown by adjacency, the Poisson likelihood ratio, and a quiet city staying quiet. */
class SpaceTimeScanTest {
    /** Forty areas on a grid of 5 rows and 8 columns, each bordering those beside, above and below it. */
    private static final Map<String, List<String>> GRID = grid(5, 8);

    /** A line of five areas, 1-2-3-4-5. */
    private static final Map<String, List<String>> LINE = Map.of("1", List.of("2"), "2", List.of("1", "3"),
            "3", List.of("2", "4"), "4", List.of("3", "5"), "5", List.of("4"));

    @Test
    void zonesGrowFromEachAreaByAdjacencyUpToTheCapAndAreKeptOnce() {
        ScanZones zones = ScanZones.of(LINE, 3);
        List<List<String>> got = new ArrayList<>();
        for (int z = 0; z < zones.count(); z++) {
            got.add(Arrays.stream(zones.zone(z)).mapToObj(zones.areas()::get).toList());
        }
        assertEquals(List.of(List.of("1", "2"), List.of("1", "2", "3"), List.of("3", "2"), List.of("3", "2", "4"),
                List.of("4", "3"), List.of("4", "3", "5"), List.of("5", "4")), got,
                "every connected run of two or three areas, once, centre first");
    }

    @Test
    void aZoneGrowsByTheAreaBorderingMostOfIt() {
        // x borders a, b and c; a and b border each other too. From x, after a, b (bordering x and a) comes before
        // c (bordering x only): {x, a, c} is never a zone, and {x, a, b} was already grown from a.
        ScanZones zones = ScanZones.of(Map.of("x", List.of("a", "b", "c"), "a", List.of("b")), 3);
        List<List<String>> got = new ArrayList<>();
        for (int z = 0; z < zones.count(); z++) {
            got.add(Arrays.stream(zones.zone(z)).mapToObj(zones.areas()::get).toList());
        }
        assertEquals(List.of(List.of("a", "b"), List.of("a", "b", "x"), List.of("c", "x"), List.of("c", "x", "a"),
                List.of("x", "a")), got);
    }

    @Test
    void theDefaultScanJudgesEveryConnectedSetUpToAThousandAreasAndZonesGrownByNearnessBeyond() {
        Map<String, List<String>> city = grid(31);
        Map<String, List<String>> larger = grid(32);
        assertEquals(961, city.size());
        assertEquals(ScanZones.connected(city, ScanSettings.MAX_AREAS).count(),
                ScanSettings.defaults(city, Map.of()).scan().zones().count());
        assertEquals(ScanZones.of(larger, ScanSettings.MAX_AREAS).count(),
                ScanSettings.defaults(larger, Map.of()).scan().zones().count());
        assertTrue(ScanZones.connected(city, ScanSettings.MAX_AREAS).count()
                > 10 * ScanZones.of(larger, ScanSettings.MAX_AREAS).count(), "the two kinds differ enough to tell apart");
    }

    /** A square grid of side n, each cell bordering the cells beside, above and below it. */
    private static Map<String, List<String>> grid(int n) {
        Map<String, List<String>> city = new LinkedHashMap<>();
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                List<String> near = new ArrayList<>();
                if (c + 1 < n) {
                    near.add(r + "-" + (c + 1));
                }
                if (r + 1 < n) {
                    near.add((r + 1) + "-" + c);
                }
                city.put(r + "-" + c, near);
            }
        }
        return city;
    }

    @Test
    void connectedZonesAreEveryConnectedSetOnceCentreFirst() {
        // x borders a, b and c; a and b border each other too. Every connected set of 2-3 areas: the pairs x-a,
        // x-b, x-c, a-b, and the triples {x,a,b}, {x,a,c}, {x,b,c} (ab is not needed for {a,b,x}); {a,b,c} is not
        // connected. The centre is the member bordering most of the others.
        ScanZones zones = ScanZones.connected(Map.of("x", List.of("a", "b", "c"), "a", List.of("b")), 3);
        List<List<String>> got = new ArrayList<>();
        for (int z = 0; z < zones.count(); z++) {
            got.add(Arrays.stream(zones.zone(z)).mapToObj(zones.areas()::get).toList());
        }
        assertEquals(List.of(List.of("a", "b"), List.of("a", "x"), List.of("b", "x"), List.of("c", "x"),
                List.of("a", "b", "x"), List.of("x", "a", "c"), List.of("x", "b", "c")), got);
        assertEquals(10, ScanZones.connected(LINE, 5).count(), "a line of 5 has 4 + 3 + 2 + 1 connected runs");
    }

    /**
     * By hand: areas 2, 3 and 4 each saw 2 events today where 0.1 a day is usual, area 1 and 5 none. The zone
     * {2, 3, 4} over one day has C = 6, E = 0.3: 6 ln(6 / 0.3) - (6 - 0.3) = 17.9743936 - 5.7 = 12.2743936. Over
     * two days E = 0.6 and the ratio is 6 ln 10 - 5.4 = 8.4155; two of the areas alone give 4 ln 20 - 3.8 = 7.98.
     */
    @Test
    void aHandWorkedZone() {
        assertEquals(12.2743936, SpaceTimeScan.llr(6, 0.3), 1e-7);
        assertEquals(6 * Math.log(20) - 5.7, SpaceTimeScan.llr(6, 0.3), 1e-12);
        assertEquals(0.0, SpaceTimeScan.llr(2, 2.5), "fewer cases than expected is no cluster");
        SpaceTimeScan scan = new SpaceTimeScan(ScanZones.of(LINE, 3), 10);
        int[][] observed = new int[5][SpaceTimeScan.MAX_WINDOW];
        double[][] expected = new double[5][SpaceTimeScan.MAX_WINDOW];
        for (int a = 0; a < 5; a++) {
            Arrays.fill(expected[a], 0.1);
        }
        for (String a : List.of("2", "3", "4")) {
            observed[scan.zones().indexOf(a)][0] = 2;
        }
        List<SpaceTimeScan.Cluster> clusters = scan.clusters(observed, expected);
        assertEquals(1, clusters.size(), "one cluster; every other zone above 10 overlaps it");
        SpaceTimeScan.Cluster c = clusters.get(0);
        assertEquals(List.of("3", "2", "4"), Arrays.stream(c.areas()).mapToObj(scan.zones().areas()::get)
                .toList());
        assertEquals(1, c.days());
        assertEquals(6, c.observed());
        assertEquals(0.3, c.expected(), 1e-12);
        assertEquals(6 * Math.log(20) - 5.7, c.llr(), 1e-12);
        assertEquals(List.of(), new SpaceTimeScan(ScanZones.of(LINE, 3), 12.3).clusters(observed, expected),
                "just under the threshold");
    }

    @Test
    void oneAreaAloneIsNotACluster() {
        SpaceTimeScan scan = new SpaceTimeScan(ScanZones.of(LINE, 3), 10);
        int[][] observed = new int[5][SpaceTimeScan.MAX_WINDOW];
        double[][] expected = new double[5][SpaceTimeScan.MAX_WINDOW];
        for (int a = 0; a < 5; a++) {
            Arrays.fill(expected[a], 0.1);
        }
        observed[scan.zones().indexOf("3")][0] = 9;
        assertEquals(List.of(), scan.clusters(observed, expected), "a spike in one area is the per-area detectors'");
    }

    /** The {@link #LINE}'s areas, named as Toronto's in a row from Cabbagetown to Leslieville. */
    private static final Map<String, String> LINE_NAMES = Map.of("1", "Cabbagetown", "2", "Regent Park",
            "3", "Moss Park", "4", "South Riverdale", "5", "Leslieville");
    private static final ZoneId TORONTO = ZoneId.of("America/Toronto");
    /** The first day the line's scans judge, Monday 2 March 2026 (an epoch day). */
    private static final long MARCH_2 = java.time.LocalDate.of(2026, 3, 2).toEpochDay();

    /**
     * The paramedic cluster alerts of the line's scan (threshold 12, alerts closed after two quiet days) over
     * {@code days} days from 2 March 2026, each area given its expectation and events on each day (counted from 0).
     */
    private static List<Alert> judgeLine(ScanZones zones, int days, ToDoubleBiFunction<Integer, String> expected,
            ToIntBiFunction<Integer, String> events) {
        ScanSettings settings = new ScanSettings(new SpaceTimeScan(zones, 12), LINE_NAMES, 10);
        ClusterWatch watch = new ClusterWatch(LINE.size());
        List<Alert> alerts = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            for (String a : List.of("1", "2", "3", "4", "5")) {
                int area = settings.scan().zones().indexOf(a);
                watch.expectation(area, MARCH_2 + d, expected.applyAsDouble(d, a));
                for (int i = 0; i < events.applyAsInt(d, a); i++) {
                    watch.event(area, MARCH_2 + d);
                }
            }
            alerts.addAll(watch.judge(MARCH_2 + d, "paramedic", settings, 2, TORONTO));
        }
        return alerts;
    }

    /**
     * The example through the lifecycle: two calls in each of three adjacent quiet areas open one alert,
     * named by the centre area and its neighbours, updated while windows holding that day are above the threshold,
     * closed two quiet days after.
     */
    @Test
    void threeQuietAreasWithTwoCallsEachOpenOneAlertForTheCluster() {
        List<Alert> alerts = judgeLine(ScanZones.of(LINE, 5), 20, (day, area) -> 0.05,
                (day, area) -> day == 10 && List.of("2", "3", "4").contains(area) ? 2 : 0);
        DayClock clock = new DayClock(TORONTO);
        assertEquals(1, alerts.stream().map(Alert::getSpikeId).distinct().count(), "one alert for the cluster");
        Alert opened = alerts.get(0);
        assertEquals("opened", opened.getStatus());
        assertEquals("3", opened.getAreaId(), "keyed by the zone's centre");
        assertEquals(SpaceTimeScan.METHOD, opened.getMethod());
        assertEquals(clock.startOf(MARCH_2 + 10) + 23 * 3_600_000L, opened.getOpenedAt());
        assertTrue(opened.getExplanation().startsWith("More paramedic calls for suspected overdoses than usual in"
                + " Moss Park and two neighbouring areas (Regent Park and South Riverdale), taken together: 6 on Thu"
                + " 12 Mar 2026, when usually less than 1 would be normal for these areas."),
                opened.getExplanation());
        assertTrue(opened.getEvidence().contains("\"areas\":[\"3\",\"2\",\"4\"]"), opened.getEvidence());
        assertEquals(6, opened.getObserved());
        assertEquals(0.15, opened.getExpected(), 1e-12);
        List<String> statuses = alerts.stream().map(Alert::getStatus).toList();
        assertEquals("closed", statuses.get(statuses.size() - 1));
        // The day itself (C 6, E 0.15: ratio 16.3) and the next (two days, E 0.3: 12.27) are above a threshold
        // of 12, the third (E 0.45: 10.0) is not: the alert closes after the two quiet days that follow.
        assertEquals(List.of("opened", "updated", "closed"), statuses);
        assertEquals(clock.startOf(MARCH_2 + 13) + 23 * 3_600_000L, alerts.get(alerts.size() - 1).getClosedAt());
    }

    /**
     * A cluster in Cabbagetown, Regent Park and Moss Park (centred on Regent Park) whose rise moves on the next day to
     * Moss Park and its neighbours east, while Regent Park's usual level is high that day: the later cluster leaves
     * Regent Park out. The alert it updates stays named by Regent Park and covers every area it has been told of.
     */
    @Test
    void aClusterThatMovesOnKeepsItsAlertsCentreAndCoversTheAreasItMovedTo() {
        List<Alert> alerts = judgeLine(ScanZones.connected(LINE, 5), 12,
                (day, area) -> area.equals("2") && day == 11 ? 3.0 : 0.05,
                (day, area) -> day == 10 && List.of("1", "2", "3").contains(area) ? 3
                        : day == 11 && List.of("3", "4", "5").contains(area) ? 5 : 0);
        assertEquals(List.of("opened", "updated"), alerts.stream().map(Alert::getStatus).toList());
        assertEquals(1, alerts.stream().map(Alert::getSpikeId).distinct().count(), "one alert for the cluster");
        Alert opened = alerts.get(0);
        assertEquals("2", opened.getAreaId());
        assertTrue(opened.getEvidence().contains("\"areas\":[\"2\",\"1\",\"3\"]"), opened.getEvidence());
        Alert moved = alerts.get(1);
        assertEquals("2", moved.getAreaId(), "still keyed by its centre");
        assertTrue(moved.getEvidence().contains("\"areas\":[\"2\",\"1\",\"3\",\"4\",\"5\"]"), moved.getEvidence());
        assertEquals(18, moved.getObserved());
        assertTrue(moved.getExplanation().startsWith("More paramedic calls for suspected overdoses than usual in"
                + " Regent Park and four neighbouring areas (Cabbagetown, Moss Park, South Riverdale and Leslieville),"
                + " taken together: 18 in the last 2 days in three of them (South Riverdale, Moss Park and"
                + " Leslieville), when"), moved.getExplanation());
    }

    /**
     * A year of a quiet city, 40 areas on a grid, Poisson counts drawn from the means the scan is given (the
     * null): no cluster alert opens.
     */
    @Test
    void aNullStreamStaysQuiet() {
        ScanSettings settings = ScanSettings.defaults(GRID, Map.of());
        Random random = new Random(13);
        double[] means = new double[40];
        for (int a = 0; a < 40; a++) {
            means[a] = Math.exp(Math.log(0.05) + random.nextDouble() * Math.log(40));
        }
        ClusterWatch watch = new ClusterWatch(40);
        ZoneId zone = ZoneId.of("America/Toronto");
        int opened = 0;
        int days = 365;
        for (long day = 20_000; day < 20_000 + days; day++) {
            for (int a = 0; a < 40; a++) {
                int i = settings.scan().zones().indexOf(Integer.toString(a));
                watch.expectation(i, day, means[a]);
                for (int n = poisson(means[a], random); n > 0; n--) {
                    watch.event(i, day);
                }
            }
            opened += (int) watch.judge(day, "paramedic", settings, 2, zone)
                    .stream().filter(x -> x.getStatus().equals("opened")).count();
        }
        assertEquals(0, opened);
    }

    /**
     * A zone of three or more areas is summed as a smaller zone plus one area; the clusters are those of summing
     * every cylinder area by area, with the expectations equal to rounding, on random days of both kinds of zones.
     */
    @Test
    void zonesSummedFromSmallerZonesFindTheClustersOfSummingEveryArea() {
        for (boolean connected : new boolean[] {true, false}) {
            ScanZones zones = ScanSettings.zones(GRID, ScanSettings.MAX_AREAS, connected);
            int linked = 0;
            for (int z = 0; z < zones.count(); z++) {
                int[] members = zones.members(z);
                if (zones.smaller(z) == ScanZones.NONE) {
                    continue;
                }
                linked++;
                assertTrue(zones.smaller(z) < z, "the smaller zone comes first");
                Set<Integer> grown = new TreeSet<>();
                for (int a : zones.members(zones.smaller(z))) {
                    grown.add(a);
                }
                grown.add(zones.added(z));
                assertEquals(Arrays.stream(members).boxed().collect(Collectors.toCollection(TreeSet::new)), grown);
            }
            long ofThreeOrMore = IntStream.range(0, zones.count())
                    .filter(z -> zones.members(z).length > 2).count();
            assertEquals(ofThreeOrMore, linked, "every zone of three areas or more has a smaller zone");
            Random random = new Random(connected ? 5 : 7);
            SpaceTimeScan scan = new SpaceTimeScan(zones, 2.0);
            for (int day = 0; day < 20; day++) {
                int[][] observed = new int[40][SpaceTimeScan.MAX_WINDOW];
                double[][] expected = new double[40][SpaceTimeScan.MAX_WINDOW];
                for (int a = 0; a < 40; a++) {
                    for (int j = 0; j < SpaceTimeScan.MAX_WINDOW; j++) {
                        expected[a][j] = 0.05 + random.nextDouble();
                        observed[a][j] = random.nextInt(4);
                    }
                }
                List<SpaceTimeScan.Cluster> got = scan.clusters(observed, expected);
                List<SpaceTimeScan.Cluster> want = summedAreaByArea(zones, 2.0, observed, expected);
                assertEquals(want.size(), got.size());
                assertTrue(!got.isEmpty(), "the comparison covers clusters");
                for (int i = 0; i < want.size(); i++) {
                    assertArrayEquals(want.get(i).areas(), got.get(i).areas());
                    assertEquals(want.get(i).days(), got.get(i).days());
                    assertEquals(want.get(i).observed(), got.get(i).observed());
                    assertEquals(want.get(i).expected(), got.get(i).expected(), 1e-12);
                    assertEquals(want.get(i).llr(), got.get(i).llr(), 1e-9);
                }
            }
        }
    }

    /** The scan's definition, cylinder by cylinder: every zone and window summed over its areas. */
    private static List<SpaceTimeScan.Cluster> summedAreaByArea(ScanZones zones, double h, int[][] observed,
            double[][] expected) {
        List<SpaceTimeScan.Cluster> candidates = new ArrayList<>();
        for (int z = 0; z < zones.count(); z++) {
            SpaceTimeScan.Cluster best = null;
            for (int w = 1; w <= SpaceTimeScan.MAX_WINDOW; w++) {
                int c = 0;
                double e = 0;
                int raised = 0;
                for (int a : zones.members(z)) {
                    int ca = 0;
                    double ea = 0;
                    for (int j = 0; j < w; j++) {
                        ca += observed[a][j];
                        ea += expected[a][j];
                    }
                    c += ca;
                    e += ea;
                    raised += ca > ea ? 1 : 0;
                }
                double ratio = SpaceTimeScan.llr(c, e);
                if (raised >= SpaceTimeScan.MIN_RAISED && ratio > h && (best == null || ratio > best.llr())) {
                    best = new SpaceTimeScan.Cluster(zones.members(z).clone(), w, c, e, ratio);
                }
            }
            if (best != null) {
                candidates.add(best);
            }
        }
        candidates.sort(Comparator.comparingDouble(SpaceTimeScan.Cluster::llr).reversed()
                .thenComparing(c -> Arrays.toString(c.areas())));
        List<SpaceTimeScan.Cluster> taken = new ArrayList<>();
        for (SpaceTimeScan.Cluster c : candidates) {
            if (taken.stream().noneMatch(t -> t.overlaps(c.areas()))) {
                taken.add(c);
            }
        }
        return taken;
    }

    /** Areas numbered row by row, each bordering the areas beside, above and below it. */
    private static Map<String, List<String>> grid(int rows, int columns) {
        Map<String, List<String>> grid = new LinkedHashMap<>();
        for (int a = 0; a < rows * columns; a++) {
            List<String> near = new ArrayList<>();
            int r = a / columns;
            int c = a % columns;
            if (c > 0) {
                near.add(Integer.toString(a - 1));
            }
            if (c < columns - 1) {
                near.add(Integer.toString(a + 1));
            }
            if (r > 0) {
                near.add(Integer.toString(a - columns));
            }
            if (r < rows - 1) {
                near.add(Integer.toString(a + columns));
            }
            grid.put(Integer.toString(a), near);
        }
        return grid;
    }

    private static int poisson(double mean, Random random) {
        double l = Math.exp(-mean);
        int k = 0;
        double p = random.nextDouble();
        while (p > l) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }
}
