package lookout.detect;

import java.io.Serializable;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import lookout.kernel.Signal;

/**
 * The multi-signal toxicity alert. It fires for an area when, together:
 * <ul>
 *   <li>both paramedic calls and naloxone uses occurred there in the trailing window (24 h), and their combined
 *       count is above the same hours of previous days at level {@code alpha} (looser than a single-signal alert,
 *       because it needs independent corroboration); and</li>
 *   <li>drug checking in that area or a neighbouring one found, within {@code findingDays}, a notable substance
 *       ({@link SubstanceJudge}): an always-notable one (carfentanil, a nitazene), one new to the city, or a
 *       watch-list adulterant whose share of samples is rising. Mere presence of a common adulterant is not
 *       enough.</li>
 * </ul>
 * Severity is critical when the finding is a high-potency opioid (carfentanil, a nitazene), high otherwise.
 * Coroner reports are not used: they arrive weeks late and would only delay the alert.
 */
public final class ToxicityRule implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long DAY = 86_400_000L;

    private final IntradayDetector combined;
    private final int findingDays;

    public ToxicityRule(int windowHours, int baselineDays, double alpha, int findingDays) {
        this.combined = new IntradayDetector(windowHours, baselineDays, alpha);
        this.findingDays = findingDays;
    }

    public String method() {
        return "toxicity_multisignal";
    }

    public int capacityHours() {
        return combined.capacityHours();
    }

    public long findingRetentionMillis() {
        return findingDays * DAY;
    }

    /**
     * A member of the nitazene class is said as "a nitazene (its name)", the class's own term as "a nitazene"; a
     * rising one as "more xylazine than usual".
     */
    private static String watchText(Finding f) {
        String name = !f.watchEntry.equals("nitazene") ? f.substance
                : f.substance.equals("nitazene") ? "a nitazene" : "a nitazene (" + f.substance + ")";
        return SubstanceJudge.RISING.equals(f.reason) ? "more " + name + " than usual" : name;
    }

    /**
     * Judges the area at {@code time} from its hourly paramedic and naloxone counts (and their sum) and the
     * findings routed to it; empty unless every condition holds.
     */
    public Optional<Firing> evaluate(String areaId, HourlyCounts paramedic, HourlyCounts naloxone,
            HourlyCounts overdoses, Collection<Finding> findings, long time, ZoneId zone) {
        long hour = HourlyCounts.hourOf(time);
        int hours = combined.windowHours();
        int p = paramedic.sum(hour, hours);
        int n = naloxone.sum(hour, hours);
        if (p == 0 || n == 0) {
            return Optional.empty();
        }
        DailyVerdict v = combined.evaluate(overdoses, hour, zone);
        if (!v.alarm()) {
            return Optional.empty();
        }
        TreeSet<String> watch = new TreeSet<>();
        TreeSet<String> novel = new TreeSet<>();
        TreeSet<String> areas = new TreeSet<>();
        Map<String, String> notable = new TreeMap<>();
        boolean critical = false;
        for (Finding f : findings) {
            if (f.time > time || f.time <= time - findingDays * DAY || f.reason == null) {
                continue;
            }
            notable.put(f.substance, f.reason);
            if (f.watchEntry != null && !f.novel) {
                watch.add(watchText(f));
            } else {
                novel.add(f.substance);
            }
            areas.add(f.foundInArea);
            critical |= f.critical;
        }
        if (areas.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("window_hours", hours);
        evidence.put(Signal.PARAMEDIC.code(), Explanations.count(p));
        evidence.put(Signal.NALOXONE.code(), Explanations.count(n));
        evidence.put("expected_combined", Math.round(v.expected() * 10) / 10.0);
        evidence.put("watch_list_found", new ArrayList<>(watch));
        evidence.put("new_substances_found", new ArrayList<>(novel));
        evidence.put("found_in_areas", new ArrayList<>(areas));
        evidence.put("notable_substances", notable);
        String explanation = Explanations.toxicityAlert(areaId, p, n, hours, List.copyOf(watch), List.copyOf(novel),
                List.copyOf(areas), time, zone);
        long end = (hour + 1) * 3_600_000L;
        return Optional.of(new Firing(time, method(), v.observed(), v.expected(), v.upperbound(), v.score(),
                end - hours * 3_600_000L, end, critical ? "critical" : "high", evidence, explanation));
    }
}
