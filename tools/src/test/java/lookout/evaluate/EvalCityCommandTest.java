package lookout.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import lookout.kernel.UsageException;
import lookout.testing.SharedData;

/**
 * A four-week city run (the documented six-month figures come from the same code with the defaults). Plain
 * computation in this JVM, so it runs beside the module's other classes (junit-platform.properties).
 */
@Execution(ExecutionMode.CONCURRENT)
@Order(5)
class EvalCityCommandTest {

    @Test
    void fourWeeksOfTheGeneratedCityGiveTheseExactFigures() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new EvalCityCommand().run(List.of("--days", "28", "--spikes", "20"),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals("""
                spikes alerted within their window: 17/20 (85.0%), on the day of the first extra event: 15
                alerts opened outside spikes: 3 area-days in 28 days = 0.75 per week city-wide
                median hours from first extra event to alert: 3.9 (daily detector alone: 15.3)
                alerts opened in total: 20
                """, buf.toString(StandardCharsets.UTF_8));
    }

    /** Five spiked areas have never had an event: their history starts with the city's, and every spike alerts. */
    @Test
    void spikesThatBringTheFirstEventsEverToTheirAreaAlert() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new EvalCityCommand().run(List.of("--days", "28", "--spikes", "20", "--new-hotspots", "5"),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals("""
                spikes alerted within their window: 17/20 (85.0%), on the day of the first extra event: 17
                alerts opened outside spikes: 7 area-days in 28 days = 1.75 per week city-wide
                median hours from first extra event to alert: 2.8 (daily detector alone: 13.2)
                alerts opened in total: 24
                spikes bringing the first events of their signal to their area, alerted: 5/5
                """, buf.toString(StandardCharsets.UTF_8));
    }

    /** Overdoses reported by calls, naloxone or both: the three choices of alerting series on the same city. */
    @Test
    void linkedOverdosesAreScoredForEachChoiceOfAlertingSeries() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new EvalCityCommand().run(List.of("--linked", "--days", "28", "--spikes", "20"),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals("""
                paramedic and naloxone alerting:
                spikes alerted within their window: 16/20 (80.0%), on the day of the first extra event: 11
                alerts opened outside spikes: 8 area-days in 28 days = 2.00 per week city-wide
                median hours from first extra event to alert: 2.9 (daily detector alone: 33.2)
                alerts opened in total: 34
                with the combined signal alerting too:
                spikes alerted within their window: 16/20 (80.0%), on the day of the first extra event: 12
                alerts opened outside spikes: 10 area-days in 28 days = 2.50 per week city-wide
                median hours from first extra event to alert: 2.9 (daily detector alone: 33.2)
                alerts opened in total: 51
                the combined signal alone:
                spikes alerted within their window: 15/20 (75.0%), on the day of the first extra event: 11
                alerts opened outside spikes: 2 area-days in 28 days = 0.50 per week city-wide
                median hours from first extra event to alert: 3.1 (daily detector alone: 24.0)
                alerts opened in total: 17
                """, buf.toString(StandardCharsets.UTF_8));
    }

    /**
     * Multi-area clusters of a fixed size (2 extra events per area and day) beside the spikes: the per-area
     * detectors alone, with the scan, and the oracle. The spikes' figures are those of the run without clusters
     * (clusters draw from their own random stream).
     */
    @Test
    void clustersOfAFixedSizeAreScoredWithAndWithoutTheScan() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new EvalCityCommand().run(
                List.of("--days", "28", "--spikes", "20", "--clusters", "12", "--cluster-extra", "2"),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals("""
                spikes alerted within their window: 17/20 (85.0%), on the day of the first extra event: 15
                alerts opened outside spikes: 3 area-days in 28 days = 0.75 per week city-wide
                median hours from first extra event to alert: 3.9 (daily detector alone: 15.3)
                alerts opened in total: 31
                multi-area clusters: 12, of which no area's own detectors alerted for 7; 26594 candidate zones
                clusters whose own areas and days, on the true means, exceed h = 14.0: 5/12
                per-area detectors alone: clusters alerted within their window 5/12 (0/7 of those no area alerted \
                for), median 43.0 hours from the first extra event; alerts opened outside spikes and clusters 3 = \
                0.75 per week city-wide (0 of them by the scan); spikes alerted 17
                with the scan: clusters alerted within their window 7/12 (2/7 of those no area alerted for), median \
                29.1 hours from the first extra event; alerts opened outside spikes and clusters 4 = 1.00 per week \
                city-wide (1 of them by the scan); spikes alerted 18
                with the scan on the true means (oracle): clusters alerted within their window 7/12 (2/7 of those no \
                area alerted for), median 29.1 hours from the first extra event; alerts opened outside spikes and \
                clusters 3 = 0.75 per week city-wide (0 of them by the scan); spikes alerted 18
                """, buf.toString(StandardCharsets.UTF_8));
    }

    /**
     * The same clusters laid out on Toronto's 158 neighbourhoods (their borders, {@code AreaAdjacency}) instead of
     * the hexagons: the scan's zones are Toronto's connected sets of 2-5 areas. Skips without {@code ../shared}.
     */
    @Test
    void clustersCanBeLaidOutOnARealCitysAdjacency() {
        String toronto = SharedData.torontoBoundaries().toString();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new EvalCityCommand().run(
                List.of("--days", "28", "--spikes", "20", "--clusters", "12", "--adjacency", toronto),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals("""
                spikes alerted within their window: 17/20 (85.0%), on the day of the first extra event: 15
                alerts opened outside spikes: 4 area-days in 28 days = 1.00 per week city-wide
                median hours from first extra event to alert: 3.9 (daily detector alone: 15.3)
                alerts opened in total: 21
                multi-area clusters: 12 (each area the most extra events a day its own detectors stay silent on: \
                1.71 on average; 1 areas got none), of which no area's own detectors alerted for 12; 27267 candidate \
                zones
                clusters whose own areas and days, on the true means, exceed h = 14.0: 5/12
                per-area detectors alone: clusters alerted within their window 0/12 (0/12 of those no area alerted \
                for), none alerted; alerts opened outside spikes and clusters 4 = 1.00 per week city-wide (0 of them \
                by the scan); spikes alerted 17
                with the scan: clusters alerted within their window 9/12 (9/12 of those no area alerted for), median \
                47.0 hours from the first extra event; alerts opened outside spikes and clusters 5 = 1.25 per week \
                city-wide (1 of them by the scan); spikes alerted 18
                with the scan on the true means (oracle): clusters alerted within their window 5/12 (5/12 of those \
                no area alerted for), median 60.9 hours from the first extra event; alerts opened outside spikes and \
                clusters 4 = 1.00 per week city-wide (0 of them by the scan); spikes alerted 18
                """, buf.toString(StandardCharsets.UTF_8));
    }

    /**
     * Clusters as the issue defines them: each area gets the most extra events a day that its own detectors stay
     * silent on over the cluster's days (a per-area-only replay), so the per-area detectors alone alert for none; the
     * scan at its threshold 14 and at 8, on the fitted baselines and on the true means.
     */
    @Test
    void clustersBelowEveryAreasAlertLevelAreScoredPerThreshold() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new EvalCityCommand().run(List.of("--days", "28", "--spikes", "20", "--clusters", "12", "--scan-h", "14,8"),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals("""
                spikes alerted within their window: 17/20 (85.0%), on the day of the first extra event: 15
                alerts opened outside spikes: 3 area-days in 28 days = 0.75 per week city-wide
                median hours from first extra event to alert: 3.9 (daily detector alone: 15.3)
                alerts opened in total: 20
                multi-area clusters: 12 (each area the most extra events a day its own detectors stay silent on: \
                2.34 on average; 0 areas got none), of which no area's own detectors alerted for 12; 26594 candidate \
                zones
                clusters whose own areas and days, on the true means, exceed h = 14.0: 7/12
                clusters whose own areas and days, on the true means, exceed h = 8.0: 12/12
                per-area detectors alone: clusters alerted within their window 0/12 (0/12 of those no area alerted \
                for), none alerted; alerts opened outside spikes and clusters 3 = 0.75 per week city-wide (0 of them \
                by the scan); spikes alerted 17
                with the scan at h = 14.0: clusters alerted within their window 8/12 (8/12 of those no area alerted \
                for), median 28.6 hours from the first extra event; alerts opened outside spikes and clusters 5 = \
                1.25 per week city-wide (2 of them by the scan); spikes alerted 17
                with the scan on the true means (oracle) at h = 14.0: clusters alerted within their window 9/12 \
                (9/12 of those no area alerted for), median 22.7 hours from the first extra event; alerts opened \
                outside spikes and clusters 3 = 0.75 per week city-wide (0 of them by the scan); spikes alerted 17
                with the scan at h = 8.0: clusters alerted within their window 8/12 (8/12 of those no area alerted \
                for), median 22.6 hours from the first extra event; alerts opened outside spikes and clusters 15 = \
                3.75 per week city-wide (12 of them by the scan); spikes alerted 18
                with the scan on the true means (oracle) at h = 8.0: clusters alerted within their window 9/12 (9/12 \
                of those no area alerted for), median 22.5 hours from the first extra event; alerts opened outside \
                spikes and clusters 12 = 3.00 per week city-wide (9 of them by the scan); spikes alerted 19
                """, buf.toString(StandardCharsets.UTF_8));
    }

    /**
     * Where nothing was alerted a median of hours to alert has nothing to be taken of: the tables say so instead of
     * "NaN", and without clusters there is no mean of their extra events to give. The zones are those of 2 to 6
     * areas, the most --scan-areas takes.
     */
    @Test
    void whereNothingWasAlertedTheMediansSayNoneAlerted() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new EvalCityCommand().run(List.of("--days", "14", "--spikes", "1", "--k", "0.01", "--min-extra", "1",
                "--clusters", "0", "--scan-areas", "6"), new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals("""
                spikes alerted within their window: 0/1 (0.0%), on the day of the first extra event: 0
                alerts opened outside spikes: 2 area-days in 14 days = 1.00 per week city-wide
                median hours from first extra event to alert: none alerted (daily detector alone: none alerted)
                alerts opened in total: 2
                multi-area clusters: 0, of which no area's own detectors alerted for 0; 105222 candidate zones
                clusters whose own areas and days, on the true means, exceed h = 14.0: 0/0
                per-area detectors alone: clusters alerted within their window 0/0 (0/0 of those no area alerted \
                for), none alerted; alerts opened outside spikes and clusters 2 = 1.00 per week city-wide (0 of them \
                by the scan); spikes alerted 0
                with the scan: clusters alerted within their window 0/0 (0/0 of those no area alerted for), none \
                alerted; alerts opened outside spikes and clusters 2 = 1.00 per week city-wide (0 of them by the \
                scan); spikes alerted 0
                with the scan on the true means (oracle): clusters alerted within their window 0/0 (0/0 of those no \
                area alerted for), none alerted; alerts opened outside spikes and clusters 2 = 1.00 per week \
                city-wide (0 of them by the scan); spikes alerted 0
                """, buf.toString(StandardCharsets.UTF_8));
    }

    /**
     * Xylazine in 60 % of samples everywhere: the rule before (any watch-list finding nearby) opens a multi alert
     * wherever overdoses rise, and by chance in 46 areas; judging change keeps the spikes that carry a new substance.
     */
    @Test
    void judgingChangeRemovesMostFalseMultiAlertsWhereXylazineIsCommon() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        new EvalCityCommand().run(List.of("--toxicity", "--days", "28", "--spikes", "21"),
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals("""
                multi alerts | spikes with a new substance alerted | with rising medetomidine | with nothing new \
                | alerts opened outside spikes (areas) | per week city-wide
                presence (before) | 7/7 | 6/7 | 6/7 | 56 (46) | 14.00
                change (after) | 7/7 | 5/7 | 3/7 | 9 (9) | 2.25
                """, buf.toString(StandardCharsets.UTF_8));
        assertEquals("--toxicity does not go with --linked, --new-hotspots or --clusters", assertThrows(UsageException.class,
                () -> new EvalCityCommand().run(List.of("--toxicity", "--linked"), System.out)).getMessage());
        assertEquals("--background-share must be between 0 and 1, --spike-samples between 0 and 2000 and"
                + " --rising-alpha between 0 and 1", assertThrows(UsageException.class, () -> new EvalCityCommand().run(
                        List.of("--toxicity", "--background-share", "2"), System.out)).getMessage());
    }

    /** Days beyond the bound ran for minutes or out of memory; a negative --spikes was taken as the default. */
    @Test
    void outOfRangeNumbersAreOneLine() {
        Map<List<String>, String> refused = Map.of(
                List.of("--days", "99999999"), "--days must be from 14 to 1830",
                List.of("--days", "1000000"), "--days must be from 14 to 1830",
                List.of("--toxicity", "--days", "1831"), "--days must be from 14 to 1830",
                List.of("--spikes", "-5"), "--spikes must be between 1 and 316",
                List.of("--toxicity", "--spikes", "-5"), "--toxicity needs --spikes between 1 and 158",
                List.of("--k", "-1"), "--k must be a number above 0 and at most 100",
                List.of("--k", "NaN"), "--k must be a number above 0 and at most 100",
                List.of("--k", "101"), "--k must be a number above 0 and at most 100",
                // Zones of 8 areas: 2.1 million on Toronto's borders, hours over five years; 7: 482,276.
                List.of("--clusters", "2", "--scan-areas", "8"), "--scan-areas must be between 2 and 6",
                List.of("--clusters", "2", "--scan-areas", "7"), "--scan-areas must be between 2 and 6");
        refused.forEach((args, message) -> assertEquals(message, assertThrows(UsageException.class,
                () -> new EvalCityCommand().run(args, System.out)).getMessage(), args.toString()));
        // Extra events of a billion ran out of memory, extra samples of 10,000 a day out of the default heap, 21
        // thresholds 21 scans; an empty --scan-h list and an unknown last option were taken.
        String extra = "--min-extra must be between 1 and 1000 and --cluster-extra at most 1000";
        String samples = "--background-share must be between 0 and 1, --spike-samples between 0 and 2000 and"
                + " --rising-alpha between 0 and 1";
        String thresholds = "--scan-h needs from 1 to 20 thresholds";
        Map<List<String>, String> alsoRefused = Map.of(
                List.of("--min-extra", "999999999"), extra,
                List.of("--min-extra", "-1"), extra,
                List.of("--clusters", "2", "--cluster-extra", "999999999"), extra,
                List.of("--toxicity", "--spike-samples", "999999999"), samples,
                List.of("--toxicity", "--spike-samples", "2001"), samples,
                List.of("--clusters", "2", "--scan-h", ",,"), thresholds,
                List.of("--clusters", "2", "--scan-h", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21"),
                thresholds,
                List.of("--bogus"), "unknown option --bogus (see ./lookout eval-city-detection --help)",
                List.of("extra"), "unexpected argument 'extra' (see ./lookout eval-city-detection --help)");
        alsoRefused.forEach((args, message) -> assertEquals(message, assertThrows(UsageException.class,
                () -> new EvalCityCommand().run(args, System.out)).getMessage(), args.toString()));
    }

    @Test
    void badArgumentsAreOneLine() {
        UsageException e = assertThrows(UsageException.class,
                () -> new EvalCityCommand().run(List.of("--days", "x"), System.out));
        assertEquals("--days needs a number", e.getMessage());
        assertEquals("--new-hotspots must be between 0 and --spikes", assertThrows(UsageException.class,
                () -> new EvalCityCommand().run(List.of("--spikes", "3", "--new-hotspots", "4"), System.out))
                .getMessage());
        assertEquals("--clusters must be between 0 and 40, --cluster-extra at least 1 and --scan-h positive",
                assertThrows(UsageException.class,
                        () -> new EvalCityCommand().run(List.of("--clusters", "41"), System.out)).getMessage());
        assertEquals("--scan-areas must be between 2 and 6", assertThrows(UsageException.class,
                () -> new EvalCityCommand().run(List.of("--clusters", "1", "--scan-areas", "1"), System.out))
                .getMessage());
        assertEquals("--scan-zones is nearest or connected", assertThrows(UsageException.class,
                () -> new EvalCityCommand().run(List.of("--clusters", "1", "--scan-zones", "all"), System.out))
                .getMessage());
        assertEquals("--adjacency: boundary file missing.geojson: not found", assertThrows(UsageException.class,
                () -> new EvalCityCommand().run(List.of("--clusters", "1", "--adjacency", "missing.geojson"),
                        System.out)).getMessage());
        assertEquals("--adjacency lays out the clusters' areas: it needs --clusters", assertThrows(
                UsageException.class, () -> new EvalCityCommand().run(List.of("--adjacency", "missing.geojson"),
                        System.out)).getMessage());
        assertEquals("--scan-h needs a number", assertThrows(UsageException.class,
                () -> new EvalCityCommand().run(List.of("--clusters", "1", "--scan-h", "12,x"), System.out))
                .getMessage());
        assertEquals("--clusters is not available with --linked", assertThrows(UsageException.class,
                () -> new EvalCityCommand().run(List.of("--linked", "--clusters", "0"), System.out)).getMessage());
        assertEquals("--h must be positive and --alpha between 0 and 1", assertThrows(UsageException.class,
                () -> new EvalCityCommand().run(List.of("--alpha", "2"), System.out)).getMessage());
        assertEquals("--linked places at most one spike per area (--spikes up to 158) and no hotspots",
                assertThrows(UsageException.class, () -> new EvalCityCommand().run(List.of("--linked", "--spikes",
                        "200"), System.out)).getMessage());
    }
}
