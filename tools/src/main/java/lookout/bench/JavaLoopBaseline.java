package lookout.bench;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import lookout.aggregate.TimeBuckets;
import lookout.config.LookoutConfig;
import lookout.geo.Boundaries;
import lookout.ingest.IngestSettings;
import lookout.ingest.RecordIngestor;
import lookout.privacy.PseudonymKey;
import lookout.schema.CountDelta;
import lookout.schema.DeadLetter;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.Hash128;
import lookout.schema.IngestResult;
import lookout.schema.SinkBatch;
import lookout.schema.TableRow;
import lookout.sink.DuckDbStore;
import lookout.sink.PublishedAreas;

/**
 * Baseline (b): the pipeline's own work in one plain loop on one thread, with no Flink: the same ingestor
 * (parse, validate, de-identify, area lookup), a hash set for deduplication, a hash map of hour and day
 * cells, and the same DuckDB store writing the same tables. The gap to Lookout is the framework's cost
 * (or, above one core, its gain).
 */
public final class JavaLoopBaseline {
    /** {@code storeSeconds} is the part of {@code seconds} spent writing and publishing DuckDB, the last {@code publishSeconds} of it publishing. */
    public record Result(double seconds, double cpuSeconds, double storeSeconds, double publishSeconds, long accepted, long duplicates, long deadLetters, long cells) {}

    private record Cell(String granularity, long bucketStart, String areaId, String signal) {}

    private JavaLoopBaseline() {}

    public static Result run(List<Path> inputs, Path db, BenchCity city, ZoneId zone) throws Exception {
        DuckDbStore.delete(db);
        long start = System.nanoTime();
        double cpuStart = MachineInfo.processCpuSeconds();
        RecordIngestor ingestor = IngestSettings.of(LookoutConfig.defaults().with("boundaries", city.boundarySetting()),
                PseudonymKey.ephemeral()).newIngestor();
        TimeBuckets buckets = new TimeBuckets(zone);
        Set<Hash128> seen = new HashSet<>();
        Map<Cell, long[]> counts = new HashMap<>();
        List<TableRow> rows = new ArrayList<>();
        long accepted = 0;
        long duplicates = 0;
        long dead = 0;
        for (Path input : inputs) {
            long receivedAt = Files.getLastModifiedTime(input).toMillis();
            String file = input.toString();
            try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
                long lineNumber = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lineNumber++;
                    if (line.isBlank()) {
                        continue;
                    }
                    IngestResult r = ingestor.ingest(line.getBytes(StandardCharsets.UTF_8), file + ":" + lineNumber, receivedAt);
                    if (r.getEvent() != null) {
                        DeidentifiedEvent e = r.getEvent();
                        if (!seen.add(e.getDedupeKey())) {
                            duplicates++;
                            continue;
                        }
                        accepted++;
                        long t = e.getOccurredMinute();
                        counts.computeIfAbsent(new Cell(TimeBuckets.HOUR, buckets.hourStart(t), e.getAreaId(), e.getSignal()),
                                k -> new long[1])[0]++;
                        counts.computeIfAbsent(new Cell(TimeBuckets.DAY, buckets.dayStart(t), e.getAreaId(), e.getSignal()),
                                k -> new long[1])[0]++;
                    } else if (r.getDeadLetter() != null) {
                        dead++;
                        DeadLetter d = DeadLetter.newBuilder(r.getDeadLetter()).setRaw(null).build();
                        rows.add(TableRow.newBuilder().setDeadLetter(d).build());
                    }
                }
            }
        }
        counts.forEach((c, n) -> rows.add(TableRow.newBuilder()
                .setCount(new CountDelta(c.granularity(), c.bucketStart(), c.areaId(), c.signal(), n[0])).build()));
        long storeStart = System.nanoTime();
        long publishStart;
        try (DuckDbStore store = DuckDbStore.open(db, 0L, zone)) {
            store.writeAreas(PublishedAreas.of(Boundaries.load(city.boundarySetting())));
            store.apply(new SinkBatch("java-loop", 1L, rows));
            publishStart = System.nanoTime();
            store.publish();
        }
        long done = System.nanoTime();
        return new Result((done - start) / 1e9, MachineInfo.processCpuSeconds() - cpuStart, (done - storeStart) / 1e9, (done - publishStart) / 1e9, accepted, duplicates, dead, counts.size());
    }
}
