package lookout.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import lookout.ingest.Source;

/**
 * Part 5: what the streaming job holds after 90 days of events. Publishes the events (occurred over the 90
 * days before now) to Kafka as fast as the broker takes them, waits until the published DuckDB file counts
 * all of them (so a completed checkpoint holds them all), then measures that checkpoint's size on disk, the live heap the run added, and
 * the published DuckDB file.
 */
final class StateSizeBench {
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(5);

    /** {@code stateShares}: bytes of checkpointed state per part of the job, see {@link CheckpointShares}. */
    record Result(String label, int areas, long events, long checkpointBytes, Map<String, Long> stateShares, long heapMiB,
            long duckDbBytes, boolean caughtUp, long failedSends) {}

    private StateSizeBench() {}

    /** A measurement after the city has received {@code eventsPerAreaDay} events per area and day in all. */
    record Stage(String label, double eventsPerAreaDay) {}

    /**
     * Runs one job for the city and measures after each stage; later stages add events to the same job,
     * so a stage at four times the rate shows what four times the events cost on the same areas.
     */
    static List<Result> run(BenchCity city, List<Stage> stages, int days, Path dir, Duration checkpointInterval,
            int parallelism, ZoneId zone, long seed, PrintStream log) throws Exception {
        List<Result> results = new ArrayList<>();
        long t0 = System.nanoTime();
        try (StreamingRig rig = StreamingRig.start(city, dir, checkpointInterval, parallelism)) {
            AvroEvents avro = new AvroEvents(new ContractLines(city.index(), zone, seed), zone, city.label());
            long end = System.currentTimeMillis();
            long span = Duration.ofDays(days).toMillis();
            // One event per source first: every operator has then loaded its boundaries, which are not state.
            for (Source source : Source.values()) {
                rig.send(source, avro.fresh(source, end - span), System.currentTimeMillis());
            }
            rig.flush();
            awaitPublished(rig, Source.values().length);
            long heapBefore = MachineInfo.liveHeapMiB();
            long sent = Source.values().length;
            log.printf("bench:   job running and warm after %.1f s%n", (System.nanoTime() - t0) / 1e9);
            for (Stage stage : stages) {
                long events = Math.max(1, Math.round(city.size() * days * stage.eventsPerAreaDay()));
                log.printf("bench: state after %d days, %s: %,d events%n", days, stage.label(), events);
                long add = events - sent;
                for (long i = 0; i < add; i++) {
                    Source source = avro.drawSource();
                    long occurred = end - span + (long) ((double) i / add * span);
                    // Stamped with the send time: Kafka's 7-day retention judges records by their timestamps, and
                    // would delete segments of 90-day-old event times before the job had read them.
                    rig.send(source, avro.fresh(source, occurred), System.currentTimeMillis());
                }
                sent = events;
                rig.flush();
                long t1 = System.nanoTime();
                boolean caughtUp = awaitPublished(rig, events - rig.failedSends());
                log.printf("bench:   published %.1f s after the last send%n", (System.nanoTime() - t1) / 1e9);
                long heap = MachineInfo.liveHeapMiB() - heapBefore;
                Optional<Path> checkpoint = rig.latestCheckpoint();
                long bytes = checkpoint.isPresent() ? StreamingRig.bytesOnDisk(checkpoint.get()) : -1;
                Map<String, Long> shares = checkpoint.isPresent() ? CheckpointShares.read(checkpoint.get()) : Map.of();
                long duck = Files.exists(rig.db()) ? Files.size(rig.db()) : -1;
                results.add(new Result(stage.label(), city.size(), events, bytes, shares, heap, duck, caughtUp,
                        rig.failedSends()));
            }
        }
        return results;
    }

    /**
     * Waits until the published DuckDB file counts every event sent: the sink commits a checkpoint's batch only
     * once that checkpoint completed, so the newest checkpoint then holds the state of every event.
     */
    private static boolean awaitPublished(StreamingRig rig, long events) throws Exception {
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (rig.publishedRecords() >= events) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    static List<Figure> figures(Result r, int days) {
        String base = "state." + r.label();
        String what = String.format("%d areas, %d days%s%s", r.areas(), days,
                r.caughtUp() ? "" : " (NOT caught up within the timeout: figures are partial)",
                r.failedSends() == 0 ? "" : "; " + r.failedSends() + " events the broker never took");
        List<Figure> figures = new ArrayList<>(List.of(
                new Figure(base + ".checkpoint_kib", r.checkpointBytes() / 1024.0, "KiB", r.events(),
                        "newest completed checkpoint on disk, hashmap backend, " + what),
                new Figure(base + ".checkpoint_bytes_per_event", (double) r.checkpointBytes() / r.events(), "B", r.events(),
                        "checkpoint size ÷ events")));
        for (String part : List.of("dedupe", "linker", "detection", "other")) {
            Long bytes = r.stateShares().get(part);
            figures.add(bytes == null ? Figure.missing(base + ".state_" + part + "_kib", "KiB", "no completed checkpoint")
                    : new Figure(base + ".state_" + part + "_kib", bytes / 1024.0, "KiB", r.events(), SHARE_NOTES.get(part)));
        }
        figures.addAll(List.of(
                new Figure(base + ".heap_mib", r.heapMiB(), "MiB", r.events(),
                        "live heap after a full GC, minus the same once the job had loaded its boundaries;"
                                + " includes the in-JVM broker's share"),
                new Figure(base + ".duckdb_mib", r.duckDbBytes() / 1048576.0, "MiB", r.events(),
                        "published DuckDB file: counts per area × signal × hour/day bucket")));
        return figures;
    }

    private static final Map<String, String> SHARE_NOTES = Map.of(
            "dedupe", "state of the dedupe operator: one seen-flag per event within the dedupe horizon",
            "linker", "state of the overdose linker: unlinked reports of the last linkage window + report delay",
            "detection", "state of the detectors: daily and hourly count rings, open alerts, per area and signal",
            "other", "sources' offsets and the sinks' state");
}
