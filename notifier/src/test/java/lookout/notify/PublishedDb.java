package lookout.notify;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * A published snapshot of the tables the notifier reads, written with plain SQL. The notifier may not depend on the
 * pipeline (it reads what the job publishes, never its internals), so the tables are created with the DDL that
 * {@code lookout.sink.DuckDbTables} generates for them, copied here; tools' {@code lookout.notify.PublishedDbTest}
 * fails when the copy and the job's tables differ.
 */
final class PublishedDb {
    static final String AREAS = "CREATE TABLE areas (area_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL)";
    static final String AREA_NEIGHBOURS = "CREATE TABLE area_neighbours (area_id VARCHAR NOT NULL,"
            + " neighbour_id VARCHAR NOT NULL, PRIMARY KEY (area_id, neighbour_id))";
    static final List<String> DDL = List.of(AREAS, AREA_NEIGHBOURS);

    private PublishedDb() {}

    /** A snapshot published before the job wrote {@code area_neighbours}: {@code names} (id to name) only. */
    static Path withAreas(Path file, Map<String, String> names) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
            s.execute(AREAS);
            for (Map.Entry<String, String> a : names.entrySet()) {
                s.execute("INSERT INTO areas VALUES (" + literal(a.getKey()) + ", " + literal(a.getValue()) + ")");
            }
        }
        return file;
    }

    /** A snapshot of {@code names} whose areas share the {@code borders}, each "A-B", in both directions. */
    static Path withNeighbours(Path file, Map<String, String> names, List<String> borders) throws SQLException {
        withAreas(file, names);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file); Statement s = c.createStatement()) {
            s.execute(AREA_NEIGHBOURS);
            for (String border : borders) {
                String[] ab = border.split("-");
                s.execute("INSERT INTO area_neighbours VALUES (" + literal(ab[0]) + ", " + literal(ab[1]) + "), ("
                        + literal(ab[1]) + ", " + literal(ab[0]) + ")");
            }
        }
        return file;
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
