package lookout.evaluate;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

import lookout.demo.Poisson;
import lookout.detect.DetectorCatalog;
import lookout.detect.ExcessGlrDetector;
import lookout.detect.IntradayDetector;
import lookout.kernel.Signal;

/**
 * The city-scale check of the default alerting: generated hourly events for 158 areas and two signals over two
 * years of history and a multi-month evaluation period with injected spikes, run through the same plain-Java
 * cores the Flink operator uses (daily excess GLR, intraday warning, alert lifecycle). It counts the spikes that
 * got an alert opened within their window, the alerts opened outside any spike (as area-days), and how many hours
 * after a spike's first extra event its alert opened.
 *
 * <p>The generator: each area's paramedic mean is log-uniform between 0.05 and 2 a day (naloxone 0.6 times
 * that), times a weekday profile (Friday and Saturday 1.25) and a yearly cycle of amplitude 0.15; each day's mean is
 * multiplied by a gamma(10, 1/10) factor, so counts are mildly overdispersed. Events fall at random minutes with
 * an evening-heavy hourly profile. Spikes last 1-3 days; each day adds {@code k} times the day's usual standard
 * deviation of extra events (Poisson), at least {@code minExtraPerDay}, all within an 8-hour stretch of the day.
 * With {@code newHotspots}, some spiked areas have no usual events at all: their spikes bring the first events ever
 * seen there. As in the operator, every series' history starts when the city's does (day 0).
 */
public final class CityEvaluation {
    public static final int AREAS = 158;
    static final List<String> SIGNALS = List.of(Signal.PARAMEDIC.code(), Signal.NALOXONE.code());
    static final double[] DOW = {0.9, 0.9, 0.9, 0.9, 1.25, 1.25, 0.85};
    static final double[] HOURLY = hourly();
    static final LocalDate FIRST = LocalDate.of(2024, 1, 1);
    private static final long HOUR = 3_600_000L;

    /**
     * @param evalDays       days in the evaluation period (after 730 days of history)
     * @param spikes         spikes injected in the evaluation period
     * @param k              spike size in usual standard deviations per day
     * @param minExtraPerDay least extra events per spike day
     * @param newHotspots    areas of the first spikes placed that have no usual events at all: the spike brings
     *                       the first events ever seen there
     */
    public record Config(long seed, int evalDays, int spikes, double k, int minExtraPerDay, int newHotspots,
            ExcessGlrDetector daily, IntradayDetector intraday, Scan scan) {
        public Config(long seed, int evalDays, int spikes, double k, int minExtraPerDay, int newHotspots) {
            this(seed, evalDays, spikes, k, minExtraPerDay, newHotspots, DetectorCatalog.alerting(),
                    DetectorCatalog.intradayDefault());
        }

        public Config(long seed, int evalDays, int spikes, double k, int minExtraPerDay, int newHotspots,
                ExcessGlrDetector daily, IntradayDetector intraday) {
            this(seed, evalDays, spikes, k, minExtraPerDay, newHotspots, daily, intraday, null);
        }
    }

    /**
     * Multi-area clusters and the space-time scan ({@link ClusterEvaluation}); null leaves both out.
     *
     * @param clusters     clusters injected (one signal each, 2-5 adjacent areas, 1-3 days)
     * @param extraPerArea extra events per cluster area and day, or {@link #CALIBRATED}: each area the most that its
     *                     own detectors stay silent on (see {@link ClusterEvaluation#extraTimes})
     * @param thresholds   the scan's thresholds on the log likelihood ratio, one run of the scan each
     * @param maxAreas     the most areas in a zone the scan judges
     * @param connected    zones are every connected set of areas ({@code ScanZones.connected}), else grown by nearness
     * @param layout       area index to its neighbours' indices (a real city's, {@link #layout}), or null for the
     *                     hexagonal layout
     */
    public record Scan(int clusters, int extraPerArea, List<Double> thresholds, int maxAreas, boolean connected,
            Map<Integer, List<Integer>> layout) {
        public static final int CALIBRATED = ClusterEvaluation.CALIBRATED;

        /** A real city's adjacency as the layout of the generated city's areas, in id order. */
        public static Map<Integer, List<Integer>> layout(Map<String, ? extends Collection<String>> adjacency) {
            return ClusterEvaluation.layout(adjacency);
        }
    }

    /**
     * The scan's figures: per-area detectors alone, and per threshold with the scan and with the scan fed the true
     * means (oracle).
     * Clusters and spikes count as alerted if an alert on their signal covering one of their areas opened during
     * their days; false alerts are those covering no spike or cluster then, per week city-wide.
     *
     * @param calibrated   whether each cluster area got the most extra events its own detectors stay silent on
     * @param meanExtra    extra events per cluster area and day, on average over the clusters' areas
     * @param areasWithout cluster areas that got no extra event (their own detectors fired on the first)
     */
    public record ScanFigures(int clusters, int unseenByAreas, boolean calibrated, double meanExtra,
            int areasWithout, Row perArea, List<ScanRows> scans, int evalDays, int zones) {}

    /** The per-area detectors with the scan at {@code threshold}, on the fitted baselines and on the true means. */
    public record ScanRows(double threshold, Row withScan, Row oracle, int ownCylinderAbove) {}

    /**
     * @param unseenAlerted clusters alerted among those no area's own detectors alerted for
     * @param medianHours   from a cluster's first extra event to its first alert
     * @param falseByScan   of the false alerts, those the scan opened (the rest are per-area alerts)
     */
    public record Row(int clustersAlerted, int unseenAlerted, double medianHours, int falseAlerts,
            int falseByScan, int spikesAlerted) {}

    public record Spike(int area, int signal, int startDay, int days) {}

    public record Result(int spikes, int detected, int detectedSameDay, int falseAlertAreaDays, int evalDays,
            double medianHoursToAlert, double medianHoursDailyOnly, int alertsOpened, int hotspotSpikes,
            int hotspotsDetected, ScanFigures scan) {
        public Result(int spikes, int detected, int detectedSameDay, int falseAlertAreaDays, int evalDays,
                double medianHoursToAlert, double medianHoursDailyOnly, int alertsOpened, int hotspotSpikes,
                int hotspotsDetected) {
            this(spikes, detected, detectedSameDay, falseAlertAreaDays, evalDays, medianHoursToAlert,
                    medianHoursDailyOnly, alertsOpened, hotspotSpikes, hotspotsDetected, null);
        }

        public double detectionRate() {
            return (double) detected / spikes;
        }

        public double falseAreaDaysPerWeek() {
            return falseAlertAreaDays / (evalDays / 7.0);
        }
    }

    private CityEvaluation() {}

    public static Result run(Config c) {
        RandomGenerator rng = new Well19937c(c.seed());
        int history = 730;
        int total = history + c.evalDays();
        double[] base = new double[AREAS];
        for (int a = 0; a < AREAS; a++) {
            base[a] = Math.exp(Math.log(0.05) + rng.nextDouble() * (Math.log(2) - Math.log(0.05)));
        }
        List<Spike> spikes = placeSpikes(c, rng, history);
        boolean[][] spiked = new boolean[AREAS][SIGNALS.size()];
        spikes.forEach(sp -> spiked[sp.area()][sp.signal()] = true);

        List<long[]> perAreaOpenings = new ArrayList<>();
        boolean[] quiet = new boolean[AREAS];
        for (int i = 0; i < Math.min(c.newHotspots(), spikes.size()); i++) {
            quiet[spikes.get(i).area()] = true;
        }
        double[][] means = new double[AREAS][SIGNALS.size()];
        for (int a = 0; a < AREAS; a++) {
            means[a][0] = quiet[a] ? 0 : base[a];
            means[a][1] = quiet[a] ? 0 : base[a] * 0.6;
        }
        ClusterEvaluation clusters = c.scan() == null ? null : new ClusterEvaluation(c.seed(), c.scan().clusters(),
                c.scan().extraPerArea(), history, total, spiked, means, c.scan().layout());
        ExcessGlrDetector daily = c.daily();
        IntradayDetector intraday = c.intraday();
        ZoneId zone = ZoneId.of("America/Toronto");
        long watchedSince = FIRST.atStartOfDay(zone).toInstant().toEpochMilli();

        int detected = 0;
        int falseAreaDays = 0;
        int opened = 0;
        int sameDay = 0;
        int hotspotSpikes = 0;
        int hotspotsDetected = 0;
        List<Double> hoursToAlert = new ArrayList<>();
        List<Double> hoursDailyOnly = new ArrayList<>();
        GammaDistribution noise = new GammaDistribution(rng, 10, 0.1);
        for (int a = 0; a < AREAS; a++) {
            for (int s = 0; s < SIGNALS.size(); s++) {
                double mean = quiet[a] ? 0 : base[a] * (s == 0 ? 1 : 0.6);
                Spike mine = null;
                for (Spike sp : spikes) {
                    if (sp.area() == a && sp.signal() == s) {
                        mine = sp;
                    }
                }
                Series series = Series.draw(mean, mine, c, rng, noise, history, total, zone);
                int area = a;
                int signal = s;
                long[][] more = clusters == null ? null : clusters.extraTimes(a, s, series.dayStarts(),
                        (extra, first, last) -> firesDuring(c, series, area, signal, extra, history, zone,
                                watchedSince, first, last));
                long firstExtra = series.firstExtra();
                int[] counts = series.counts();
                SeriesJudge judge = new SeriesJudge(daily, intraday, zone, watchedSince, Integer.toString(a + 1),
                        SIGNALS.get(s));
                for (int d = history - 56; d < total; d++) {
                    LocalDate date = FIRST.plusDays(d);
                    long[] times = series.times()[d];
                    if (more != null && more[d].length > 0) {
                        counts[d] += more[d].length;
                        times = Arrays.copyOf(times, times.length + more[d].length);
                        System.arraycopy(more[d], 0, times, times.length - more[d].length, more[d].length);
                        Arrays.sort(times);
                    }
                    judge.events(d, times, d >= history);
                    if (d >= history) {
                        judge.endOfDay(d, date, counts, series.spikeDay()[d]);
                    }
                    if (clusters != null && clusters.records(d)) {
                        double usualMean = mean * DOW[date.getDayOfWeek().getValue() - 1]
                                * Math.exp(0.15 * Math.cos(2 * Math.PI * (date.getDayOfYear() - 30) / 365.25));
                        double fitted = d >= history ? judge.lastExpected : judge.expectation(d, date, counts);
                        clusters.record(a, s, d, counts[d], fitted, Math.max(usualMean, 0.5 / 728), judge.firedOn(d));
                    }
                }
                List<long[]> openings = judge.openings;
                opened += openings.size();
                boolean hit = false;
                for (long[] o : openings) {
                    int d = (int) o[1];
                    boolean inWindow = mine != null && d >= mine.startDay() && d < mine.startDay() + mine.days();
                    perAreaOpenings.add(new long[] {a, s, o[0], d});
                    if (inWindow && !hit) {
                        hit = true;
                        sameDay += d == mine.startDay() ? 1 : 0;
                        hoursToAlert.add((o[0] - firstExtra) / (double) HOUR);
                    } else if (!inWindow && (clusters == null || !clusters.inCluster(a, s, d))) {
                        falseAreaDays++;
                    }
                }
                if (hit) {
                    detected++;
                }
                if (mine != null && quiet[a]) {
                    hotspotSpikes++;
                    hotspotsDetected += hit ? 1 : 0;
                }
                if (mine != null && judge.firstDailyAlarmInSpike != Long.MAX_VALUE) {
                    hoursDailyOnly.add((judge.firstDailyAlarmInSpike - firstExtra) / (double) HOUR);
                }
            }
        }
        ScanFigures scan = clusters == null ? null
                : clusters.figures(spikes, perAreaOpenings, c.scan().thresholds(), c.scan().maxAreas(), c.scan().connected(),
                        c.evalDays());
        return new Result(spikes.size(), detected, sameDay, falseAreaDays, c.evalDays(), median(hoursToAlert),
                median(hoursDailyOnly), opened, hotspotSpikes, hotspotsDetected, scan);
    }

    /**
     * One series' usual events and spike, drawn day by day from the city's random stream (in the order the figures
     * without clusters were always drawn in), before any detector sees them.
     */
    private record Series(int[] counts, long[][] times, boolean[] spikeDay, long[] dayStarts, long firstExtra) {
        static Series draw(double mean, Spike mine, Config c, RandomGenerator rng, GammaDistribution noise,
                int history, int total, ZoneId zone) {
            int[] counts = new int[total];
            long[][] times = new long[total][];
            boolean[] spikeDay = new boolean[total];
            long[] dayStarts = new long[total];
            long firstExtra = Long.MAX_VALUE;
            for (int d = 0; d < total; d++) {
                LocalDate date = FIRST.plusDays(d);
                double mu = mean * DOW[date.getDayOfWeek().getValue() - 1]
                        * Math.exp(0.15 * Math.cos(2 * Math.PI * (date.getDayOfYear() - 30) / 365.25))
                        * noise.sample();
                int usual = Poisson.draw(mu, rng::nextDouble);
                spikeDay[d] = mine != null && d >= mine.startDay() && d < mine.startDay() + mine.days();
                int extra = 0;
                int spikeStartHour = 0;
                if (spikeDay[d]) {
                    double sd = Math.sqrt(mu * (1 + mu / 10));
                    extra = Math.max(c.minExtraPerDay(), Poisson.draw(c.k() * sd, rng::nextDouble));
                    spikeStartHour = 6 + rng.nextInt(10);
                }
                counts[d] = usual + extra;
                dayStarts[d] = date.atStartOfDay(zone).toInstant().toEpochMilli();
                if (d < history - 56) {
                    continue;
                }
                long[] day = new long[usual + extra];
                for (int i = 0; i < day.length; i++) {
                    int hour = i < usual ? randomHour(rng) : spikeStartHour + rng.nextInt(8);
                    day[i] = dayStarts[d] + hour * HOUR + rng.nextInt(60) * 60_000L;
                    if (i >= usual) {
                        firstExtra = Math.min(firstExtra, day[i]);
                    }
                }
                Arrays.sort(day);
                times[d] = day;
            }
            return new Series(counts, times, spikeDay, dayStarts, firstExtra);
        }
    }

    /**
     * A per-area-only replay of a cluster area's series up to the cluster's last day, with the first {@code e} of
     * the cluster's extra events of each of its days: whether the area's own detectors (daily or intraday, with
     * their fitted baselines) fire on any of the cluster's days.
     */
    private static boolean firesDuring(Config c, Series series, int a, int s, long[][] extra, int history,
            ZoneId zone, long watchedSince, int firstDay, int lastDay) {
        SeriesJudge judge = new SeriesJudge(c.daily(), c.intraday(), zone, watchedSince, Integer.toString(a + 1),
                SIGNALS.get(s));
        int[] counts = series.counts().clone();
        for (int d = history - 56; d <= lastDay; d++) {
            long[] times = series.times()[d];
            if (extra[d].length > 0) {
                counts[d] += extra[d].length;
                times = Arrays.copyOf(times, times.length + extra[d].length);
                System.arraycopy(extra[d], 0, times, times.length - extra[d].length, extra[d].length);
                Arrays.sort(times);
            }
            judge.events(d, times, d >= history);
            if (d >= history) {
                judge.endOfDay(d, FIRST.plusDays(d), counts, series.spikeDay()[d]);
            }
            if (d >= firstDay && judge.firedOn(d)) {
                return true;
            }
        }
        return false;
    }

    /** At most one spike per area and signal, spread over the evaluation period. */
    private static List<Spike> placeSpikes(Config c, RandomGenerator rng, int history) {
        List<Spike> out = new ArrayList<>();
        boolean[][] used = new boolean[AREAS][SIGNALS.size()];
        while (out.size() < c.spikes()) {
            int a = rng.nextInt(AREAS);
            int s = rng.nextInt(SIGNALS.size());
            if (used[a][s]) {
                continue;
            }
            used[a][s] = true;
            int days = 1 + rng.nextInt(3);
            out.add(new Spike(a, s, history + rng.nextInt(c.evalDays() - days), days));
        }
        return out;
    }

    static int randomHour(RandomGenerator rng) {
        double u = rng.nextDouble();
        for (int h = 0; h < 24; h++) {
            u -= HOURLY[h];
            if (u <= 0) {
                return h;
            }
        }
        return 23;
    }

    private static double[] hourly() {
        double[] w = new double[24];
        double sum = 0;
        for (int h = 0; h < 24; h++) {
            w[h] = 1 + 0.6 * Math.cos(2 * Math.PI * (h - 20) / 24.0);
            sum += w[h];
        }
        for (int h = 0; h < 24; h++) {
            w[h] /= sum;
        }
        return w;
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }
}
