package lookout.sink;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;

import lookout.schema.CountDelta;
import lookout.schema.DetectorAlarm;
import lookout.schema.SinkBatch;
import lookout.schema.TableRow;

/**
 * Collects one checkpoint's writes, adding count increments per cell and keeping the latest version of each
 * alert and alarm, so a batch holds one row per touched cell or key; hands them to the committer as one batch
 * when the checkpoint barrier passes.
 */
final class DuckDbSinkWriter implements CommittingSinkWriter<TableRow, SinkBatch>, StatefulSinkWriter<TableRow, WriterState> {
    /**
     * A backfill commits once, at the end, millions of cells: split into batches so no single committable has
     * to be serialised into one huge array. The committer applies a checkpoint's batches before publishing.
     */
    private static final int MAX_BATCH_ROWS = 50_000;

    private record Cell(String granularity, long bucketStart, String areaId, String signal) {}

    private record AlarmKey(String areaId, String signal, String method, String day) {}

    private final String runId;
    private long sequence;
    private final Map<Cell, long[]> counts = new HashMap<>();
    private final List<TableRow> deadLetters = new ArrayList<>();
    /** Alerts and alarms are upserts: within a checkpoint only the latest version of each needs writing. */
    private final Map<String, TableRow> alerts = new LinkedHashMap<>();
    private final Map<AlarmKey, TableRow> alarms = new LinkedHashMap<>();
    /**
     * Every deserialised row brings its own copies of the same few area ids, signals, methods and days; a batch
     * backfill holds millions of cells until its one commit, so each distinct string is kept once.
     */
    private final Map<String, String> canonical = new HashMap<>();

    DuckDbSinkWriter(String runId, long sequence) {
        this.runId = runId;
        this.sequence = sequence;
    }

    @Override
    public void write(TableRow row, Context context) {
        if (row.getCount() != null) {
            CountDelta c = row.getCount();
            counts.computeIfAbsent(new Cell(canonical(c.getGranularity()), c.getBucketStart(),
                    canonical(c.getAreaId()), canonical(c.getSignal())), k -> new long[1])[0] += c.getDelta();
        } else if (row.getDeadLetter() != null) {
            deadLetters.add(row);
        } else if (row.getAlert() != null) {
            alerts.put(row.getAlert().getSpikeId(), row);
        } else if (row.getAlarm() != null) {
            DetectorAlarm a = row.getAlarm();
            DetectorAlarm shared = new DetectorAlarm(canonical(a.getAreaId()), canonical(a.getSignal()),
                    canonical(a.getMethod()), canonical(a.getDay()), a.getObserved(), a.getUpperbound(), a.getAlarm());
            alarms.put(new AlarmKey(shared.getAreaId(), shared.getSignal(), shared.getMethod(), shared.getDay()),
                    TableRow.newBuilder().setAlarm(shared).build());
        }
    }

    private String canonical(String s) {
        return canonical.computeIfAbsent(s, k -> k);
    }

    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public Collection<SinkBatch> prepareCommit() {
        if (counts.isEmpty() && deadLetters.isEmpty() && alerts.isEmpty() && alarms.isEmpty()) {
            return List.of();
        }
        List<TableRow> rows = new ArrayList<>(counts.size() + deadLetters.size() + alerts.size() + alarms.size());
        for (var it = counts.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Cell cell = e.getKey();
            rows.add(TableRow.newBuilder().setCount(new CountDelta(
                    cell.granularity(), cell.bucketStart(), cell.areaId(), cell.signal(), e.getValue()[0])).build());
            it.remove();
        }
        rows.addAll(deadLetters);
        rows.addAll(alerts.values());
        rows.addAll(alarms.values());
        counts.clear();
        deadLetters.clear();
        alerts.clear();
        alarms.clear();
        canonical.clear();
        List<SinkBatch> batches = new ArrayList<>((rows.size() + MAX_BATCH_ROWS - 1) / MAX_BATCH_ROWS);
        for (int from = 0; from < rows.size(); from += MAX_BATCH_ROWS) {
            List<TableRow> part = new ArrayList<>(rows.subList(from, Math.min(rows.size(), from + MAX_BATCH_ROWS)));
            batches.add(new SinkBatch(runId, ++sequence, part));
        }
        return batches;
    }

    @Override
    public List<WriterState> snapshotState(long checkpointId) {
        return List.of(new WriterState(runId, sequence));
    }

    @Override
    public void close() {}
}
