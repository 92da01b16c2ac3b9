package lookout.dashboards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import lookout.kernel.PublishedDatabase;

/**
 * The published DuckDB snapshot, opened read-only. The pipeline renames a new file over the published path after
 * each checkpoint, so before every request the file's identity (inode and modification time) is compared with the
 * one open; when it changed, the new file is opened and the old one closed. Each request works on a duplicate of
 * the open connection; a duplicate keeps its database alive until it is closed, so a request that started on the
 * old file finishes there, and nothing pins a replaced file beyond the requests already running on it. A file that
 * cannot be read as a snapshot (not a DuckDB file, a truncated one, one without the published tables) is refused
 * with 503 until another file is renamed over it, and logged once.
 */
public final class Snapshot implements AutoCloseable {
    /** The tables every published snapshot has; the newer ones (area shapes, feed health) are looked for by name. */
    static final List<String> TABLES = List.of("areas", "area_counts", "spikes");
    private static final Logger LOG = LoggerFactory.getLogger(Snapshot.class);

    private final Path file;
    private Object identity;
    private DuckDBConnection open;
    /** The identity of the file last found unreadable, so it is not opened again. */
    private Object unreadable;
    /** The identity of the file whose failure was last logged, so each bad file is logged once. */
    private Object logged;

    public Snapshot(Path file) {
        this.file = file.toAbsolutePath();
    }

    /** A connection to the newest published snapshot; the caller closes it. */
    public synchronized Connection connect() throws SQLException {
        Object now = identity();
        if (open == null || !now.equals(identity)) {
            DuckDBConnection fresh = openReadable(now);
            close();
            open = fresh;
            identity = now;
        }
        Connection c = open.duplicate();
        try (Statement s = c.createStatement()) {
            s.execute("USE " + PublishedDatabase.ALIAS);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * What tells one published file from the next: the pipeline renames a new file over the path, so its inode,
     * modification time and size change. Throws {@link ApiError} (503) while no file is there.
     */
    Object identity() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return Arrays.asList(a.fileKey(), a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            throw new ApiError(503, "the published database is not available");
        }
    }

    /**
     * The file of {@code now} opened and checked, or a 503 when it cannot be read as a snapshot. A replaced file is
     * the pipeline's to fix, not the client's, so the reason is logged for the operator, once and on one line.
     */
    private DuckDBConnection openReadable(Object now) throws SQLException {
        if (now.equals(unreadable)) {
            throw cannotRead();
        }
        try {
            DuckDBConnection fresh = openReadOnly();
            unreadable = null;
            return fresh;
        } catch (SQLException e) {
            unreadable = now;
            throw failed(now, e);
        }
    }

    /**
     * The refusal of a read that failed on the open file, e.g. a truncated one whose catalogue opened but whose data
     * does not: the queries are the server's own, written for the published tables, so a failure is the file's.
     * Logged once per file.
     */
    synchronized ApiError failed(SQLException e) {
        return failed(identity, e);
    }

    private ApiError failed(Object file, SQLException e) {
        if (!Objects.equals(file, logged)) {
            logged = file;
            LOG.warn("the published database {} cannot be read: {}", this.file,
                    String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        return cannotRead();
    }

    static ApiError cannotRead() {
        return new ApiError(503, "the published database cannot be read");
    }

    /**
     * The file now at the path, attached read-only: opening it by path would return the database DuckDB already
     * holds for that path, i.e. the replaced snapshot while any request still reads it.
     */
    private DuckDBConnection openReadOnly() throws SQLException {
        DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        try {
            PublishedDatabase.attach(c, file);
            requireTables(c);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static void requireTables(Connection c) throws SQLException {
        for (String table : TABLES) {
            try (Statement s = c.createStatement()) {
                // A query of the table itself, not of the catalogue: a truncated file can keep its catalogue.
                s.executeQuery("SELECT count(*) FROM " + table).close();
            }
        }
    }

    /**
     * Throws, without logging, when the file now at the path cannot be read as a snapshot: {@code serve} stops on it
     * with one line rather than start answering 503 to every page.
     */
    void requireReadable() throws SQLException {
        openReadOnly().close();
    }

    @Override
    public synchronized void close() throws SQLException {
        if (open != null) {
            open.close();
            open = null;
        }
    }
}
