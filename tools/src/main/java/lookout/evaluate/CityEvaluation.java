package lookout.evaluate;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
            ExcessGlrDetector daily, IntradayDetector intraday) {
        public Config(long seed, int evalDays, int spikes, double k, int minExtraPerDay, int newHotspots) {
            this(seed, evalDays, spikes, k, minExtraPerDay, newHotspots, DetectorCatalog.alerting(),
                    DetectorCatalog.intradayDefault());
        }
    }

    public record Spike(int area, int signal, int startDay, int days) {}

    public record Result(int spikes, int detected, int detectedSameDay, int falseAlertAreaDays, int evalDays,
            double medianHoursToAlert, double medianHoursDailyOnly, int alertsOpened, int hotspotSpikes,
            int hotspotsDetected) {
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
        boolean[] quiet = new boolean[AREAS];
        for (int i = 0; i < Math.min(c.newHotspots(), spikes.size()); i++) {
            quiet[spikes.get(i).area()] = true;
        }
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
                int[] counts = new int[total];
                Spike mine = null;
                for (Spike sp : spikes) {
                    if (sp.area() == a && sp.signal() == s) {
                        mine = sp;
                    }
                }
                SeriesJudge judge = new SeriesJudge(daily, intraday, zone, watchedSince, Integer.toString(a + 1),
                        SIGNALS.get(s));
                long firstExtra = Long.MAX_VALUE;
                for (int d = 0; d < total; d++) {
                    LocalDate date = FIRST.plusDays(d);
                    double mu = mean * DOW[date.getDayOfWeek().getValue() - 1]
                            * Math.exp(0.15 * Math.cos(2 * Math.PI * (date.getDayOfYear() - 30) / 365.25))
                            * noise.sample();
                    int usual = Poisson.draw(mu, rng::nextDouble);
                    boolean spikeDay = mine != null && d >= mine.startDay() && d < mine.startDay() + mine.days();
                    int extra = 0;
                    int spikeStartHour = 0;
                    if (spikeDay) {
                        double sd = Math.sqrt(mu * (1 + mu / 10));
                        extra = Math.max(c.minExtraPerDay(), Poisson.draw(c.k() * sd, rng::nextDouble));
                        spikeStartHour = 6 + rng.nextInt(10);
                    }
                    counts[d] = usual + extra;
                    if (d < history - 56) {
                        continue;
                    }
                    long dayStart = date.atStartOfDay(zone).toInstant().toEpochMilli();
                    long[] times = new long[usual + extra];
                    for (int i = 0; i < times.length; i++) {
                        int hour = i < usual ? randomHour(rng) : spikeStartHour + rng.nextInt(8);
                        times[i] = dayStart + hour * HOUR + rng.nextInt(60) * 60_000L;
                        if (i >= usual) {
                            firstExtra = Math.min(firstExtra, times[i]);
                        }
                    }
                    Arrays.sort(times);
                    judge.events(d, times, d >= history);
                    if (d >= history) {
                        judge.endOfDay(d, date, counts, spikeDay);
                    }
                }
                List<long[]> openings = judge.openings;
                opened += openings.size();
                boolean hit = false;
                for (long[] o : openings) {
                    int d = (int) o[1];
                    boolean inWindow = mine != null && d >= mine.startDay() && d < mine.startDay() + mine.days();
                    if (inWindow && !hit) {
                        hit = true;
                        sameDay += d == mine.startDay() ? 1 : 0;
                        hoursToAlert.add((o[0] - firstExtra) / (double) HOUR);
                    } else if (!inWindow) {
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
        return new Result(spikes.size(), detected, sameDay, falseAreaDays, c.evalDays(), median(hoursToAlert),
                median(hoursDailyOnly), opened, hotspotSpikes, hotspotsDetected);
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
