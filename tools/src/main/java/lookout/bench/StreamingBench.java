package lookout.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import lookout.ingest.Source;

/**
 * Part 2: the real Kafka path at fixed offered rates with checkpointing on. Measures the latency from each
 * event's append to Kafka to the first published DuckDB file whose hourly counts include it, and steps the
 * rate up (or down) to find the highest one sustained without growing lag. A measurement may also carry
 * {@link AlertProbe} bursts, spread evenly over it, for the latency from append to alert.
 */
final class StreamingBench {
    /** How long after the end of a measurement's DuckDB drain a burst's alert may still arrive and count. */
    private static final long ALERT_GRACE_NANOS = 30_000_000_000L;

    /**
     * One offered rate held for a while, and what came of it; {@code alerts} counts no latencies without bursts.
     * {@code opened} is every alert the job opened from its start until the bursts' alerts had arrived, and
     * {@code openedHere} those of them opened since the start of this offer: an area alarmed by the warm-up keeps
     * its alert open, so the second alone would not show it.
     */
    record Step(int offered, double achieved, Latencies all, Latencies firstThird, Latencies lastThird,
            AlertProbe.Result alerts, OpenedAlerts opened, OpenedAlerts openedHere) {
        /** Lag grows when the last third of the window waits longer than the first third by a checkpoint interval or more. */
        double lagGrowthMs() {
            return lastThird.p99() - firstThird.p99();
        }

        boolean sustained(Duration checkpointInterval) {
            return achieved >= 0.97 * offered && all.unseen() == 0 && all.count() > 0
                    && lagGrowthMs() < checkpointInterval.toMillis();
        }
    }

    private final StreamingRig rig;
    private final AvroEvents events;
    private final AlertProbe probe;
    private final AlertWatcher alerts;
    private final AppendLog appends = new AppendLog();
    private final Visibility visibility = new Visibility();
    private final PrintStream log;

    /** @param events must keep {@code probe}'s quiet areas quiet */
    StreamingBench(StreamingRig rig, AvroEvents events, AlertProbe probe, AlertWatcher alerts, PrintStream log) {
        this.rig = rig;
        this.events = events;
        this.probe = probe;
        this.alerts = alerts;
        this.log = log;
    }

    Visibility visibility() {
        return visibility;
    }

    /** Sends the probe's history; the next measurement's drain makes sure the job has counted it. */
    void sendHistory() {
        List<AlertProbe.Event> history = probe.history(System.currentTimeMillis());
        for (AlertProbe.Event e : history) {
            append(e.target().source(), events.inArea(e.target().source(), e.target().area(), e.occurredMillis()));
        }
        rig.flush();
        log.printf("bench:   sent %,d history events for %d alert targets%n", history.size(), probe.targets().size());
    }

    /** Offers {@code rate} events/s for {@code duration}, waits for everything to become visible, and measures. */
    Step measure(int rate, Duration duration) throws Exception {
        return measureWithBursts(rate, duration, List.of());
    }

    /** As {@link #measure(int, Duration)}, with one burst per target in {@code bursts}, spread evenly over the duration. */
    Step measureWithBursts(int rate, Duration duration, List<AlertProbe.Target> bursts) throws Exception {
        long start = System.nanoTime();
        double achieved = offer(rate, duration, bursts);
        long end = System.nanoTime();
        drain();
        AlertProbe.Result toAlert = awaitAlerts(bursts);
        long now = System.nanoTime();
        List<AlertWatcher.Arrival> arrived = alerts.arrivals();
        OpenedAlerts opened = OpenedAlerts.during(arrived, Long.MIN_VALUE, now);
        OpenedAlerts openedHere = OpenedAlerts.during(arrived, start, now);
        long third = (end - start) / 3;
        Step step = new Step(rate, achieved, visibility.latencies(appends, start, end),
                visibility.latencies(appends, start, start + third), visibility.latencies(appends, end - third, end),
                toAlert, opened, openedHere);
        log.printf("bench:   offered %,d/s, achieved %,.0f/s: p50 %.0f ms, p99 %.0f ms, max %.0f ms, lag growth %.0f ms%s%n",
                rate, achieved, step.all().p50(), step.all().p99(), step.all().max(), step.lagGrowthMs(),
                step.all().unseen() > 0 ? ", " + step.all().unseen() + " never visible (" + rig.failedSends()
                        + " sends failed so far)" : "");
        if (!bursts.isEmpty()) {
            log.printf("bench:   append -> alert: p50 %.0f ms, p99 %.0f ms, max %.0f ms; %s%n", toAlert.latencies().p50(),
                    toAlert.latencies().p99(), toAlert.latencies().max(), toAlert.note());
            toAlert.bursts().forEach(line -> log.println("bench:     " + line));
            log.printf("bench:   since the job started %s; in this measurement, with %d burst%s, %s%n",
                    opened.describe(), bursts.size(), bursts.size() == 1 ? "" : "s", openedHere.describe());
        }
        return step;
    }

    /**
     * Sends at a fixed pace; if the producer cannot keep up it sends as fast as it can, and the achieved rate says
     * so. Burst k goes out, all at once, in the middle of the k-th of {@code targets.size()} equal slices.
     */
    private double offer(int rate, Duration duration, List<AlertProbe.Target> targets) {
        long total = (long) rate * duration.toMillis() / 1000;
        long start = System.nanoTime();
        double nanosPerEvent = 1e9 / rate;
        int burst = 0;
        for (long i = 0; i < total; i++) {
            long due = start + (long) (i * nanosPerEvent);
            long wait = due - System.nanoTime();
            if (wait > 200_000) {
                LockSupport.parkNanos(wait);
            }
            if (burst < targets.size() && i == (2 * burst + 1) * total / (2 * targets.size())) {
                burst(targets.get(burst++));
            }
            Source source = events.drawSource();
            append(source, events.next(source, System.currentTimeMillis()));
        }
        rig.flush();
        return total / ((System.nanoTime() - start) / 1e9);
    }

    private void burst(AlertProbe.Target t) {
        AlertProbe.Burst b = probe.plan(t, System.currentTimeMillis());
        long nanos = 0;
        long millis = 0;
        for (int k = 0; k < b.events(); k++) {
            byte[] value = events.inArea(t.source(), t.area(), b.occurredMillis());
            millis = System.currentTimeMillis();
            nanos = append(t.source(), value);
        }
        probe.sent(b, nanos, millis);
    }

    /**
     * Logs the append and sends, stamping the record with the send time: the broker's time-based retention
     * judges records by their timestamps, and would delete history stamped with its event times.
     */
    private long append(Source source, byte[] value) {
        long nanos = System.nanoTime();
        appends.appended(source, nanos);
        rig.send(source, value, System.currentTimeMillis());
        return nanos;
    }

    private AlertProbe.Result awaitAlerts(List<AlertProbe.Target> bursts) throws InterruptedException {
        long deadline = System.nanoTime() + ALERT_GRACE_NANOS;
        while (!probe.allArrived(bursts, alerts.arrivals()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return probe.result(bursts, alerts.arrivals());
    }

    /** Waits until every appended event is visible, or until a generous multiple of the checkpoint interval has passed. */
    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + rig.checkpointInterval().multipliedBy(5).plusSeconds(30).toNanos();
        while (visibility.visibleTotal() < appends.total() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
