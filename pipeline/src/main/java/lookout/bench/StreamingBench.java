package lookout.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import lookout.ingest.Source;

/**
 * Part 2: the real Kafka path at fixed offered rates with checkpointing on. Measures the latency from each
 * event's append to Kafka to the first published DuckDB file whose hourly counts include it, and steps the
 * rate up (or down) to find the highest one sustained without growing lag.
 *
 * Latency to the alert on {@code lookout.alerts} needs a second {@link Visibility}-like log fed by a consumer of
 * that topic, and a burst injected after a week of history; {@link #measure} already keeps every append time.
 */
final class StreamingBench {
    /** One offered rate held for a while, and what came of it. */
    record Step(int offered, double achieved, Latencies all, Latencies firstThird, Latencies lastThird) {
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
    private final AppendLog appends = new AppendLog();
    private final Visibility visibility = new Visibility();
    private final PrintStream log;

    StreamingBench(StreamingRig rig, AvroEvents events, PrintStream log) {
        this.rig = rig;
        this.events = events;
        this.log = log;
    }

    Visibility visibility() {
        return visibility;
    }

    /** Offers {@code rate} events/s for {@code duration}, waits for everything to become visible, and measures. */
    Step measure(int rate, Duration duration) throws Exception {
        long start = System.nanoTime();
        double achieved = offer(rate, duration);
        long end = System.nanoTime();
        drain();
        long third = (end - start) / 3;
        Step step = new Step(rate, achieved, visibility.latencies(appends, start, end),
                visibility.latencies(appends, start, start + third), visibility.latencies(appends, end - third, end));
        log.printf("bench:   offered %,d/s, achieved %,.0f/s: p50 %.0f ms, p99 %.0f ms, max %.0f ms, lag growth %.0f ms%s%n",
                rate, achieved, step.all().p50(), step.all().p99(), step.all().max(), step.lagGrowthMs(),
                step.all().unseen() > 0 ? ", " + step.all().unseen() + " never visible (" + rig.failedSends()
                        + " sends failed so far)" : "");
        return step;
    }

    /** Sends at a fixed pace; if the producer cannot keep up it sends as fast as it can, and the achieved rate says so. */
    private double offer(int rate, Duration duration) {
        long total = (long) rate * duration.toMillis() / 1000;
        long start = System.nanoTime();
        double nanosPerEvent = 1e9 / rate;
        for (long i = 0; i < total; i++) {
            long due = start + (long) (i * nanosPerEvent);
            long wait = due - System.nanoTime();
            if (wait > 200_000) {
                LockSupport.parkNanos(wait);
            }
            Source source = events.drawSource();
            long millis = System.currentTimeMillis();
            byte[] value = events.next(source, millis);
            appends.appended(source, System.nanoTime());
            rig.send(source, value, millis);
        }
        rig.flush();
        return total / ((System.nanoTime() - start) / 1e9);
    }

    /** Waits until every appended event is visible, or until a generous multiple of the checkpoint interval has passed. */
    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + rig.checkpointInterval().multipliedBy(5).plusSeconds(30).toNanos();
        while (visibility.visibleTotal() < appends.total() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
