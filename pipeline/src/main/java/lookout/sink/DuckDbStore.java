package lookout.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

import lookout.kernel.PublishedDatabase;
import lookout.schema.SinkBatch;
import lookout.schema.TableRow;

/**
 * The pipeline's DuckDB files. DuckDB lets one process write a file and then nobody else may even read it,
 * so the pipeline writes a private file ({@code DB.writer}) and, after each commit, publishes a consistent
 * copy of the published tables to {@code DB} with an atomic rename. Analysts open {@code DB} read-only at
 * any time; the writer never waits for them.
 */
public final class DuckDbStore implements AutoCloseable {
    static {
        // DuckDB's driver registers a JFR event in its static initialiser, and JFR keeps the security context of
        // the code that caused it for the life of the JVM: caused by a job's class, that context holds the job's
        // class loader, so a Flink process kept that job's classes (RELIABILITY.md, "Session clusters").
        // DriverManager initialises the class path's drivers in a privileged block, whose context holds only their
        // own jars; this leaves DuckDB's to it, before connect() would initialise it from here.
        DriverManager.getDrivers();
    }

    private final Path published;
    /** The zone whose calendar days the nowcast's days are. */
    private final ZoneId zone;
    private final Connection connection;
    private final String updatedAt;

    private DuckDbStore(Path published, Connection connection, String updatedAt, ZoneId zone) {
        this.published = published;
        this.zone = zone;
        this.connection = connection;
        this.updatedAt = updatedAt;
    }

    public static Path writerFile(Path published) {
        return published.resolveSibling(published.getFileName() + ".writer");
    }

    /**
     * Opens (creating if needed) the writer's file for the published path {@code published}.
     *
     * @param asOfMillis the {@code updated_at} of every write, for deterministic backfills; null for the commit time
     * @param zone the zone whose calendar days the counts' days are
     */
    public static DuckDbStore open(Path published, Long asOfMillis, ZoneId zone) throws SQLException, IOException {
        Path dir = published.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path writer = writerFile(published);
        WriterRebuild.ifItDropsData(writer);
        Connection c = connect(writer, new Properties());
        try (Statement s = c.createStatement()) {
            for (String ddl : DuckDbTables.ddl()) {
                s.execute(ddl);
            }
        } catch (SQLException | RuntimeException e) {
            closeAfter(c, e);
            throw e;
        }
        String updatedAt = asOfMillis == null ? "now()" : "to_timestamp(" + asOfMillis + " / 1000.0)";
        return new DuckDbStore(published.toAbsolutePath(), c, updatedAt, zone);
    }

    /**
     * Opens a DuckDB file through DuckDB's driver itself, not {@link java.sql.DriverManager}: on a Flink TaskManager
     * each job has a class loader of its own, and DriverManager keeps the driver of whichever job registered it
     * first in that JVM, so the next job's sink there failed with "No suitable driver found" (a job resumed after a
     * failure or a second job on a session cluster, measured by {@code lookout.cluster.faults.ClusterFaultsTest}).
     */
    static Connection connect(Path file, Properties properties) throws SQLException {
        return new DuckDBDriver().connect("jdbc:duckdb:" + file.toAbsolutePath(), properties);
    }

    /** Deletes both files, so that a run starts from no tables at all. */
    public static void delete(Path published) throws IOException {
        deleteWithWal(published);
        deleteWriter(published);
    }

    /**
     * Deletes the writer's file, so that a backfill rebuilds its tables from its input alone; the published file
     * stays for its readers until the rebuilt one is renamed over it.
     */
    static void deleteWriter(Path published) throws IOException {
        deleteWithWal(writerFile(published));
    }

    private static void deleteWithWal(Path p) throws IOException {
        Files.deleteIfExists(p);
        Files.deleteIfExists(p.resolveSibling(p.getFileName() + ".wal"));
    }

    /** Writes the {@code areas}, {@code area_shapes} and {@code area_neighbours} tables in one transaction. */
    public void writeAreas(PublishedAreas areas) throws SQLException {
        inTransaction(connection, () -> {
            insert(DuckDbTables.AREAS, List.copyOf(areas.names().entrySet()), "now()");
            insert(DuckDbTables.AREA_SHAPES, List.copyOf(areas.shapes().entrySet()), "now()");
            insert(DuckDbTables.AREA_NEIGHBOURS, areas.neighbourPairs(), "now()");
            return null;
        });
    }

    /** Work that one transaction holds whole; what it returns is the transaction's result. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work} as one transaction on {@code connection}: committed when it returns, rolled back when it
     * throws, and the connection back in auto-commit either way, as every other write on it expects.
     */
    static <T> T inTransaction(Connection connection, SqlWork<T> work) throws SQLException {
        connection.setAutoCommit(false);
        T result;
        try {
            result = work.run();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            // A failed commit (a full disk, say) leaves no transaction: rolling back and leaving manual commit then
            // fail with "no transaction is active", which must not hide the cause.
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            try {
                connection.setAutoCommit(true);
            } catch (SQLException autoCommit) {
                e.addSuppressed(autoCommit);
            }
            throw e;
        }
        connection.setAutoCommit(true);
        return result;
    }

    /**
     * Inserts {@code records} into {@code table}, which is written directly: appended to its temporary table by DuckDB's
     * appender, then inserted in one statement ({@link DuckDbTable#appendedName} says why); {@code writeTime} as in its
     * declaration.
     */
    private <R> void insert(DuckDbTable<R> table, List<R> records, String writeTime) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(table.appendedDdl());
            try (DuckDBAppender appender = connection.unwrap(DuckDBConnection.class)
                    .createAppender("temp", "main", table.appendedName())) {
                for (R r : records) {
                    table.stage(appender, r);
                }
            }
            s.execute(table.insertAppendedStatement(writeTime));
            s.execute("DELETE FROM " + table.appendedName());
        }
    }

    /**
     * Applies one batch in one transaction, unless it was applied before (a retried commit after a restart):
     * the batch's (run, sequence) is recorded in the same transaction, which makes commits exactly-once. A batch
     * applied before leaves a transaction that only read, so committing it changes nothing. Throws
     * {@link WriterMismatch} when this file is not where the run's earlier batches went ({@link #check}). Records
     * no job or key, and lets a run go on after another run committed: for tools and tests.
     */
    public boolean apply(SinkBatch batch) throws SQLException {
        return apply(batch, Committing.UNRECORDED);
    }

    /**
     * Who commits a streaming job's batches, as {@code lookout_commits} records them.
     *
     * @param jobId the Flink job, so that a run that must resume can be told which job's checkpoints hold its state
     *              ({@link LookoutDatabase#commits}); null if unknown
     * @param keyId the pseudonym key's id ({@link lookout.privacy.PseudonymKey#id}), so that a run resumed under
     *              another key is refused; null if unknown
     * @param freshStart whether the job was started with {@code run --fresh-state}: its run may go on after another
     *              run committed to the file, though records read again are then counted again
     */
    public record Committing(String jobId, String keyId, boolean freshStart) {
        static final Committing UNRECORDED = new Committing(null, null, true);
    }

    /** As {@link #apply(SinkBatch)}, recording who commits ({@link Committing}): for tools and tests. */
    public boolean apply(SinkBatch batch, Committing by) throws SQLException {
        return apply(PendingBatch.of(batch), by);
    }

    /**
     * As {@link #apply(SinkBatch, Committing)}, for a streaming job's committer: the batch is known by the digest it
     * carries, which the build that made it computed.
     */
    boolean apply(PendingBatch pending, Committing by) throws SQLException {
        SinkBatch batch = pending.batch();
        return inTransaction(connection, () -> {
            if (check(pending, by)) {
                return false;
            }
            stage(batch.getRows());
            try (Statement s = connection.createStatement()) {
                for (DuckDbTable<?> table : DuckDbTables.STAGED) {
                    s.execute(table.mergeStatement(updatedAt));
                }
                for (DuckDbTable<?> table : DuckDbTables.STAGED) {
                    s.execute("DELETE FROM " + table.stagingName());
                }
            }
            insert(DuckDbTables.LOOKOUT_COMMITS, List.of(new DuckDbTables.Commit(batch, pending.digest(),
                    by.jobId(), by.keyId())), "now()");
            return true;
        });
    }

    /**
     * Starts a bulk load into this file's staged tables, which must be empty: rows are appended to it, and
     * {@link #build} fills the tables from them.
     */
    DuckDbBulkLoad startBulkLoad() throws SQLException {
        return DuckDbBulkLoad.start(connection);
    }

    /** Fills the staged tables from what {@code load} holds, in one transaction; rows written as of this store's time. */
    void build(DuckDbBulkLoad load) throws SQLException {
        load.build(updatedAt);
    }

    /**
     * True if the batch was applied before. A run numbers its batches 1, 2, ... and commits them in order, and a
     * job restored from a checkpoint goes on with the numbers after the checkpoint's, so this file must hold every
     * earlier batch of the run and, under the batch's own number, nothing or this very batch. Anything else means
     * that the job was restored from an older checkpoint or a savepoint while the file holds what was committed
     * after it (the batches to come would be dropped as "applied" or count records twice), or that this file is not
     * the one the run wrote (a missing or moved {@code DB.writer}, another {@code db}: the rows of the batches
     * before would be lost), and it throws rather than publish either. It also throws when the run's earlier batches
     * were made with another pseudonym key, and when another run committed after the run's last batch unless
     * {@code by} allows a fresh start: in both, records read again would be counted again.
     */
    private boolean check(PendingBatch pending, Committing by) throws SQLException {
        SinkBatch batch = pending.batch();
        // One pass over the ledger: this run's batches, and whether another run committed after this run's last one.
        // "After" is by the ledger's own order (COMMIT_ORDER), not by committed_at, which is the clock of whichever
        // TaskManager committed.
        try (PreparedStatement ps = connection.prepareStatement("WITH this AS (SELECT ?::VARCHAR AS run,"
                + " ?::BIGINT AS seq) SELECT coalesce(max(sequence) FILTER (WHERE run_id = run), 0),"
                + " count(*) FILTER (WHERE run_id = run AND sequence = seq),"
                + " max(digest) FILTER (WHERE run_id = run AND sequence = seq),"
                + " arg_max(key_id, sequence) FILTER (WHERE run_id = run AND key_id IS NOT NULL),"
                + " max(" + DuckDbTables.COMMIT_ORDER + ") FILTER (WHERE run_id <> run) > max("
                + DuckDbTables.COMMIT_ORDER + ") FILTER (WHERE run_id = run),"
                + " arg_max(job_id, " + DuckDbTables.COMMIT_ORDER + ") FILTER (WHERE run_id <> run)"
                + " FROM lookout_commits, this")) {
            ps.setString(1, batch.getRunId());
            ps.setLong(2, batch.getSequence());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long highest = rs.getLong(1);
                boolean applied = rs.getLong(2) > 0;
                String digest = rs.getString(3);
                String keyId = rs.getString(4);
                boolean superseded = rs.getBoolean(5);
                if (applied && digest != null && !digest.equals(pending.digest())) {
                    throw new WriterMismatch(writerFile(published) + " holds another batch " + batch.getSequence()
                            + " of this run, committed after the checkpoint the job was restored from: resume from"
                            + " the run's newest checkpoint, or put back the " + writerFile(published).getFileName()
                            + " of that checkpoint's time");
                }
                if (!applied && highest < batch.getSequence() - 1) {
                    throw new WriterMismatch(writerFile(published) + " holds " + highest + " of the "
                            + (batch.getSequence() - 1) + " batches this run committed before: it is not the file"
                            + " the job wrote (missing, moved or older); put that file back, or start afresh");
                }
                if (keyId != null && by.keyId() != null && !keyId.equals(by.keyId())) {
                    throw new WriterMismatch("this run's batches in " + writerFile(published) + " were made with"
                            + " another pseudonym key than this job's: restart it with the key it started with, or"
                            + " records sent again would be counted again");
                }
                // A later run (started with --fresh-state) took over from this one, whose job was then restored from
                // a checkpoint of this run: it would read again what the later run counted.
                if (!applied && superseded && !by.freshStart()) {
                    throw new WriterMismatch(writerFile(published) + " holds batches another run committed after"
                            + " this run's last one: resume the newest run (Flink job " + rs.getString(6)
                            + ") from its newest checkpoint, or start with --fresh-state (records read again are"
                            + " then counted again)");
                }
                return applied;
            }
        }
    }

    /**
     * Refuses a new run, before it has read anything, on a writer's file earlier runs committed to: it started
     * without their state (on a cluster, a submit without a restore, where {@code run} cannot see whether Flink
     * restores a savepoint), so records read again would be counted again and the detectors would have no history.
     */
    static void refuseAStartWithoutEarlierState(Path published) throws IOException {
        Path writer = writerFile(published);
        if (!Files.isRegularFile(writer)) {
            return;
        }
        // The committer may already hold the file open in this process: a connection with its settings shares it.
        LookoutDatabase.Commits commits;
        try (Connection c = connect(writer, new Properties())) {
            commits = LookoutDatabase.commits(c);
        } catch (SQLException e) {
            throw new IOException("cannot read " + writer + ": " + e.getMessage(), e);
        }
        if (commits.batches() > 0) {
            throw new SinkRefusal(writer + " holds the counts of earlier runs, and this job started without their"
                    + " state: restore the newest checkpoint" + commits.lastJob().map(j -> " of Flink job " + j
                    + " (checkpoint.dir/" + j + "/chk-N)").orElse("") + " or a savepoint, or start with"
                    + " --fresh-state (records read again are then counted again, and the detectors start without"
                    + " history)");
        }
    }

    /** The writer's file is not the one a restored job's run wrote, or is ahead of its checkpoint. */
    public static final class WriterMismatch extends SQLException {
        WriterMismatch(String message) {
            super(message);
        }
    }

    private void stage(List<TableRow> rows) throws SQLException {
        DuckDBConnection duck = connection.unwrap(DuckDBConnection.class);
        List<DuckDBAppender> appenders = new ArrayList<>();
        try {
            for (DuckDbTable<?> table : DuckDbTables.STAGED) {
                appenders.add(duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table.stagingName()));
            }
            for (TableRow row : rows) {
                for (int i = 0; i < appenders.size(); i++) {
                    if (stage(DuckDbTables.STAGED.get(i), row, appenders.get(i))) {
                        break;
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            for (DuckDBAppender a : appenders) {
                try {
                    a.close();
                } catch (SQLException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
        closeAll(appenders);
    }

    /** Stages {@code row} if it is for {@code table}; true if it was. */
    private static <R> boolean stage(DuckDbTable<R> table, TableRow row, DuckDBAppender appender) throws SQLException {
        R record = table.recordOf(row);
        if (record == null) {
            return false;
        }
        table.stage(appender, record);
        return true;
    }

    /** Closes (and so flushes) every appender, even when one fails; the first failure is thrown. */
    private static void closeAll(List<DuckDBAppender> appenders) throws SQLException {
        SQLException failure = null;
        for (DuckDBAppender a : appenders) {
            try {
                a.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** What the sink says when a publish fails, at its start or after a commit. */
    static final String PUBLISH_FAILED = "could not publish the DuckDB snapshot";

    /**
     * Copies the published tables into a new file, the nowcasts derived anew from the counts and delays now written,
     * and renames it over {@code DB} in one step. The copies have no
     * primary keys: readers never write, and building the key indexes made each publish of a year of hourly cells
     * about 20 times slower and the file 10 times larger (measured: 6-14 s and 206 MB against 0.4 s and 21 MB).
     */
    public void publish() throws SQLException, IOException {
        publish(DuckDbStore::requireReadable);
    }

    /**
     * What a snapshot must pass before it replaces the readers' file: {@link #requireReadable}, or in a test a check
     * that first tears the snapshot between its writing and its check.
     */
    interface SnapshotCheck {
        void check(Path snapshot) throws SQLException, IOException;
    }

    void publish(SnapshotCheck check) throws SQLException, IOException {
        Path next = published.resolveSibling(published.getFileName() + ".publishing");
        Files.deleteIfExists(next);
        Files.deleteIfExists(next.resolveSibling(next.getFileName() + ".wal"));
        try (Statement s = connection.createStatement()) {
            s.execute("ATTACH '" + next.toString().replace("'", "''") + "' AS snap");
            try {
                for (DuckDbTable<?> table : DuckDbTables.PUBLISHED_TABLES) {
                    if (table == DuckDbTables.NOWCASTS) {
                        NowcastTable.publish(connection, zone, "snap." + table.name());
                    } else {
                        s.execute("CREATE TABLE snap." + table.name() + " AS SELECT * FROM " + table.name());
                    }
                }
                // Written out here, where a failure throws: the checkpoint DETACH takes ignores its own failures.
                s.execute("CHECKPOINT snap");
            } catch (SQLException | RuntimeException e) {
                try {
                    s.execute("DETACH snap");
                } catch (SQLException detaching) {
                    e.addSuppressed(detaching);
                }
                throw e;
            }
            s.execute("DETACH snap");
        }
        check.check(next);
        Files.move(next, published, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Throws unless a reader can open the snapshot at {@code file} and read the catalogue and row groups of every
     * published table (where a torn file failed: "No more data remaining in MetadataReader"); its column data is
     * not read, which would cost about as much as the copy. One that fails is never renamed over the readers' file,
     * which keeps the last good one.
     */
    static void requireReadable(Path file) throws SQLException {
        try (Connection c = openPublished(file); Statement s = c.createStatement()) {
            for (String table : DuckDbTables.PUBLISHED) {
                s.executeQuery("SELECT count(*) FROM " + table).close();
            }
        } catch (SQLException e) {
            throw new SQLException("the snapshot written to " + file + " cannot be read back: " + e.getMessage(), e);
        }
    }

    /** A read-only connection to the file now at {@code published}, as every reader opens it. */
    public static Connection openPublished(Path published) throws SQLException {
        Connection c = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
        try {
            PublishedDatabase.attach(c, published);
        } catch (SQLException | RuntimeException e) {
            closeAfter(c, e);
            throw e;
        }
        return c;
    }

    /** Closes what a failure leaves unused (a connection, a store), keeping {@code failure} the one thrown. */
    static void closeAfter(AutoCloseable unused, Exception failure) {
        try {
            unused.close();
        } catch (Exception closing) {
            failure.addSuppressed(closing);
        }
    }

    /** What a published file holds, one line per signal plus the dead letters, read as any reader would. */
    public static List<String> summary(Path published) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection c = openPublished(published);
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT signal, sum(count), count(DISTINCT area_id) FROM area_counts"
                    + " WHERE granularity = 'day' GROUP BY signal ORDER BY signal")) {
                while (rs.next()) {
                    lines.add(String.format("%-14s %7d events in %d areas", rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM dead_letters")) {
                rs.next();
                lines.add(String.format("%-14s %7d", "dead letters", rs.getLong(1)));
            }
        }
        return lines;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
