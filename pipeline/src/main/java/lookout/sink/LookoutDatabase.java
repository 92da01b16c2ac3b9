package lookout.sink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Tells a Lookout database from any other file, so the pipeline replaces only files it made itself. A Lookout
 * database is a DuckDB file holding every published table; a writer's file holds them too.
 */
public final class LookoutDatabase {
    /** DuckDB files carry this at byte 8, after the header checksum. */
    private static final byte[] DUCKDB_MAGIC = "DUCK".getBytes(StandardCharsets.US_ASCII);
    private static final int MAGIC_OFFSET = 8;

    private LookoutDatabase() {}

    /** The files the pipeline creates and replaces for the published path {@code db}. */
    public static List<Path> files(Path db) {
        return List.of(db, DuckDbStore.writerFile(db), db.resolveSibling(db.getFileName() + ".publishing"));
    }

    /**
     * True for a DuckDB file holding Lookout's published tables. The magic bytes are checked before DuckDB sees
     * the file, and DuckDB opens it read-only: recognising a file never changes it.
     */
    public static boolean isLookoutDatabase(Path file) {
        return kind(file) == Kind.LOOKOUT;
    }

    /** What a file is, as far as replacing it goes. */
    public enum Kind {
        LOOKOUT,
        /** A DuckDB file that another process has open for writing, such as a running job's writer file. */
        IN_USE,
        OTHER
    }

    public static Kind kind(Path file) {
        if (!Files.isRegularFile(file) || !hasDuckDbMagic(file)) {
            return Kind.OTHER;
        }
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection c = DuckDbStore.connect(file, readOnly);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'")) {
            Set<String> tables = new HashSet<>();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            return tables.containsAll(DuckDbTables.IDENTIFYING) ? Kind.LOOKOUT : Kind.OTHER;
        } catch (SQLException e) {
            return String.valueOf(e.getMessage()).contains("lock") ? Kind.IN_USE : Kind.OTHER;
        }
    }

    /**
     * The first of the published and the writer's file that exists and is of {@code kind}, if any. The
     * {@code .publishing} file is not judged: it is scratch space that a publish interrupted by a crash may leave
     * half written, and refusing to replace it would stop the restored job for good.
     */
    public static Optional<Path> firstOfKind(Path db, Kind kind) {
        return Stream.of(db, DuckDbStore.writerFile(db)).filter(Files::exists).filter(p -> kind(p) == kind).findFirst();
    }

    /**
     * What the streaming runs committed to the writer's file of {@code db}: how many batches (a backfill's file holds
     * none) and the Flink job that committed the last one, if recorded (an earlier version did not).
     */
    public record Commits(long batches, Optional<String> lastJob) {}

    /** The commits of the writer's file of {@code db}, opened read-only; empty when there is no writer's file. */
    public static Optional<Commits> commits(Path db) {
        Path writer = DuckDbStore.writerFile(db);
        if (!Files.isRegularFile(writer)) {
            return Optional.empty();
        }
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection c = DuckDbStore.connect(writer, readOnly)) {
            return Optional.of(commits(c));
        } catch (SQLException e) {
            return Optional.of(new Commits(0, Optional.empty()));
        }
    }

    /** The commits of the writer's file {@code c} is open on; none if it has no ledger yet. */
    static Commits commits(Connection c) {
        String table = DuckDbTables.LOOKOUT_COMMITS.name();
        long batches = single(c, "SELECT count(*) FROM " + table).map(Long::parseLong).orElse(0L);
        // An earlier version's file, not yet upgraded, has no job column: no job then.
        Optional<String> job = single(c, "SELECT arg_max(job_id, " + DuckDbTables.COMMIT_ORDER + ")"
                + " FILTER (WHERE job_id IS NOT NULL) FROM " + table);
        return new Commits(batches, job);
    }

    /** The first column of the first row of {@code sql}, empty if null or if the query fails. */
    private static Optional<String> single(Connection c, String sql) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /**
     * Why a streaming job must not start on {@code db} without its writer's file: a published database whose
     * writer's file is gone, or a restore whose run wrote one that is gone (moved or deleted, or another
     * {@code db}). The job would publish a new, empty database over the counts.
     */
    public static String missingWriter(Path db) {
        return "the writer's file " + DuckDbStore.writerFile(db) + " is missing" + (Files.exists(db)
                ? " beside the published " + db.getFileName() + ": a job would publish an empty database over its"
                        + " counts; put the writer's file back, or rebuild the history with backfill"
                : ": the run to resume wrote its counts there; put it back, or rebuild the history with backfill and"
                        + " start without --from-checkpoint");
    }

    /**
     * Stops a streaming sink before it publishes an empty database over a published one whose writer's file is
     * gone ({@link #missingWriter}): on a cluster the CLI's checks ran elsewhere, or not at all.
     */
    static void requireWriterOfPublished(Path db) throws IOException {
        if (!Files.exists(DuckDbStore.writerFile(db)) && isLookoutDatabase(db)) {
            throw new IOException(missingWriter(db));
        }
    }

    /**
     * Stops a sink before it replaces a published file that is not its own: on a cluster the CLI's checks ran on
     * another machine. The writer's file is left to DuckDB, which refuses to open a file that is not a database.
     */
    static void requirePublishable(Path db) throws IOException {
        if (Files.exists(db) && !isLookoutDatabase(db)) {
            throw new IOException("refusing to replace " + db + ": it is not a Lookout database");
        }
    }

    private static boolean hasDuckDbMagic(Path file) {
        byte[] head = new byte[MAGIC_OFFSET + DUCKDB_MAGIC.length];
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(head, 0, head.length) == head.length
                    && Arrays.equals(head, MAGIC_OFFSET, head.length, DUCKDB_MAGIC, 0, DUCKDB_MAGIC.length);
        } catch (IOException e) {
            return false;
        }
    }
}
