package lookout.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.geo.Boundaries;
import lookout.schema.Alert;
import lookout.schema.CountDelta;
import lookout.schema.DeadLetter;
import lookout.schema.DelayDelta;
import lookout.schema.DetectorAlarm;
import lookout.schema.FeedHealth;
import lookout.schema.SinkBatch;
import lookout.schema.SubstanceDelta;
import lookout.schema.TableRow;
import lookout.testing.Db;

/** The backfill's bulk load leaves the same published tables as the upserts the streaming sink still makes. */
class DuckDbBulkLoadTest {
    private static final ZoneId ZONE = ZoneId.of("America/Toronto");
    private static final long AS_OF = 1_700_000_000_000L;
    private static final PublishedAreas DEMO_AREAS = PublishedAreas.of(Boundaries.load(Boundaries.DEMO));
    private static final List<String> STATUSES = List.of("opened", "updated", "closed");

    @TempDir
    Path dir;

    /**
     * Rows of every kind over few keys, so that most keys get many rows: increments of 1 and pre-summed ones, and
     * snapshots of alerts updated at the same millisecond in every lifecycle order and arriving out of order.
     */
    static List<TableRow> rows(long seed, int n) {
        Random r = new Random(seed);
        List<TableRow> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String area = "A" + r.nextInt(4);
            String signal = List.of("paramedic", "coroner", "combined").get(r.nextInt(3));
            String day = "2023-11-1" + r.nextInt(6);
            TableRow.Builder row = TableRow.newBuilder();
            switch (r.nextInt(8)) {
                case 0, 1 -> row.setCount(new CountDelta(r.nextBoolean() ? "hour" : "day", 1_699_920_000L + 3_600L * r.nextInt(12),
                        area, signal, r.nextInt(4) == 0 ? 1L + r.nextInt(40) : 1L));
                case 2 -> row.setDeadLetter(new DeadLetter(1_699_920_000_000L + r.nextInt(1_000_000),
                        r.nextBoolean() ? null : signal, "not JSON", "f.ndjson:" + i, Integer.toHexString(r.nextInt()), null));
                case 3 -> {
                    long opened = 1_699_920_000_000L;
                    row.setAlert(new Alert("S" + r.nextInt(5), area, signal, "earsC_C2", opened,
                            opened + 60_000L * r.nextInt(3), r.nextBoolean() ? null : opened + 3_600_000L, opened,
                            opened + 3_600_000L, r.nextBoolean() ? null : r.nextInt(30), r.nextDouble(), r.nextDouble(),
                            r.nextDouble(), "high", STATUSES.get(r.nextInt(3)), "{\"n\": " + i + "}", "explanation " + i));
                }
                case 4 -> row.setAlarm(new DetectorAlarm(area, signal, "earsC_C" + (1 + r.nextInt(2)), day, i,
                        r.nextBoolean() ? null : r.nextDouble(), r.nextDouble(), r.nextBoolean()));
                case 5 -> {
                    String substance = List.of("fentanyl", "xylazine", "none").get(r.nextInt(3));
                    row.setSubstance(new SubstanceDelta(area, "2023-11-0" + (1 + r.nextInt(3)), substance.equals("none") ? null : substance,
                            substance.equals("fentanyl") ? "opioids" : null, 1L + r.nextInt(3)));
                }
                case 6 -> row.setFeedHealth(new FeedHealth("E" + r.nextInt(3), signal, r.nextBoolean() ? "silent" : "bad",
                        1_699_920_000_000L + r.nextInt(1000), r.nextBoolean() ? null : 1_699_930_000_000L + r.nextInt(1000),
                        1_699_940_000_000L + i, r.nextDouble(), null, r.nextBoolean() ? null : r.nextDouble(), 12.5));
                default -> row.setDelay(new DelayDelta(signal, day, "2023-11-1" + (6 + r.nextInt(4)), 1L + r.nextInt(2)));
            }
            rows.add(row.build());
        }
        return rows;
    }

    /** The backfill as it was before the bulk load: rows buffered and upserted whenever {@code bufferRows} are held. */
    private static void upsert(Path db, List<TableRow> rows, int bufferRows) throws Exception {
        DuckDbStore.delete(db);
        try (DuckDbStore store = DuckDbStore.open(db, AS_OF, ZONE)) {
            store.writeAreas(DEMO_AREAS);
            SinkBuffer buffer = new SinkBuffer();
            long sequence = 0;
            for (TableRow row : rows) {
                buffer.add(row);
                if (buffer.size() >= bufferRows) {
                    store.apply(new SinkBatch("upserts", ++sequence, buffer.drain()));
                }
            }
            store.apply(new SinkBatch("upserts", ++sequence, buffer.drain()));
            store.publish();
        }
    }

    private static void bulkLoad(Path db, List<TableRow> rows) throws Exception {
        try (DuckDbRebuildWriter writer = DuckDbRebuildWriter.start(db, DEMO_AREAS, ZONE, AS_OF)) {
            for (TableRow row : rows) {
                writer.write(row, null);
            }
            writer.flush(true);
        }
    }

    /** Every published table: its columns and types, then every row in full, sorted. */
    private static Map<String, List<String>> tables(Path db) throws Exception {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (String table : DuckDbTables.PUBLISHED) {
            List<String> content = new ArrayList<>(Db.query(db, "SELECT column_name, data_type FROM"
                    + " information_schema.columns WHERE table_name = '" + table + "' ORDER BY ordinal_position"));
            content.addAll(Db.query(db, "SELECT * FROM " + table + " ORDER BY ALL"));
            tables.put(table, content);
        }
        return tables;
    }

    @Test
    void theBulkLoadPublishesExactlyWhatBufferedUpsertsPublish() throws Exception {
        List<TableRow> input = rows(14, 4_000);
        Path upserted = dir.resolve("upserts.duckdb");
        Path loaded = dir.resolve("bulk.duckdb");
        for (int bufferRows : List.of(50, 250_000)) {
            upsert(upserted, input, bufferRows);
            bulkLoad(loaded, input);
            Map<String, List<String>> expected = tables(upserted);
            assertEquals(expected, tables(loaded), "buffers of " + bufferRows + " rows");
            for (String table : List.of("area_counts", "dead_letters", "spikes", "detector_alarms", "substance_counts",
                    "drug_checking_samples", "feed_health", "reporting_delays", "nowcasts")) {
                assertTrue(expected.get(table).size() > 5, table + " has rows to compare");
            }
        }
        assertEquals(Db.query(upserted, "SELECT position FROM dead_letters"), Db.query(loaded, "SELECT position FROM dead_letters"),
                "dead letters in the order they came");
    }

    @Test
    void repeatedIncrementsOfACellAddUpWhetherTheyComeOneByOneOrPreSummed() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        List<TableRow> ones = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ones.add(TableRow.newBuilder().setCount(new CountDelta("day", 1_700_000_000L, "A1", "paramedic", 1L)).build());
        }
        bulkLoad(db, ones);
        List<String> oneByOne = Db.query(db, "SELECT area_id, signal, count FROM area_counts");
        bulkLoad(db, List.of(TableRow.newBuilder().setCount(new CountDelta("day", 1_700_000_000L, "A1", "paramedic", 4L)).build(),
                TableRow.newBuilder().setCount(new CountDelta("day", 1_700_000_000L, "A1", "paramedic", 3L)).build()));
        assertEquals(List.of("A1|paramedic|7"), oneByOne);
        assertEquals(oneByOne, Db.query(db, "SELECT area_id, signal, count FROM area_counts"));
    }

    @Test
    void theBuildLeavesNoStagingBehindAndAnEmptyInputPublishesEmptyTables() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        bulkLoad(db, List.of());
        assertEquals(0, Db.count(db, "SELECT count(*) FROM area_counts"));
        assertEquals(40, Db.count(db, "SELECT count(*) FROM areas"));
        assertEquals(List.of(), Db.query(DuckDbStore.writerFile(db),
                "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'bulk_%'"));
    }
}
