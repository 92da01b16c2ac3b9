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
import lookout.kernel.Signal;

/**
 * Does judging the {@code combined} signal (an overdose counted once, whether a paramedic call, a naloxone report
 * or both reported it) for alerting raise detection? The same generated city as {@link CityEvaluation}, but what
 * happens is overdoses: each is reported by a paramedic call with probability {@link #CALL} and by a naloxone report
 * with probability {@link #NALOXONE}, independently (so naloxone reports are 0.6 times the calls, as there), and a
 * spike adds extra overdoses to one area (k usual standard deviations of the combined count a day, at least
 * {@code minExtraPerDay}), reported the same way: a spike of 4 overdoses is about 3 calls and 2 naloxone reports.
 * Each area's paramedic, naloxone and combined series are judged as the operator judges one series. A spike is
 * alerted if any judged series of its area opened an alert during its days; every alert opened outside a spike is a
 * false one. The result is given for the per-signal alerts alone, with the combined series alerting too, and for
 * the combined series alone.
 */
public final class LinkedCityEvaluation {
    static final double CALL = 0.8;
    static final double NALOXONE = 0.48;
    private static final long HOUR = 3_600_000L;
    private static final int PARAMEDIC = 0;
    private static final int NALOX = 1;
    private static final int COMBINED = 2;

    /**
     * Per-signal alerting (paramedic and naloxone), the same with the combined signal alerting too, and the
     * combined signal alone.
     */
    public record Results(CityEvaluation.Result perSignal, CityEvaluation.Result withCombined,
            CityEvaluation.Result combinedAlone) {}

    private LinkedCityEvaluation() {}

    public static Results run(CityEvaluation.Config c) {
        RandomGenerator rng = new Well19937c(c.seed());
        int history = 730;
        int total = history + c.evalDays();
        double[] overdoseRate = new double[CityEvaluation.AREAS];
        for (int a = 0; a < CityEvaluation.AREAS; a++) {
            double paramedicMean = Math.exp(Math.log(0.05) + rng.nextDouble() * (Math.log(2) - Math.log(0.05)));
            overdoseRate[a] = paramedicMean / CALL;
        }
        int spikes = Math.min(c.spikes(), CityEvaluation.AREAS);
        int[] spikeStart = new int[CityEvaluation.AREAS];
        int[] spikeDays = new int[CityEvaluation.AREAS];
        Arrays.fill(spikeStart, -1);
        for (int placed = 0; placed < spikes; ) {
            int a = rng.nextInt(CityEvaluation.AREAS);
            if (spikeStart[a] < 0) {
                spikeDays[a] = 1 + rng.nextInt(3);
                spikeStart[a] = history + rng.nextInt(c.evalDays() - spikeDays[a]);
                placed++;
            }
        }
        ZoneId zone = ZoneId.of("America/Toronto");
        long watchedSince = CityEvaluation.FIRST.atStartOfDay(zone).toInstant().toEpochMilli();
        double combinedShare = 1 - (1 - CALL) * (1 - NALOXONE);
        GammaDistribution noise = new GammaDistribution(rng, 10, 0.1);
        Tally perSignal = new Tally();
        Tally withCombined = new Tally();
        Tally combinedAlone = new Tally();
        for (int a = 0; a < CityEvaluation.AREAS; a++) {
            String area = Integer.toString(a + 1);
            SeriesJudge[] judges = {
                    new SeriesJudge(c.daily(), c.intraday(), zone, watchedSince, area, Signal.PARAMEDIC.code()),
                    new SeriesJudge(c.daily(), c.intraday(), zone, watchedSince, area, Signal.NALOXONE.code()),
                    new SeriesJudge(c.daily(), c.intraday(), zone, watchedSince, area, Signal.COMBINED.code())};
            int[][] counts = new int[3][total];
            long firstExtra = Long.MAX_VALUE;
            for (int d = 0; d < total; d++) {
                LocalDate date = CityEvaluation.FIRST.plusDays(d);
                double mu = overdoseRate[a] * CityEvaluation.DOW[date.getDayOfWeek().getValue() - 1]
                        * Math.exp(0.15 * Math.cos(2 * Math.PI * (date.getDayOfYear() - 30) / 365.25))
                        * noise.sample();
                int usual = Poisson.draw(mu, rng::nextDouble);
                boolean spikeDay = spikeStart[a] >= 0 && d >= spikeStart[a] && d < spikeStart[a] + spikeDays[a];
                int extra = 0;
                int spikeStartHour = 0;
                if (spikeDay) {
                    double muCombined = combinedShare * mu;
                    double sd = Math.sqrt(muCombined * (1 + muCombined / 10));
                    extra = Math.max(c.minExtraPerDay(), Poisson.draw(c.k() * sd, rng::nextDouble));
                    spikeStartHour = 6 + rng.nextInt(10);
                }
                List<List<Long>> times = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
                long dayStart = date.atStartOfDay(zone).toInstant().toEpochMilli();
                for (int i = 0; i < usual + extra; i++) {
                    int hour = i < usual ? CityEvaluation.randomHour(rng) : spikeStartHour + rng.nextInt(8);
                    long t = dayStart + hour * HOUR + rng.nextInt(60) * 60_000L;
                    boolean call = rng.nextDouble() < CALL;
                    boolean naloxone = rng.nextDouble() < NALOXONE;
                    if (call) {
                        times.get(PARAMEDIC).add(t);
                    }
                    if (naloxone) {
                        times.get(NALOX).add(t);
                    }
                    if (call || naloxone) {
                        times.get(COMBINED).add(t);
                        if (i >= usual) {
                            firstExtra = Math.min(firstExtra, t);
                        }
                    }
                }
                for (int s = 0; s < 3; s++) {
                    counts[s][d] = times.get(s).size();
                    if (d < history - 56) {
                        continue;
                    }
                    long[] sorted = times.get(s).stream().mapToLong(Long::longValue).sorted().toArray();
                    judges[s].events(d, sorted, d >= history);
                    if (d >= history) {
                        judges[s].endOfDay(d, date, counts[s], spikeDay);
                    }
                }
            }
            int start = spikeStart[a];
            int end = start + spikeDays[a];
            perSignal.add(List.of(judges[PARAMEDIC], judges[NALOX]), start, end, firstExtra);
            withCombined.add(List.of(judges[PARAMEDIC], judges[NALOX], judges[COMBINED]), start, end, firstExtra);
            combinedAlone.add(List.of(judges[COMBINED]), start, end, firstExtra);
        }
        return new Results(perSignal.result(spikes, c.evalDays()), withCombined.result(spikes, c.evalDays()),
                combinedAlone.result(spikes, c.evalDays()));
    }

    /** Spikes alerted, false alerts and delays over the areas, for one choice of alerting series. */
    private static final class Tally {
        int detected;
        int sameDay;
        int falseAlerts;
        int opened;
        final List<Double> hoursToAlert = new ArrayList<>();
        final List<Double> hoursDailyOnly = new ArrayList<>();

        /** One area: its alerting series, its spike's days [start, end) (start -1: none) and first extra event. */
        void add(List<SeriesJudge> series, int start, int end, long firstExtra) {
            long firstHit = Long.MAX_VALUE;
            int firstHitDay = -1;
            long firstDaily = Long.MAX_VALUE;
            for (SeriesJudge j : series) {
                opened += j.openings.size();
                for (long[] o : j.openings) {
                    boolean inWindow = start >= 0 && o[1] >= start && o[1] < end;
                    if (!inWindow) {
                        falseAlerts++;
                    } else if (o[0] < firstHit) {
                        firstHit = o[0];
                        firstHitDay = (int) o[1];
                    }
                }
                firstDaily = Math.min(firstDaily, j.firstDailyAlarmInSpike);
            }
            if (firstHit != Long.MAX_VALUE) {
                detected++;
                sameDay += firstHitDay == start ? 1 : 0;
                hoursToAlert.add((firstHit - firstExtra) / (double) HOUR);
            }
            if (start >= 0 && firstDaily != Long.MAX_VALUE) {
                hoursDailyOnly.add((firstDaily - firstExtra) / (double) HOUR);
            }
        }

        CityEvaluation.Result result(int spikes, int evalDays) {
            return new CityEvaluation.Result(spikes, detected, sameDay, falseAlerts, evalDays,
                    CityEvaluation.median(hoursToAlert), CityEvaluation.median(hoursDailyOnly), opened, 0, 0);
        }
    }
}
