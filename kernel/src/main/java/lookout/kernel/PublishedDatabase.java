package lookout.kernel;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How every reader opens the DuckDB snapshot the job publishes: the file now at the path, attached read-only to a
 * fresh in-memory database of the reader's own. A connection to the path itself would share the database DuckDB
 * already holds for that path in the JVM, opened on whichever file was there when it opened, while another reader
 * still reads it; the job renames each new snapshot over the last.
 */
public final class PublishedDatabase {
    /** The name the snapshot is attached under; it is also the connection's default once attached. */
    public static final String ALIAS = "published";

    private PublishedDatabase() {}

    /**
     * Attaches the file now at {@code file} read-only to {@code inMemory}, a connection to a fresh in-memory DuckDB
     * database ({@code jdbc:duckdb:}), and makes it the default, so that queries name its tables alone.
     */
    public static void attach(Connection inMemory, Path file) throws SQLException {
        String path = file.toAbsolutePath().toString().replace("'", "''");
        try (Statement s = inMemory.createStatement()) {
            s.execute("ATTACH '" + path + "' AS " + ALIAS + " (READ_ONLY)");
            s.execute("USE " + ALIAS);
        }
    }
}
