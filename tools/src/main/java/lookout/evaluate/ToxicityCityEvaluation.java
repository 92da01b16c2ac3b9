package lookout.evaluate;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

import lookout.demo.Poisson;
import lookout.detect.DetectorCatalog;
import lookout.detect.Finding;
import lookout.detect.Firing;
import lookout.detect.HourlyCounts;
import lookout.detect.SpikeTracker;
import lookout.detect.SubstanceChange;
import lookout.detect.SubstanceJudge;
import lookout.detect.SubstanceWatch;
import lookout.detect.ToxicityRule;
import lookout.ingest.SubstanceVocabulary;
import lookout.schema.Alert;

/**
 * The city-scale check of the multi-signal toxicity alert ({@code multi}): does judging drug-checking findings by
 * change rather than presence remove the false alerts that a common adulterant makes, without losing the overdose
 * spikes that carry a new or rising one? Generated city: 158 areas on a grid 13 wide (neighbours share a side),
 * paramedic and naloxone events as in {@link CityEvaluation} (63 days of history, then the evaluation days), and
 * drug checking: each area has Poisson(0.3) samples a day, each with fentanyl, xylazine with probability
 * {@code backgroundShare}, medetomidine with probability 0.02 and carfentanil with probability 0.001. Overdose spikes
 * (one per area at most, 1-3 days, each day adding max(4, Poisson(3 usual sd)) overdoses in an 8-hour stretch,
 * 60 % paramedic calls, 40 % naloxone uses) bring {@code samplesPerSpikeDay} extra samples checked in their area
 * during the stretch. A third of the spikes carry a substance new to the city in those samples, a third carry
 * medetomidine (a rising share), a third nothing new (the usual supply). Both rules run the same cores as the
 * operator ({@link ToxicityRule}, {@link SpikeTracker}): "presence" flags every watch-list finding (the rule
 * before), "change" only notable ones ({@link SubstanceJudge}).
 */
public final class ToxicityCityEvaluation {
    static final int AREAS = CityEvaluation.AREAS;
    static final int GRID_WIDTH = 13;
    static final int HISTORY_DAYS = 63;
    static final double SAMPLES_PER_AREA_DAY = 0.3;
    static final double MEDETOMIDINE_SHARE = 0.02;
    static final double CARFENTANIL_SHARE = 0.001;
    private static final long HOUR = 3_600_000L;
    private static final ZoneId ZONE = ZoneId.of("America/Toronto");
    /** Vocabulary terms the generated supply never holds except where a spike brings them: new to the city. */
    static final List<String> NEW_TERMS = List.of("bromazolam", "etizolam", "flualprazolam", "flubromazolam",
            "clonazolam", "desalkylgidazepam", "phenazepam", "flubromazepam", "brorphine", "u-47700",
            "n-ethylpentylone", "eutylone", "methylone", "alpha-pvp", "tapentadol", "noscapine", "papaverine",
            "acetylcodeine", "6-mam", "pregabalin", "gabapentin", "diphenhydramine", "phenacetin", "levamisole");

    public enum Carried { NEW, RISING, NOTHING }

    public record Config(long seed, int evalDays, int spikes, double backgroundShare, int samplesPerSpikeDay,
            SubstanceChange change) {}

    public record Spike(int area, int startDay, int days, int startHour, Carried carried, String substance) {}

    /**
     * Spikes by what they carried ({@link Carried}'s order) and how many of each had a multi alert opened during
     * their days; multi alerts opened outside any spike, and the areas with at least one of them.
     */
    public record RuleResult(int[] spikes, int[] alerted, int falseAlerts, int falseAreas, int evalDays) {
        public int spikes(Carried c) {
            return spikes[c.ordinal()];
        }

        public int alerted(Carried c) {
            return alerted[c.ordinal()];
        }

        public double falsePerWeek() {
            return falseAlerts / (evalDays / 7.0);
        }
    }

    public record Result(RuleResult presence, RuleResult change) {}

    private record Sample(int area, long time, List<String> substances) {}

    private record Input(long time, String signal, Finding finding) {}

    private ToxicityCityEvaluation() {}

    /** Areas on a grid {@value #GRID_WIDTH} wide, numbered from 1; neighbours share a side. */
    static Map<String, Set<String>> gridNeighbours() {
        Map<String, Set<String>> n = new HashMap<>();
        for (int a = 0; a < AREAS; a++) {
            Set<String> near = new HashSet<>();
            int row = a / GRID_WIDTH;
            int col = a % GRID_WIDTH;
            for (int[] d : new int[][] {{-1, 0}, {1, 0}, {0, -1}, {0, 1}}) {
                int r = row + d[0];
                int c = col + d[1];
                int b = r * GRID_WIDTH + c;
                if (r >= 0 && c >= 0 && c < GRID_WIDTH && b < AREAS) {
                    near.add(id(b));
                }
            }
            n.put(id(a), near);
        }
        return n;
    }

    static String id(int area) {
        return Integer.toString(area + 1);
    }

    public static Result run(Config c) {
        RandomGenerator rng = new Well19937c(c.seed());
        int total = HISTORY_DAYS + c.evalDays();
        LocalDate first = CityEvaluation.FIRST;
        double[] base = new double[AREAS];
        for (int a = 0; a < AREAS; a++) {
            base[a] = Math.exp(Math.log(0.05) + rng.nextDouble() * (Math.log(2) - Math.log(0.05)));
        }
        List<Spike> spikes = placeSpikes(c, rng);
        Spike[] spikeOf = new Spike[AREAS];
        for (Spike s : spikes) {
            spikeOf[s.area()] = s;
        }
        GammaDistribution noise = new GammaDistribution(rng, 10, 0.1);
        List<List<Input>> events = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        for (int a = 0; a < AREAS; a++) {
            List<Input> mine = new ArrayList<>();
            Spike sp = spikeOf[a];
            for (int d = 0; d < total; d++) {
                LocalDate date = first.plusDays(d);
                long dayStart = date.atStartOfDay(ZONE).toInstant().toEpochMilli();
                double mu = base[a] * CityEvaluation.DOW[date.getDayOfWeek().getValue() - 1]
                        * Math.exp(0.15 * Math.cos(2 * Math.PI * (date.getDayOfYear() - 30) / 365.25)) * noise.sample();
                for (String signal : List.of("paramedic", "naloxone")) {
                    int n = Poisson.draw(signal.equals("paramedic") ? mu : 0.6 * mu, rng::nextDouble);
                    for (int i = 0; i < n; i++) {
                        mine.add(new Input(at(dayStart, CityEvaluation.randomHour(rng), rng), signal, null));
                    }
                }
                int checked = Poisson.draw(SAMPLES_PER_AREA_DAY, rng::nextDouble);
                for (int i = 0; i < checked; i++) {
                    samples.add(new Sample(a, at(dayStart, CityEvaluation.randomHour(rng), rng), usualSupply(c, rng)));
                }
                if (sp != null && d >= sp.startDay() && d < sp.startDay() + sp.days()) {
                    double sd = Math.sqrt(1.6 * mu * (1 + 1.6 * mu / 10));
                    int extra = Math.max(4, Poisson.draw(3 * sd, rng::nextDouble));
                    for (int i = 0; i < extra; i++) {
                        mine.add(new Input(at(dayStart, sp.startHour() + rng.nextInt(8), rng),
                                rng.nextDouble() < 0.6 ? "paramedic" : "naloxone", null));
                    }
                    for (int i = 0; i < c.samplesPerSpikeDay(); i++) {
                        List<String> supply = new ArrayList<>(usualSupply(c, rng));
                        if (sp.substance() != null && !supply.contains(sp.substance())) {
                            supply.add(sp.substance());
                        }
                        samples.add(new Sample(a, at(dayStart, sp.startHour() + rng.nextInt(8), rng), supply));
                    }
                }
            }
            events.add(mine);
        }
        samples.sort(Comparator.comparingLong(Sample::time));
        Map<String, Set<String>> neighbours = gridNeighbours();
        SubstanceWatch watch = new SubstanceWatch(SubstanceWatch.DEFAULT, SubstanceWatch.DEFAULT_CRITICAL, c.change());
        List<List<Finding>> byChange = route(judged(samples, watch, neighbours), neighbours);
        List<List<Finding>> byPresence = route(present(samples, watch), neighbours);
        return new Result(score(c, events, byPresence, spikeOf, spikes), score(c, events, byChange, spikeOf, spikes));
    }

    private static long at(long dayStart, int hour, RandomGenerator rng) {
        return dayStart + hour * HOUR + rng.nextInt(60) * 60_000L;
    }

    private static List<String> usualSupply(Config c, RandomGenerator rng) {
        List<String> s = new ArrayList<>(List.of("fentanyl"));
        if (rng.nextDouble() < c.backgroundShare()) {
            s.add("xylazine");
        }
        if (rng.nextDouble() < MEDETOMIDINE_SHARE) {
            s.add("medetomidine");
        }
        if (rng.nextDouble() < CARFENTANIL_SHARE) {
            s.add("carfentanil");
        }
        return s;
    }

    /** One spike per area at most, in the evaluation days; a third each carry a new, a rising or no adulterant. */
    private static List<Spike> placeSpikes(Config c, RandomGenerator rng) {
        List<Spike> out = new ArrayList<>();
        boolean[] used = new boolean[AREAS];
        while (out.size() < c.spikes()) {
            int a = rng.nextInt(AREAS);
            if (used[a]) {
                continue;
            }
            used[a] = true;
            int i = out.size();
            Carried carried = Carried.values()[i % 3];
            String substance = switch (carried) {
                case NEW -> NEW_TERMS.get(i / 3 % NEW_TERMS.size());
                case RISING -> "medetomidine";
                case NOTHING -> null;
            };
            int days = 1 + rng.nextInt(3);
            out.add(new Spike(a, HISTORY_DAYS + rng.nextInt(c.evalDays() - days), days, 6 + rng.nextInt(10),
                    carried, substance));
        }
        return out;
    }

    /** The findings the operator emits: notable by change ({@link SubstanceJudge}). */
    private static List<Finding> judged(List<Sample> samples, SubstanceWatch watch, Map<String, Set<String>> neighbours) {
        SubstanceJudge judge = new SubstanceJudge(watch, 14, neighbours, ZONE);
        SubstanceJudge.InMemoryStore store = new SubstanceJudge.InMemoryStore();
        List<Finding> out = new ArrayList<>();
        try {
            for (Sample s : samples) {
                out.addAll(judge.sample(id(s.area()), s.time(), s.substances(), store));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The findings of the rule before: every watch-list substance found, and substances new to the city. */
    private static List<Finding> present(List<Sample> samples, SubstanceWatch watch) {
        Map<String, Long> firstSeen = new HashMap<>();
        long since = samples.isEmpty() ? 0 : samples.get(0).time();
        List<Finding> out = new ArrayList<>();
        for (Sample s : samples) {
            for (String t : s.substances()) {
                long firstTime = firstSeen.merge(t, s.time(), Math::min);
                boolean novel = firstTime - since >= 14 * 86_400_000L && s.time() - firstTime <= 14 * 86_400_000L;
                String entry = watch.match(t).orElse(null);
                if (entry != null || novel) {
                    out.add(new Finding(id(s.area()), id(s.area()), s.time(), t, entry, novel, watch.critical(t),
                            "present"));
                }
            }
        }
        return out;
    }

    private static List<List<Finding>> route(List<Finding> findings, Map<String, Set<String>> neighbours) {
        List<List<Finding>> byArea = new ArrayList<>();
        for (int a = 0; a < AREAS; a++) {
            byArea.add(new ArrayList<>());
        }
        for (Finding f : findings) {
            byArea.get(Integer.parseInt(f.foundInArea) - 1).add(f);
            for (String n : neighbours.get(f.foundInArea)) {
                byArea.get(Integer.parseInt(n) - 1).add(f.routedTo(n));
            }
        }
        return byArea;
    }

    /** Runs the multi rule area by area as {@code ToxicityDetector} does, and scores what opened when. */
    private static RuleResult score(Config c, List<List<Input>> events, List<List<Finding>> findings, Spike[] spikeOf,
            List<Spike> spikes) {
        ToxicityRule rule = DetectorCatalog.toxicityDefault();
        long watchedSinceHour = HourlyCounts.hourOf(CityEvaluation.FIRST.atStartOfDay(ZONE).toInstant().toEpochMilli());
        int[] byKind = new int[Carried.values().length];
        int[] alerted = new int[byKind.length];
        for (Spike s : spikes) {
            byKind[s.carried().ordinal()]++;
        }
        int falseAlerts = 0;
        int falseAreas = 0;
        for (int a = 0; a < AREAS; a++) {
            List<Input> in = new ArrayList<>(events.get(a));
            for (Finding f : findings.get(a)) {
                in.add(new Input(f.time, null, f));
            }
            in.sort(Comparator.comparingLong(Input::time));
            List<Integer> openedDays = openings(rule, id(a), in, watchedSinceHour);
            Spike sp = spikeOf[a];
            boolean hit = false;
            int falseHere = 0;
            for (int d : openedDays) {
                if (d < HISTORY_DAYS) {
                    continue;
                }
                if (sp != null && d >= sp.startDay() && d < sp.startDay() + sp.days()) {
                    hit = true;
                } else {
                    falseHere++;
                }
            }
            if (hit) {
                alerted[sp.carried().ordinal()]++;
            }
            falseAlerts += falseHere;
            falseAreas += falseHere > 0 ? 1 : 0;
        }
        return new RuleResult(byKind, alerted, falseAlerts, falseAreas, c.evalDays());
    }

    /** The days (from the first) on which a multi alert opened in the area. */
    private static List<Integer> openings(ToxicityRule rule, String area, List<Input> in, long watchedSinceHour) {
        HourlyCounts paramedic = null;
        HourlyCounts naloxone = null;
        HourlyCounts both = new HourlyCounts(rule.capacityHours());
        Map<String, Finding> latest = new LinkedHashMap<>();
        SpikeTracker tracker = new SpikeTracker(2);
        long firstDay = CityEvaluation.FIRST.toEpochDay();
        long day = firstDay;
        long lastFiringDay = Long.MIN_VALUE;
        List<Integer> opened = new ArrayList<>();
        for (Input i : in) {
            long today = java.time.Instant.ofEpochMilli(i.time()).atZone(ZONE).toLocalDate().toEpochDay();
            for (; day < today; day++) {
                if (tracker.open) {
                    tracker.endOfDay(LocalDate.ofEpochDay(day + 1).atStartOfDay(ZONE).toInstant().toEpochMilli() - 1,
                            lastFiringDay == day);
                }
            }
            if (i.finding() != null) {
                latest.put(i.finding().substance, i.finding());
            } else {
                long hour = HourlyCounts.hourOf(i.time());
                if (i.signal().equals("paramedic")) {
                    paramedic = paramedic == null ? new HourlyCounts(rule.capacityHours()) : paramedic;
                    paramedic.add(hour);
                    paramedic.knownSince(watchedSinceHour);
                } else {
                    naloxone = naloxone == null ? new HourlyCounts(rule.capacityHours()) : naloxone;
                    naloxone.add(hour);
                    naloxone.knownSince(watchedSinceHour);
                }
                both.add(hour);
                both.knownSince(watchedSinceHour);
            }
            latest.values().removeIf(f -> f.time <= i.time() - rule.findingRetentionMillis()
                    || !SubstanceVocabulary.standard().isTerm(f.substance));
            if (paramedic == null || naloxone == null || latest.isEmpty()) {
                continue;
            }
            Optional<Firing> f = rule.evaluate(area, paramedic, naloxone, both, latest.values(), i.time(), ZONE);
            if (f.isPresent()) {
                Optional<Alert> snapshot = tracker.fire(area, "multi", f.get());
                if (snapshot.isPresent() && snapshot.get().getStatus().equals("opened")) {
                    opened.add((int) (today - firstDay));
                }
                lastFiringDay = today;
            }
        }
        return opened;
    }
}
