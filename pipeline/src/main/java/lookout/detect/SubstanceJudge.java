package lookout.detect;

import java.io.Serializable;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import lookout.ingest.SubstanceVocabulary;

/**
 * Which substances of a drug-checking sample are notable for toxicity alerts, judged by change rather than
 * presence (docs/DETECTION.md, "Toxicity alerts that follow change"):
 * <ul>
 *   <li>{@value #ALWAYS}: an always-notable substance (carfentanil, every nitazene by default), whenever found;</li>
 *   <li>{@value #NEW}: a substance first seen in the city within {@code noveltyDays}, once the city has been
 *       watched that long (before that every substance would look new);</li>
 *   <li>{@value #RISING}: a watch-list substance whose share of samples is rising ({@link SubstanceChange}) in the
 *       whole city or near the sample's area (the area and its neighbours).</li>
 * </ul>
 * A watch-list substance that is merely present, as xylazine is in most samples of many cities, is not notable.
 * The state ({@link Store}) is one first-seen time per vocabulary term and day counts of samples per area and of
 * samples with each watch-list substance per area, plus the city's: bounded by (watch list + 1) x (areas + 1) x
 * {@code baselineDays + recentDays} days, never by samples. "other" and "unknown" name no substance and are never
 * judged.
 */
public final class SubstanceJudge implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long DAY = 86_400_000L;
    public static final String ALWAYS = "always_notable";
    public static final String NEW = "new_in_city";
    public static final String RISING = "rising_share";
    private static final String CITY = "*";

    /** Where the judge keeps its counts: plain maps in the evaluation, keyed state in the Flink operator. */
    public interface Store {
        Long firstSeen(String substance) throws Exception;

        void firstSeen(String substance, long time) throws Exception;

        /** The earliest sample time seen, or null. */
        Long since() throws Exception;

        void since(long time) throws Exception;

        DayRing ring(String key) throws Exception;

        void ring(String key, DayRing ring) throws Exception;
    }

    /** The judge's state in plain maps: for the evaluation and the tests, where no Flink state holds it. */
    public static final class InMemoryStore implements Store {
        private final Map<String, Long> first = new HashMap<>();
        private final Map<String, DayRing> rings = new HashMap<>();
        private Long since;

        @Override
        public Long firstSeen(String substance) {
            return first.get(substance);
        }

        @Override
        public void firstSeen(String substance, long time) {
            first.put(substance, time);
        }

        @Override
        public Long since() {
            return since;
        }

        @Override
        public void since(long time) {
            since = time;
        }

        @Override
        public DayRing ring(String key) {
            return rings.get(key);
        }

        @Override
        public void ring(String key, DayRing ring) {
            rings.put(key, ring);
        }

        /** The day rings kept, by key (for tests of bounded state). */
        public Map<String, DayRing> rings() {
            return rings;
        }
    }

    private final SubstanceWatch watch;
    private final int noveltyDays;
    private final Map<String, Set<String>> neighbours;
    private final ZoneId zone;

    public SubstanceJudge(SubstanceWatch watch, int noveltyDays, Map<String, Set<String>> neighbours,
            ZoneId zone) {
        this.watch = watch;
        this.noveltyDays = noveltyDays;
        this.neighbours = Map.copyOf(neighbours);
        this.zone = zone;
    }

    /** Counts one sample checked in {@code area} at {@code time} and returns its notable findings, in its order. */
    public List<Finding> sample(String area, long time, List<String> substances, Store s) throws Exception {
        Long since = s.since();
        if (since == null || time < since) {
            since = time;
            s.since(time);
        }
        long day = new DayClock(zone).dayOf(time);
        count(s, area, null, day);
        Set<String> terms = new LinkedHashSet<>();
        for (String substance : substances) {
            if (SubstanceVocabulary.standard().namesASubstance(substance)) {
                terms.add(substance);
            }
        }
        for (String t : terms) {
            if (watch.match(t).isPresent()) {
                count(s, area, t, day);
            }
        }
        List<Finding> out = new ArrayList<>();
        for (String t : terms) {
            Long first = s.firstSeen(t);
            if (first == null || time < first) {
                first = time;
                s.firstSeen(t, time);
            }
            String entry = watch.match(t).orElse(null);
            String reason = null;
            if (watch.critical(t)) {
                reason = ALWAYS;
            } else if (first - since >= noveltyDays * DAY && time - first <= noveltyDays * DAY) {
                reason = NEW;
            } else if (entry != null && rising(s, area, t, day)) {
                reason = RISING;
            }
            if (reason != null) {
                out.add(new Finding(area, area, time, t, entry, NEW.equals(reason), watch.critical(t), reason));
            }
        }
        return out;
    }

    private void count(Store s, String area, String substance, long day) throws Exception {
        for (String place : List.of(area, CITY)) {
            String key = key(place, substance);
            DayRing r = s.ring(key);
            if (r == null) {
                r = new DayRing(watch.change().capacityDays());
            }
            r.add(day);
            s.ring(key, r);
        }
    }

    /** Rising in the whole city, or in the area and its neighbours together. */
    private boolean rising(Store s, String area, String substance, long day) throws Exception {
        if (rising(s, List.of(CITY), substance, day)) {
            return true;
        }
        List<String> near = new ArrayList<>();
        near.add(area);
        near.addAll(neighbours.getOrDefault(area, Set.of()));
        return rising(s, near, substance, day);
    }

    private boolean rising(Store s, List<String> places, String substance, long day) throws Exception {
        SubstanceChange c = watch.change();
        long recentFrom = day - c.recentDays() + 1;
        long baselineFrom = recentFrom - c.baselineDays();
        int x = 0;
        int n = 0;
        int x0 = 0;
        int n0 = 0;
        for (String place : places) {
            DayRing all = s.ring(key(place, null));
            DayRing with = s.ring(key(place, substance));
            if (all != null) {
                n += all.sum(recentFrom, day);
                n0 += all.sum(baselineFrom, recentFrom - 1);
            }
            if (with != null) {
                x += with.sum(recentFrom, day);
                x0 += with.sum(baselineFrom, recentFrom - 1);
            }
        }
        return c.rising(x, n, x0, n0);
    }

    private static String key(String place, String substance) {
        return substance == null ? place : place + "|" + substance;
    }
}
