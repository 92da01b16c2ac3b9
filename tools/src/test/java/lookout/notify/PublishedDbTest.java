package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.sink.DuckDbStore;
import lookout.sink.DuckDbTables;

/**
 * The notifier may not depend on the pipeline, so its tests build snapshots with a copy of the DDL of the published
 * tables it reads ({@link PublishedDb#DDL}); tools sees both and keeps the copy equal to the job's declarations in
 * {@code lookout.sink.DuckDbTables}, constraints included, as DuckDB spells each table back.
 */
class PublishedDbTest {
    @Test
    void theNotifiersTestSnapshotDeclaresEveryTableItCopiesAsTheJobDeclaresIt(@TempDir Path dir) throws Exception {
        Path published = dir.resolve("lookout.duckdb");
        DuckDbStore.open(published, null, ZoneOffset.UTC).close();
        Map<String, String> job = definitions(DuckDbStore.writerFile(published));
        Path copy = dir.resolve("copy.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + copy); Statement s = c.createStatement()) {
            for (String sql : PublishedDb.DDL) {
                s.execute(sql);
            }
        }
        Map<String, String> copied = definitions(copy);
        assertTrue(DuckDbTables.PUBLISHED.containsAll(copied.keySet()), () -> "the notifier's PublishedDb.DDL copies "
                + copied.keySet() + ", but the job publishes only " + DuckDbTables.PUBLISHED);
        Map<String, String> expected = new TreeMap<>(job);
        expected.keySet().retainAll(copied.keySet());
        assertEquals(expected, copied, "change PublishedDb.DDL in notifier/src/test/java/lookout/notify/ to declare"
                + " these tables as lookout.sink.DuckDbTables does");
    }

    /** Each table's CREATE statement as DuckDB spells it from its catalogue, by table name. */
    private static Map<String, String> definitions(Path db) throws SQLException {
        Map<String, String> tables = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name, sql FROM duckdb_tables()"
                     + " WHERE database_name = current_database()")) {
            while (rs.next()) {
                tables.put(rs.getString(1), rs.getString(2));
            }
        }
        return tables;
    }
}
