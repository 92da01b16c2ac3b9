package lookout.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Upgrades a writer's file from which this version drops data (a dead letter's hash, {@link DuckDbTables#dropsData})
 * by building a new file and renaming it over the old one. Dropping the column in place would leave its bytes in the
 * file's free blocks until DuckDB reuses them. The old file keeps the data until the rename, so a rebuild cut short
 * anywhere is simply done again at the next open.
 */
final class WriterRebuild {
    private WriterRebuild() {}

    /** Rebuilds {@code writer} if this version drops data from it; does nothing to a missing or current file. */
    static void ifItDropsData(Path writer) throws SQLException, IOException {
        if (!Files.isRegularFile(writer)) {
            return;
        }
        Path copy = writer.resolveSibling(writer.getFileName() + ".rebuilt");
        try (Connection c = DuckDbStore.connect(writer, new Properties())) {
            if (!DuckDbTables.dropsData(c)) {
                return;
            }
            Files.deleteIfExists(copy);
            Files.deleteIfExists(copy.resolveSibling(copy.getFileName() + ".wal"));
            build(c, copy);
        }
        try {
            Files.setPosixFilePermissions(copy, Files.getPosixFilePermissions(writer));
        } catch (UnsupportedOperationException e) {
            // A file system without POSIX modes: the copy has the directory's defaults, as the first file had.
        }
        // Closing checkpointed the old file, so its log holds nothing the copy lacks; left, it would be replayed into it.
        Files.deleteIfExists(writer.resolveSibling(writer.getFileName() + ".wal"));
        Files.move(copy, writer, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Creates this version's tables in {@code copy} and fills them with the columns they share with the old ones. */
    private static void build(Connection c, Path copy) throws SQLException {
        // An alias no database file can have by its own name, so it cannot collide with the old file's.
        String alias = "rebuilt_" + UUID.randomUUID().toString().replace("-", "");
        try (Statement s = c.createStatement()) {
            String original = single(c, "SELECT current_database()");
            s.execute("ATTACH '" + copy.toString().replace("'", "''") + "' AS " + alias);
            s.execute("USE " + alias);
            for (String ddl : DuckDbTables.ddl()) {
                s.execute(ddl);
            }
            for (String table : tables(c, alias)) {
                List<String> shared = new ArrayList<>(columns(c, alias, table));
                shared.retainAll(columns(c, original, table));
                if (!shared.isEmpty()) {
                    String list = shared.stream().map(WriterRebuild::quoted).collect(Collectors.joining(", "));
                    s.execute("INSERT INTO " + alias + ".main." + quoted(table) + " (" + list + ") SELECT " + list
                            + " FROM " + quoted(original) + ".main." + quoted(table));
                }
            }
            s.execute("CHECKPOINT " + alias);
            s.execute("USE " + quoted(original));
            s.execute("DETACH " + alias);
        }
    }

    private static List<String> tables(Connection c, String database) throws SQLException {
        return strings(c, "SELECT table_name FROM information_schema.tables WHERE table_catalog = ?"
                + " AND table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name", database);
    }

    /** The table's columns in their order; empty if the database has no such table. */
    private static List<String> columns(Connection c, String database, String table) throws SQLException {
        return strings(c, "SELECT column_name FROM information_schema.columns WHERE table_catalog = ?"
                + " AND table_schema = 'main' AND table_name = ? ORDER BY ordinal_position", database, table);
    }

    private static List<String> strings(Connection c, String sql, String... parameters) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        return strings(c, sql).get(0);
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
