package lookout.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import lookout.detect.DailyVerdict;
import lookout.detect.DetectionSettings;
import lookout.detect.HourlyCounts;
import lookout.detect.IntradayDetector;
import lookout.geo.AreaIndex;
import lookout.ingest.Source;
import lookout.kernel.Disclosure;
import lookout.schema.Alert;

/**
 * Makes the job's intraday detector open alerts on cue, and measures how long each took to reach the alerts topic.
 *
 * <p>Each target is one area and alerting signal (paramedic or naloxone, alternately) in an area the steady
 * stream never touches ({@link #quietAreas}), so the only events the detector sees there are the probe's:
 * {@link #history} gives each target an event every other hour for {@value #HISTORY_HOURS} hours, more than
 * the week of same-hours baseline the detector needs; a {@link #plan burst} then adds events in the current hour
 * until the window crosses its bound. The probe runs the job's own detector on a copy of each target's hourly
 * counts, so it knows that exactly the burst's last event crosses the bound: all the burst's events are in one
 * hour, so the detector fires on whichever of them it counts last, and not before it has counted them all, in
 * whatever order they reach it. Latency is the alert's arrival at a consumer of the topic minus the append of the
 * burst's last event; the alert's observed count and threshold are checked against the copy's.
 */
final class AlertProbe {
    static final int HISTORY_HOURS = 200;
    private static final long HOUR = 3_600_000L;
    private static final int MAX_BURST = 1_000;

    record Target(String area, Source source) {}

    /** History to send, in this order, before the bursts. */
    record Event(Target target, long occurredMillis) {}

    /** A burst of {@code events} events at {@code occurredMillis}, the last of which makes {@code verdict} fire. */
    record Burst(Target target, long occurredMillis, int events, DailyVerdict verdict) {}

    private record Sent(Burst burst, long lastAppendNanos, long lastAppendMillis) {}

    /**
     * The latencies of the bursts that were measured, a sentence on how they were and which were not, and one
     * line per burst for the log.
     */
    record Result(Latencies latencies, String note, List<String> bursts) {}

    private final List<Target> targets = new ArrayList<>();
    private final IntradayDetector detector = DetectionSettings.defaults(Map.of()).intraday();
    private final Map<Target, HourlyCounts> copies = new HashMap<>();
    private final List<Sent> sent = new ArrayList<>();

    /** {@code count} measured targets and one to warm the alert path with, in areas spread over the city's list. */
    AlertProbe(AreaIndex city, int count) {
        int all = count + 1;
        if (all > city.size() / 2) {
            throw new IllegalArgumentException("at most half of the city's areas can be kept quiet for bursts");
        }
        for (int k = 0; k < all; k++) {
            String area = city.areas().get((int) ((k + 0.5) * city.size() / all)).id();
            Target t = new Target(area, k % 2 == 0 ? Source.PARAMEDIC : Source.NALOXONE);
            targets.add(t);
            copies.put(t, new HourlyCounts(detector.capacityHours()));
        }
    }

    List<Target> targets() {
        return targets;
    }

    /**
     * The target whose burst goes out during the warm-up: the first alert of a job also pays for the alert
     * producer's first metadata fetch and the first use of its code paths, which no later alert does.
     */
    List<Target> warmUp() {
        return targets.subList(0, 1);
    }

    List<Target> measured() {
        return targets.subList(1, targets.size());
    }

    Set<String> quietAreas() {
        Set<String> areas = new LinkedHashSet<>();
        targets.forEach(t -> areas.add(t.area()));
        return areas;
    }

    String method() {
        return detector.method();
    }

    /** An event every other hour, on the half hour, in the {@value #HISTORY_HOURS} hours before the last whole hour, oldest first. */
    List<Event> history(long nowMillis) {
        long current = HourlyCounts.hourOf(nowMillis);
        List<Event> events = new ArrayList<>();
        for (long hour = current - HISTORY_HOURS; hour < current - 1; hour += 2) {
            for (Target t : targets) {
                events.add(new Event(t, hour * HOUR + HOUR / 2));
                copies.get(t).add(hour);
            }
        }
        return events;
    }

    /** How many events at {@code occurredMillis} make the detector fire for {@code t}; counts them in its copy. */
    Burst plan(Target t, long occurredMillis) {
        HourlyCounts counts = copies.get(t);
        long hour = HourlyCounts.hourOf(occurredMillis);
        for (int n = 1; n <= MAX_BURST; n++) {
            counts.add(hour);
            DailyVerdict v = detector.evaluate(counts, hour);
            if (v.alarm()) {
                return new Burst(t, occurredMillis, n, v);
            }
        }
        throw new IllegalStateException("the intraday detector did not fire within " + MAX_BURST
                + " events: the probe's history is too short for it");
    }

    /** Records that the burst went out, its last event appended at these times. */
    void sent(Burst b, long lastAppendNanos, long lastAppendMillis) {
        sent.add(new Sent(b, lastAppendNanos, lastAppendMillis));
    }

    /** When the last event of the burst sent to {@code t} was appended ({@link System#nanoTime}); empty if none was. */
    OptionalLong lastAppendNanos(Target t) {
        return sent.stream().filter(s -> s.burst().target().equals(t)).mapToLong(Sent::lastAppendNanos).findFirst();
    }

    /** Whether every burst sent to {@code of} has an alert among {@code arrivals}. */
    boolean allArrived(List<Target> of, List<AlertWatcher.Arrival> arrivals) {
        return sent.stream().filter(s -> of.contains(s.burst().target()))
                .allMatch(s -> opening(s.burst().target(), arrivals).isPresent());
    }

    /** The bursts sent to {@code of}, measured against {@code arrivals}. */
    Result result(List<Target> of, List<AlertWatcher.Arrival> arrivals) {
        List<Sent> measured = sent.stream().filter(s -> of.contains(s.burst().target())).toList();
        List<Double> ms = new ArrayList<>();
        List<Double> inJob = new ArrayList<>();
        List<Double> delivery = new ArrayList<>();
        int never = 0;
        int early = 0;
        int differ = 0;
        List<String> lines = new ArrayList<>();
        for (Sent s : measured) {
            Burst b = s.burst();
            String head = String.format("%s %s: %d events to reach %d > %.0f", b.target().area(), b.target().source().code(),
                    b.events(), b.verdict().observed(), b.verdict().upperbound());
            Optional<AlertWatcher.Arrival> first = opening(s.burst().target(), arrivals);
            if (first.isEmpty()) {
                never++;
                lines.add(head + ", no alert");
            } else if (first.get().atNanos() < s.lastAppendNanos()) {
                early++;
                lines.add(head + ", alerted before its last event");
            } else if (!asCopied(first.get().alert(), s.burst().verdict())) {
                differ++;
                lines.add(head + ", alert reports " + first.get().alert().getObserved() + " > "
                        + first.get().alert().getThreshold());
            } else {
                AlertWatcher.Arrival a = first.get();
                ms.add((a.atNanos() - s.lastAppendNanos()) / 1e6);
                inJob.add((double) (a.producedMillis() - s.lastAppendMillis()));
                delivery.add((double) (a.atMillis() - a.producedMillis()));
                lines.add(String.format("%s, alert after %.0f ms (%d ms to the job's producer)", head,
                        ms.get(ms.size() - 1), a.producedMillis() - s.lastAppendMillis()));
            }
        }
        Latencies latencies = Latencies.of(ms, never + early + differ);
        StringBuilder note = new StringBuilder(String.format("%d of %d bursts measured (%s alerts: append of the"
                + " burst's threshold-crossing last event -> alert received by a consumer of the alerts topic)",
                ms.size(), measured.size(), method()));
        if (!ms.isEmpty()) {
            note.append(String.format("; medians: %.0f ms until the job's producer stamped the alert record, %.0f ms"
                    + " from there to the consumer", median(inJob), median(delivery)));
        }
        if (never > 0) {
            note.append("; ").append(never).append(" never alerted");
        }
        if (early > 0) {
            note.append("; ").append(early).append(" alerted before the burst's last event (the job counted other events there)");
        }
        if (differ > 0) {
            note.append("; ").append(differ).append(" alerted with another count or threshold than the probe's copy");
        }
        return new Result(latencies, note.toString(), lines);
    }

    private Optional<AlertWatcher.Arrival> opening(Target t, List<AlertWatcher.Arrival> arrivals) {
        return arrivals.stream()
                .filter(a -> a.alert().getAreaId().equals(t.area()) && a.alert().getSignal().equals(t.source().code())
                        && a.alert().getMethod().equals(method()) && a.alert().getStatus().equals("opened"))
                .min(Comparator.comparingLong(AlertWatcher.Arrival::atNanos));
    }

    /** The alert reports the count and bound the copy computed (counts below k-anonymity are withheld). */
    private static boolean asCopied(Alert a, DailyVerdict v) {
        boolean observed = a.getObserved() == null ? v.observed() < Disclosure.K
                : a.getObserved() == v.observed();
        return observed && a.getThreshold() == v.upperbound();
    }

    private static double median(List<Double> values) {
        return Latencies.quantile(values.stream().mapToDouble(Double::doubleValue).sorted().toArray(), 0.5);
    }
}
