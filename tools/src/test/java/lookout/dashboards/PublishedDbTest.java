package lookout.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.sink.DuckDbStore;
import lookout.sink.DuckDbTables;

/**
 * The dashboards may not depend on the pipeline, so their tests build snapshots with a copy of the published tables'
 * DDL ({@link PublishedDb#DDL}); tools sees both and keeps the copy equal to what the job publishes from its
 * declarations in {@code lookout.sink.DuckDbTables}.
 */
class PublishedDbTest {
    @Test
    void theDashboardsTestSnapshotHasEveryPublishedTableWithTheJobsColumnsAndTypesInOrder(@TempDir Path dir)
            throws Exception {
        Path published = dir.resolve("lookout.duckdb");
        try (DuckDbStore store = DuckDbStore.open(published, null, ZoneOffset.UTC)) {
            store.publish();
        }
        Map<String, List<String>> job = columns(published);
        assertEquals(new TreeSet<>(DuckDbTables.PUBLISHED), job.keySet());
        assertEquals(job, columns(PublishedDb.create(dir.resolve("copy.duckdb"), List.of())));
    }

    /** Each table's columns as "name TYPE" in the table's order, by table name. */
    private static Map<String, List<String>> columns(Path db) throws SQLException {
        Map<String, List<String>> tables = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name, column_name, data_type FROM information_schema.columns"
                     + " WHERE table_catalog = current_database() ORDER BY table_name, ordinal_position")) {
            while (rs.next()) {
                tables.computeIfAbsent(rs.getString(1), t -> new ArrayList<>()).add(rs.getString(2) + " "
                        + rs.getString(3));
            }
        }
        return tables;
    }
}
