package lookout.sink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lookout.detect.SpikeTracker;
import lookout.schema.CountDelta;
import lookout.schema.DelayDelta;
import lookout.schema.DetectorAlarm;
import lookout.schema.SubstanceDelta;
import lookout.schema.TableRow;

/**
 * Rows on their way to DuckDB, reduced to what the tables need: count, substance and delay increments added per cell, and
 * only the latest version of each alert and alarm (they are upserts), so the buffer holds one row per touched cell
 * or key.
 */
final class SinkBuffer {
    private record Cell(String granularity, long bucketStart, String areaId, String signal) {}

    /** A reporting-triangle cell of a signal. */
    private record DelayCell(String signal, String occurredDay, String reportedDay) {}

    private record AlarmKey(String areaId, String signal, String method, String day) {}

    /** A drug-checking cell; a null substance is the cell of samples checked. */
    private record SubstanceCell(String areaId, String weekStart, String substance, String watchEntry) {}

    private final Map<Cell, long[]> counts = new HashMap<>();
    private final List<TableRow> deadLetters = new ArrayList<>();
    private final Map<String, TableRow> alerts = new LinkedHashMap<>();
    private final Map<AlarmKey, TableRow> alarms = new LinkedHashMap<>();
    private final Map<SubstanceCell, long[]> substances = new HashMap<>();
    /** The latest snapshot per feed-health episode; one source's snapshots come in order from one operator. */
    private final Map<String, TableRow> feedHealth = new LinkedHashMap<>();
    private final Map<DelayCell, long[]> delays = new HashMap<>();
    /**
     * Every deserialised row brings its own copies of the same few area ids, signals, methods and days; with
     * hundreds of thousands of cells buffered, keeping each distinct string once halves the heap they take.
     */
    private final Map<String, String> canonical = new HashMap<>();

    void add(TableRow row) {
        if (row.getCount() != null) {
            CountDelta c = row.getCount();
            counts.computeIfAbsent(new Cell(canonical(c.getGranularity()), c.getBucketStart(),
                    canonical(c.getAreaId()), canonical(c.getSignal())), k -> new long[1])[0] += c.getDelta();
        } else if (row.getDeadLetter() != null) {
            deadLetters.add(row);
        } else if (row.getAlert() != null) {
            alerts.merge(row.getAlert().getSpikeId(), row,
                    (stored, candidate) -> SpikeTracker.supersedes(candidate.getAlert(), stored.getAlert()) ? candidate : stored);
        } else if (row.getAlarm() != null) {
            DetectorAlarm a = row.getAlarm();
            DetectorAlarm shared = DetectorAlarm.newBuilder(a).setAreaId(canonical(a.getAreaId()))
                    .setSignal(canonical(a.getSignal())).setMethod(canonical(a.getMethod())).setDay(canonical(a.getDay()))
                    .build();
            alarms.put(new AlarmKey(shared.getAreaId(), shared.getSignal(), shared.getMethod(), shared.getDay()),
                    TableRow.newBuilder().setAlarm(shared).build());
        } else if (row.getSubstance() != null) {
            SubstanceDelta d = row.getSubstance();
            substances.computeIfAbsent(new SubstanceCell(canonical(d.getAreaId()), canonical(d.getWeekStart()),
                    d.getSubstance() == null ? null : canonical(d.getSubstance()),
                    d.getWatchEntry() == null ? null : canonical(d.getWatchEntry())), k -> new long[1])[0] += d.getDelta();
        } else if (row.getFeedHealth() != null) {
            feedHealth.put(row.getFeedHealth().getEpisodeId(), row);
        } else if (row.getDelay() != null) {
            DelayDelta d = row.getDelay();
            delays.computeIfAbsent(new DelayCell(canonical(d.getSignal()), canonical(d.getOccurredDay()),
                    canonical(d.getReportedDay())), k -> new long[1])[0] += d.getDelta();
        }
    }

    private String canonical(String s) {
        return canonical.computeIfAbsent(s, k -> k);
    }

    /** Rows the buffer would hand out now. */
    int size() {
        return counts.size() + deadLetters.size() + alerts.size() + alarms.size() + substances.size() + feedHealth.size()
                + delays.size();
    }

    /** Hands out every buffered row, in the order the tables must apply them, and empties the buffer. */
    List<TableRow> drain() {
        List<TableRow> rows = new ArrayList<>(size());
        for (var it = counts.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Cell cell = e.getKey();
            rows.add(TableRow.newBuilder().setCount(new CountDelta(
                    cell.granularity(), cell.bucketStart(), cell.areaId(), cell.signal(), e.getValue()[0])).build());
            it.remove();
        }
        substances.forEach((cell, n) -> rows.add(TableRow.newBuilder().setSubstance(new SubstanceDelta(
                cell.areaId(), cell.weekStart(), cell.substance(), cell.watchEntry(), n[0])).build()));
        substances.clear();
        delays.forEach((cell, n) -> rows.add(TableRow.newBuilder().setDelay(new DelayDelta(
                cell.signal(), cell.occurredDay(), cell.reportedDay(), n[0])).build()));
        delays.clear();
        rows.addAll(deadLetters);
        rows.addAll(alerts.values());
        rows.addAll(alarms.values());
        rows.addAll(feedHealth.values());
        deadLetters.clear();
        feedHealth.clear();
        alerts.clear();
        alarms.clear();
        canonical.clear();
        return rows;
    }
}
