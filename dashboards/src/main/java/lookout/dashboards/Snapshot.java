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

import org.duckdb.DuckDBConnection;

/**
 * The published DuckDB snapshot, opened read-only. The pipeline renames a new file over the published path after
 * each checkpoint, so before every request the file's identity (inode and modification time) is compared with the
 * one open; when it changed, the new file is opened and the old one closed. Each request works on a duplicate of
 * the open connection; a duplicate keeps its database alive until it is closed, so a request that started on the
 * old file finishes there, and nothing pins a replaced file beyond the requests already running on it.
 */
public final class Snapshot implements AutoCloseable {
    private final Path file;
    private Object identity;
    private DuckDBConnection open;

    public Snapshot(Path file) {
        this.file = file.toAbsolutePath();
    }

    /** A connection to the newest published snapshot; the caller closes it. */
    public synchronized Connection connect() throws SQLException {
        Object now = identity();
        if (open == null || !now.equals(identity)) {
            DuckDBConnection fresh = openReadOnly();
            close();
            open = fresh;
            identity = now;
        }
        Connection c = open.duplicate();
        try (Statement s = c.createStatement()) {
            s.execute("USE published");
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
     * A fresh in-memory database with the file attached read-only. Opening the file itself by path would return
     * the database instance DuckDB already holds for that path, i.e. the replaced snapshot while any request still
     * reads it; an attachment reads the file the path names now.
     */
    private DuckDBConnection openReadOnly() throws SQLException {
        DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = c.createStatement()) {
            s.execute("ATTACH '" + file.toString().replace("'", "''") + "' AS published (READ_ONLY)");
            s.execute("USE published");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    @Override
    public synchronized void close() throws SQLException {
        if (open != null) {
            open.close();
            open = null;
        }
    }
}
