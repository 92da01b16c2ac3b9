package lookout.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.testing.Db;
import lookout.schema.Alert;
import lookout.schema.CountDelta;
import lookout.schema.DeadLetter;
import lookout.schema.DelayDelta;
import lookout.schema.DetectorAlarm;
import lookout.schema.SinkBatch;
import lookout.schema.SubstanceDelta;
import lookout.schema.TableRow;

class DuckDbStoreTest {
    private static final ZoneId ZONE = ZoneId.of("America/Toronto");
    private static final String SQUARE = "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}";
    /** Two areas sharing a border, the first with a shape. */
    private static final PublishedAreas NEIGHBOURS = new PublishedAreas(Map.of("A1", "Alpha", "A2", "Beta"),
            Map.of("A1", SQUARE), Map.of("A1", List.of("A2"), "A2", List.of("A1")));

    @TempDir
    Path dir;

    static SinkBatch batch(String run, long seq, long delta) {
        List<TableRow> rows = new ArrayList<>();
        rows.add(TableRow.newBuilder().setCount(new CountDelta("day", 1_700_000_000L, "A1", "paramedic", delta)).build());
        rows.add(TableRow.newBuilder().setDeadLetter(DeadLetter.newBuilder().setReceivedAt(1_700_000_000_123L)
                .setSource(null).setReason("not_json_or_avro").setPosition("f:1").setSha256("ab").build()).build());
        rows.add(TableRow.newBuilder().setAlert(Alert.newBuilder().setSpikeId("s1").setAreaId("A1").setSignal("paramedic")
                .setMethod("excessglr").setOpenedAt(1_700_000_000_000L).setUpdatedAt(1_700_003_600_000L + seq)
                .setClosedAt(null).setWindowStart(1_699_996_400_000L).setWindowEnd(1_700_003_600_000L)
                .setObserved(null).setExpected(1.5).setThreshold(4.0).setScore(9.5).setSeverity("high")
                .setStatus(seq == 1 ? "opened" : "updated").setEvidence("{\"deaths\":0}").setExplanation("more calls than usual")
                .build()).build());
        rows.add(TableRow.newBuilder().setAlarm(new DetectorAlarm("A1", "paramedic", "earsC_C1", "2023-11-14", (int) delta,
                0.5 * seq, null, seq == 2)).build());
        rows.add(substance(null, null, delta));
        rows.add(substance("fentanyl", null, delta - 1));
        rows.add(substance("isotonitazene", "nitazene", 1));
        return new SinkBatch(run, seq, rows);
    }

    private static TableRow substance(String substance, String watchEntry, long delta) {
        return TableRow.newBuilder().setSubstance(new SubstanceDelta("A1", "2023-11-13", substance, watchEntry, delta))
                .build();
    }

    /** A dead letter's SHA-256 as an earlier version stored it: the hash of a guessable line. */
    private static final String OLD_HASH = "ea5f2c4a9d0bd4c58e0b1f2c1b8e3dd1c41b5ab2e32e1cbf8bd4ff6a8c1b0f3e";

    private static boolean contains(byte[] bytes, String text) {
        return new String(bytes, StandardCharsets.ISO_8859_1).contains(text);
    }

    @Test
    void aWritersFileOfAnEarlierVersionLosesTheDeadLettersGuessableHashAndKeepsItsRowsAndCommits() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        try (Connection c = DuckDbStore.connect(DuckDbStore.writerFile(db), new Properties());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE dead_letters (received_at TIMESTAMPTZ NOT NULL, source VARCHAR, reason VARCHAR NOT"
                    + " NULL, position VARCHAR NOT NULL, sha256 VARCHAR NOT NULL)");
            s.execute("CREATE TABLE staged_dead_letters (received_ms BIGINT, source VARCHAR, reason VARCHAR,"
                    + " position VARCHAR, sha256 VARCHAR)");
            s.execute("INSERT INTO dead_letters VALUES (TIMESTAMPTZ '2023-11-01 12:00:00+00', NULL, 'not_json_or_avro',"
                    + " 'old:7', '" + OLD_HASH + "')");
            s.execute("CREATE TABLE lookout_commits (run_id VARCHAR NOT NULL, sequence BIGINT NOT NULL, committed_at"
                    + " TIMESTAMPTZ NOT NULL, PRIMARY KEY (run_id, sequence))");
            s.execute("INSERT INTO lookout_commits VALUES ('run', 1, TIMESTAMPTZ '2023-11-01 12:00:00+00')");
        }
        assertTrue(contains(Files.readAllBytes(DuckDbStore.writerFile(db)), OLD_HASH), "the old file holds the hash");
        // A rebuild that fails (here: its copy's path cannot be cleared) leaves the old file whole, to be rebuilt later.
        Path rebuilt = db.resolveSibling("lookout.duckdb.writer.rebuilt");
        Files.createDirectories(rebuilt.resolve("in-the-way"));
        assertThrows(java.nio.file.DirectoryNotEmptyException.class, () -> DuckDbStore.open(db, null, ZONE));
        assertEquals(List.of("sha256"), Db.query(DuckDbStore.writerFile(db), "SELECT column_name FROM"
                + " information_schema.columns WHERE table_name = 'dead_letters' AND column_name = 'sha256'"));
        Files.delete(rebuilt.resolve("in-the-way"));
        Files.delete(rebuilt);
        Files.writeString(rebuilt, "a copy cut short");
        try (DuckDbStore store = DuckDbStore.open(db, null, ZONE)) {
            assertFalse(contains(Files.readAllBytes(DuckDbStore.writerFile(db)), OLD_HASH),
                    "the upgraded file is a new file, without the dropped column's bytes");
            assertFalse(Files.exists(rebuilt), "the new file renamed over the old one");
            store.writeAreas(NEIGHBOURS);
            assertFalse(store.apply(batch("run", 1, 2)), "a batch committed without a digest is still known");
            assertTrue(store.apply(batch("run", 2, 2)));
            store.publish();
        }
        assertEquals(List.of("received_at", "source", "reason", "position"), Db.query(db,
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'dead_letters'"
                        + " ORDER BY ordinal_position"));
        assertEquals(List.of("f:1", "old:7"), Db.query(db, "SELECT position FROM dead_letters ORDER BY position"));
    }

    /** An earlier version kept the nowcasts in the writer's file; each publish now derives them into the snapshot. */
    @Test
    void aWritersFileOfAnEarlierVersionLosesItsKeptNowcastsAndThePublishedFileStillHasThem() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        try (Connection c = DuckDbStore.connect(DuckDbStore.writerFile(db), new Properties());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE nowcasts (granularity VARCHAR NOT NULL, period_start DATE NOT NULL,"
                    + " period_end DATE NOT NULL, area_id VARCHAR NOT NULL, signal VARCHAR NOT NULL,"
                    + " reported BIGINT NOT NULL, share_reported DOUBLE NOT NULL, expected DOUBLE, lower BIGINT,"
                    + " upper BIGINT, as_of DATE NOT NULL, PRIMARY KEY (granularity, period_start, area_id, signal))");
            s.execute("INSERT INTO nowcasts VALUES ('day', DATE '2023-01-01', DATE '2023-01-01', 'A9', 'paramedic', 7,"
                    + " 1.0, 7.0, 7, 7, DATE '2023-01-01')");
        }
        try (DuckDbStore store = DuckDbStore.open(db, null, ZONE)) {
            store.writeAreas(NEIGHBOURS);
            assertTrue(store.apply(batch("run", 1, 2)));
            assertTrue(store.apply(new SinkBatch("run", 2L, List.of(TableRow.newBuilder()
                    .setDelay(new DelayDelta("paramedic", "2023-11-14", "2023-11-14", 2L)).build()))));
            store.publish();
        }
        assertEquals(List.of("0"), Db.query(DuckDbStore.writerFile(db),
                "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'nowcasts'"), "the writer's file keeps none");
        assertEquals(List.of("day|56", "week|8"), Db.query(db, "SELECT granularity, count(*) FROM nowcasts"
                + " GROUP BY ALL ORDER BY ALL"), "the batch's one area and signal, derived anew; the old row is gone");
    }

    @Test
    void aFileAheadOfTheRestoredCheckpointOrMissingTheRunsEarlierBatchesIsRefusedAndLeftAsItWas() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        try (DuckDbStore store = DuckDbStore.open(db, null, ZONE)) {
            store.writeAreas(NEIGHBOURS);
            assertTrue(store.apply(batch("run", 1, 2)));
            assertTrue(store.apply(batch("run", 2, 3)));
            store.publish();
            assertFalse(store.apply(batch("run", 2, 3)), "the same batch offered again after a restore");

            // Restored from the checkpoint of batch 1 (a savepoint, say): its next batch is another "2".
            DuckDbStore.WriterMismatch ahead = assertThrows(DuckDbStore.WriterMismatch.class,
                    () -> store.apply(batch("run", 2, 7)));
            assertEquals(DuckDbStore.writerFile(db) + " holds another batch 2 of this run, committed after the"
                    + " checkpoint the job was restored from: resume from the run's newest checkpoint, or put back"
                    + " the lookout.duckdb.writer of that checkpoint's time", ahead.getMessage());
            // Restored into a file that never saw the run (its DB.writer moved away): batch 5 after none of 1-4.
            DuckDbStore.WriterMismatch elsewhere = assertThrows(DuckDbStore.WriterMismatch.class,
                    () -> store.apply(batch("other-run", 5, 1)));
            assertEquals(DuckDbStore.writerFile(db) + " holds 0 of the 4 batches this run committed before: it is not"
                    + " the file the job wrote (missing, moved or older); put that file back, or start afresh",
                    elsewhere.getMessage());
            assertTrue(store.apply(batch("new-run", 1, 1)), "a new run starts at 1");
            store.publish();
        }
        assertEquals(List.of("day|A1|paramedic|6"),
                Db.query(db, "SELECT granularity, area_id, signal, count FROM area_counts"));
    }

    @Test
    void jobsThatWouldCountRecordsAgainAreRefusedAndTheFileLeftAsItWas() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        DuckDbStore.refuseAStartWithoutEarlierState(db);
        DuckDbStore.Committing first = new DuckDbStore.Committing("job-1", "key-a", false);
        try (DuckDbStore store = DuckDbStore.open(db, null, ZONE)) {
            DuckDbStore.refuseAStartWithoutEarlierState(db);
            assertTrue(store.apply(batch("run", 1, 2), first), "the first run on an empty file");
            assertTrue(store.apply(batch("run", 2, 3), new DuckDbStore.Committing("job-2", "key-a", false)),
                    "the run restored by another job, under the same key");

            // A job submitted afresh to a cluster, without the earlier run's dedupe and detector state: refused as its
            // sink's writer starts, with the committer holding the file open in the same process.
            SinkRefusal fresh = assertThrows(SinkRefusal.class, () -> DuckDbStore.refuseAStartWithoutEarlierState(db));
            assertEquals(DuckDbStore.writerFile(db) + " holds the counts of earlier runs, and this job started without"
                    + " their state: restore the newest checkpoint of Flink job job-2 (checkpoint.dir/job-2/chk-N) or a"
                    + " savepoint, or start with --fresh-state (records read again are then counted again, and the"
                    + " detectors start without history)", fresh.getMessage());
            // The run restored under another key: a record sent again gets another dedupe key.
            DuckDbStore.WriterMismatch rekeyed = assertThrows(DuckDbStore.WriterMismatch.class,
                    () -> store.apply(batch("run", 3, 7), new DuckDbStore.Committing("job-4", "key-b", false)));
            assertEquals("this run's batches in " + DuckDbStore.writerFile(db) + " were made with another pseudonym key"
                    + " than this job's: restart it with the key it started with, or records sent again would be"
                    + " counted again", rekeyed.getMessage());

            assertTrue(store.apply(batch("run-2", 1, 1), new DuckDbStore.Committing("job-5", "key-b", true)),
                    "a fresh start asked for, under a key of its own");
            // Committed on a TaskManager whose clock is an hour behind the first run's: still the later commit.
            try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + DuckDbStore.writerFile(db));
                 Statement s = c.createStatement()) {
                s.execute("UPDATE lookout_commits SET committed_at = committed_at - INTERVAL 1 HOUR"
                        + " WHERE run_id = 'run-2'");
            }
            // The first run resumed from its checkpoint after the fresh start took over: it would read again what
            // the new run counted.
            DuckDbStore.WriterMismatch superseded = assertThrows(DuckDbStore.WriterMismatch.class,
                    () -> store.apply(batch("run", 3, 1), first));
            assertEquals(DuckDbStore.writerFile(db) + " holds batches another run committed after this run's last one:"
                    + " resume the newest run (Flink job job-5) from its newest checkpoint, or start with --fresh-state"
                    + " (records read again are then counted again)", superseded.getMessage());
            assertTrue(store.apply(batch("run-2", 2, 1), new DuckDbStore.Committing("job-6", "key-b", false)),
                    "the newest run resumed without the flag");
            store.publish();
        }
        assertEquals(List.of("day|A1|paramedic|7"),
                Db.query(db, "SELECT granularity, area_id, signal, count FROM area_counts"));
        assertEquals(List.of("run|1|job-1|key-a", "run|2|job-2|key-a", "run-2|1|job-5|key-b", "run-2|2|job-6|key-b"),
                Db.query(DuckDbStore.writerFile(db), "SELECT run_id, sequence, job_id, key_id FROM lookout_commits"
                        + " ORDER BY run_id, sequence"));
    }

    @Test
    void batchesAddUpOnceEachAndArePublishedForReaders() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        try (DuckDbStore store = DuckDbStore.open(db, null, ZONE)) {
            store.writeAreas(NEIGHBOURS);
            assertTrue(store.apply(batch("run", 1, 2)));
            assertTrue(store.apply(batch("run", 2, 3)));
            assertFalse(store.apply(batch("run", 2, 3)), "a retried commit is not applied twice");
            store.publish();
            assertEquals(List.of("day|2023-11-14 22:13:20+00|A1|paramedic|5"),
                    Db.query(db, "SELECT granularity, bucket_start AT TIME ZONE 'UTC' || '+00', area_id, signal, count FROM area_counts"));
            assertEquals(List.of("2023-11-14 22:13:20.123|null|not_json_or_avro|f:1", "2023-11-14 22:13:20.123|null|not_json_or_avro|f:1"),
                    Db.query(db, "SELECT received_at AT TIME ZONE 'UTC', source, reason, position FROM dead_letters"));
            assertEquals(List.of("s1|A1|2023-11-14 23:13:20.002|null|null|updated|0"),
                    Db.query(db, "SELECT spike_id, area_id, updated_at AT TIME ZONE 'UTC', closed_at, observed, status,"
                            + " evidence->>'deaths' FROM spikes"), "the latest snapshot of the alert, nulls kept");
            assertEquals(List.of("A1|paramedic|earsC_C1|2023-11-14|3|1.0|null|true"),
                    Db.query(db, "SELECT * FROM detector_alarms"));
            assertEquals(List.of("A1|2023-11-13|fentanyl|null|3", "A1|2023-11-13|isotonitazene|nitazene|2"),
                    Db.query(db, "SELECT area_id, week_start, substance, watch_entry, samples FROM substance_counts"
                            + " ORDER BY substance"), "substance increments added once per batch");
            assertEquals(List.of("A1|2023-11-13|5"),
                    Db.query(db, "SELECT area_id, week_start, samples FROM drug_checking_samples"), "the denominator");
            assertEquals(List.of("A1|Alpha|" + SQUARE), Db.query(db, "SELECT * FROM areas JOIN area_shapes USING (area_id)"));
            assertEquals(List.of("A1|A2", "A2|A1"), Db.query(db, "SELECT * FROM area_neighbours ORDER BY area_id"),
                    "both directions of a shared border");
            assertEquals(List.of("area_counts", "area_neighbours", "area_shapes", "areas", "dead_letters",
                            "detector_alarms", "drug_checking_samples", "feed_health", "nowcasts", "reporting_delays",
                            "spikes", "substance_counts"),
                    Db.query(db, "SELECT table_name FROM duckdb_tables() ORDER BY table_name"), "bookkeeping stays private");
        }
    }

    @Test
    void aReaderOpenedAfterAPublishReadsTheNewSnapshotWhileAnEarlierReaderKeepsItsOwn() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        try (DuckDbStore store = DuckDbStore.open(db, null, ZONE)) {
            store.apply(batch("run", 1, 2));
            store.publish();
            try (Connection earlier = DuckDbStore.openPublished(db)) {
                store.apply(batch("run", 2, 3));
                store.publish();
                try (Connection later = DuckDbStore.openPublished(db)) {
                    assertEquals(2, countOf(earlier), "the snapshot it opened");
                    assertEquals(5, countOf(later), "the file now at the path, while another reader holds the old one");
                }
            }
        }
    }

    @Test
    void aSnapshotThatCannotBeReadBackIsNeverRenamedOverTheReadersFile() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        try (DuckDbStore store = DuckDbStore.open(db, null, ZONE)) {
            store.apply(batch("run", 1, 2));
            store.publish();
            byte[] published = Files.readAllBytes(db);
            store.apply(batch("run", 2, 3));
            SQLException refused = assertThrows(SQLException.class, () -> store.publish(snapshot -> {
                // Its three 4 KiB headers and the start of the first block: what a reader finds of a file cut short.
                Files.write(snapshot, Arrays.copyOf(Files.readAllBytes(snapshot), 3 * 4096 + 1000));
                DuckDbStore.requireReadable(snapshot);
            }));
            assertTrue(refused.getMessage().startsWith("the snapshot written to " + db + ".publishing cannot be read"
                    + " back: "), refused.getMessage());
            assertArrayEquals(published, Files.readAllBytes(db), "the readers keep the last good file");
            store.publish();
            assertEquals(List.of("5"), Db.query(db, "SELECT sum(count) FROM area_counts"),
                    "the next publish goes through");
        }
    }

    private static long countOf(Connection reader) throws SQLException {
        try (Statement s = reader.createStatement();
             ResultSet rs = s.executeQuery("SELECT sum(count) FROM area_counts WHERE granularity = 'day'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void areasWrittenAgainByARestartedJobReplaceTheirNamesAndShapesWithoutDuplicates() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        try (DuckDbStore store = DuckDbStore.open(db, null, ZONE)) {
            store.writeAreas(NEIGHBOURS);
            store.writeAreas(new PublishedAreas(Map.of("A1", "Alpha Park", "A2", "Beta"), Map.of("A1", "{}"),
                    Map.of("A1", List.of("A2"), "A2", List.of("A1"))));
            assertTrue(store.apply(batch("run", 1, 2)), "the ledger of commits takes its row as before");
            assertFalse(store.apply(batch("run", 1, 2)));
            store.publish();
            assertEquals(List.of("A1|Alpha Park|{}", "A2|Beta|null"), Db.query(db,
                    "SELECT area_id, name, geojson FROM areas LEFT JOIN area_shapes USING (area_id) ORDER BY area_id"));
            assertEquals(List.of("A1|A2", "A2|A1"), Db.query(db, "SELECT * FROM area_neighbours ORDER BY area_id"));
        }
    }

    @Test
    void anAlertsClosingIsNeverReplacedByAnOlderSnapshotInTheSameBatchOrALaterOne() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        Alert updated = batch("run", 2, 1).getRows().stream().filter(r -> r.getAlert() != null).findFirst().orElseThrow()
                .getAlert();
        Alert closed = Alert.newBuilder(updated).setStatus("closed").setUpdatedAt(updated.getUpdatedAt() + 7_200_000L)
                .setClosedAt(updated.getUpdatedAt() + 7_200_000L).build();
        try (DuckDbStore store = DuckDbStore.open(db, null, ZONE)) {
            store.writeAreas(new PublishedAreas(Map.of("A1", "Alpha"), Map.of("A1", SQUARE)));
            assertTrue(store.apply(new SinkBatch("run", 1L, List.of(alertRow(closed), alertRow(updated)))));
            assertTrue(store.apply(new SinkBatch("run", 2L, List.of(alertRow(updated)))));
            store.publish();
            assertEquals(List.of("closed"), Db.query(db, "SELECT status FROM spikes"));
            assertTrue(store.apply(new SinkBatch("run", 3L, List.of(alertRow(Alert.newBuilder(closed)
                    .setExplanation("confirmed").build())))));
            store.publish();
            assertEquals(List.of("closed|confirmed"), Db.query(db, "SELECT status, explanation FROM spikes"),
                    "the same snapshot again (a coroner confirmation) still replaces it");
        }
    }

    @Test
    void aTransactionCommitsWhatItsWorkDidOrNothingWhenTheWorkFails() throws Exception {
        try (Connection c = DuckDbStore.connect(dir.resolve("t.duckdb"), new Properties())) {
            update(c, "CREATE TABLE t (x INTEGER)");
            assertThrows(SQLException.class, () -> DuckDbStore.inTransaction(c, () -> {
                update(c, "INSERT INTO t VALUES (1)");
                return update(c, "INSERT INTO missing VALUES (2)");
            }));
            assertTrue(c.getAutoCommit(), "back in auto-commit after a rollback");
            assertEquals(1, DuckDbStore.inTransaction(c, () -> update(c, "INSERT INTO t VALUES (3)")));
            assertTrue(c.getAutoCommit(), "back in auto-commit after a commit");
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT string_agg(x::VARCHAR, ',') FROM t")) {
                rs.next();
                assertEquals("3", rs.getString(1), "the failed work's first insert was rolled back");
            }
        }
    }

    /** A statement of its own for each update: DuckDB's driver closes a statement whose SQL failed. */
    private static int update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        }
    }

    private static TableRow alertRow(Alert a) {
        return TableRow.newBuilder().setAlert(a).build();
    }
}
