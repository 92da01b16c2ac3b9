package lookout.bench.micro;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import lookout.detect.DetectorCatalog;
import lookout.detect.Finding;
import lookout.detect.Firing;
import lookout.detect.HourlyCounts;
import lookout.detect.SpikeTracker;
import lookout.detect.SubstanceJudge;
import lookout.detect.ToxicityRule;
import lookout.schema.Alert;

/**
 * The toxicity detector's work per overdose in an area whose alert is open and firing on every event (an outbreak
 * across the city, or a stream far above the city's history, as the streaming bench offers): count the event, judge
 * the area with the job's default {@link ToxicityRule} against findings of carfentanil and of a rising xylazine in
 * neighbouring areas, and fire into the area's {@link SpikeTracker}, which publishes at most one snapshot an hour.
 * The area had an overdose a day (the rule keeps 29 days of them) before the hour of {@value #EVENTS_PER_HOUR}
 * events that this measures again and again: when the hour has been sent, the counts go back to those days and
 * the alert opens afresh, so all but the hour's first four events fire (each into the open alert) and one in
 * {@value #EVENTS_PER_HOUR} publishes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AlarmingAreaBenchmark {
    private static final int EVENTS_PER_HOUR = 500;
    private static final long HOUR = 3_600_000L;
    private static final ZoneId ZONE = ZoneId.of("America/Toronto");

    private final ToxicityRule rule = DetectorCatalog.toxicityDefault();
    private final HourlyCounts paramedic = new HourlyCounts(rule.capacityHours());
    private final HourlyCounts naloxone = new HourlyCounts(rule.capacityHours());
    private final HourlyCounts overdoses = new HourlyCounts(rule.capacityHours());
    private final HourlyCounts[] before = new HourlyCounts[3];
    private List<Finding> findings;
    private SpikeTracker tracker;
    private long hour;
    private int inHour;

    @Setup
    public void setUp() {
        long first = 490_000;
        for (long h = first; h < first + 56 * 24; h += 24) {
            count(h % 48 == 0 ? paramedic : naloxone, h);
        }
        hour = first + 56 * 24 + 20;
        HourlyCounts[] now = {paramedic, naloxone, overdoses};
        for (int i = 0; i < now.length; i++) {
            before[i] = new HourlyCounts(rule.capacityHours());
            copy(now[i], before[i]);
        }
        long seen = hour * HOUR - 5 * HOUR;
        findings = List.of(new Finding("077", "076", seen, "carfentanil", null, false, true, SubstanceJudge.ALWAYS),
                new Finding("077", "078", seen, "xylazine", "xylazine", false, false, SubstanceJudge.RISING));
        tracker = new SpikeTracker(2);
    }

    @Benchmark
    public Optional<Alert> countJudgeAndFire() {
        if (inHour == EVENTS_PER_HOUR) {
            inHour = 0;
            copy(before[0], paramedic);
            copy(before[1], naloxone);
            copy(before[2], overdoses);
            tracker = new SpikeTracker(2);
        }
        long time = hour * HOUR + inHour * 7_000L;
        count(inHour++ % 2 == 0 ? paramedic : naloxone, hour);
        Optional<Firing> f = rule.evaluate("077", paramedic, naloxone, overdoses, findings, time, ZONE);
        return f.isPresent() ? tracker.fire("077", "multi", f.get()) : Optional.empty();
    }

    private void count(HourlyCounts signal, long h) {
        signal.add(h);
        overdoses.add(h);
    }

    private static void copy(HourlyCounts from, HourlyCounts to) {
        System.arraycopy(from.totals, 0, to.totals, 0, from.totals.length);
        to.newest = from.newest;
        to.first = from.first;
        to.keptSince = from.keptSince;
    }
}
