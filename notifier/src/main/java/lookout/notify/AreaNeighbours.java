package lookout.notify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which areas share a border, from the published snapshot's {@code area_neighbours} table (written by the job
 * beside {@code areas}; both directions present), reread when the job publishes a new snapshot, like
 * {@link AreaNames}. A snapshot without the table (written by a job before it existed) gives no neighbours, and
 * the notifier says so once.
 */
public final class AreaNeighbours {
    /** No adjacency: a subscription to an area and its neighbours is told of the area only. */
    public static final AreaNeighbours NONE = new AreaNeighbours(null, Map.of(), s -> {});

    private final Path snapshot;
    private final Consumer<String> warn;
    private Object identity;
    private boolean warned;
    private Map<String, Set<String>> neighbours;

    private AreaNeighbours(Path snapshot, Map<String, Set<String>> neighbours, Consumer<String> warn) {
        this.snapshot = snapshot;
        this.neighbours = neighbours;
        this.warn = warn;
    }

    /** @param warn told once, in one line, when the snapshot has no {@code area_neighbours} table */
    public static AreaNeighbours fromSnapshot(Path snapshot, Consumer<String> warn) {
        return new AreaNeighbours(snapshot, Map.of(), warn);
    }

    /** Fixed adjacency (tests); each pair is taken in both directions. */
    public static AreaNeighbours of(Map<String, Set<String>> pairs) {
        Map<String, Set<String>> both = new HashMap<>();
        pairs.forEach((a, ns) -> ns.forEach(n -> {
            both.computeIfAbsent(a, k -> new HashSet<>()).add(n);
            both.computeIfAbsent(n, k -> new HashSet<>()).add(a);
        }));
        return new AreaNeighbours(null, Map.copyOf(both), s -> {});
    }

    /** The areas sharing a border with {@code areaId}, not itself. */
    public synchronized Set<String> of(String areaId) {
        refresh();
        return neighbours.getOrDefault(areaId, Set.of());
    }

    private void refresh() {
        if (snapshot == null) {
            return;
        }
        Object now;
        try {
            BasicFileAttributes a = Files.readAttributes(snapshot, BasicFileAttributes.class);
            now = Arrays.asList(a.fileKey(), a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            return;
        }
        if (now.equals(identity)) {
            return;
        }
        Map<String, Set<String>> read = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("ATTACH '" + snapshot.toAbsolutePath().toString().replace("'", "''") + "' AS published (READ_ONLY)");
            if (!hasTable(s)) {
                if (!warned) {
                    warn.accept("the snapshot " + snapshot + " has no area_neighbours table yet: subscriptions to an"
                            + " area and its neighbours are told of the area itself until the job publishes it");
                    warned = true;
                }
                neighbours = Map.of();
                identity = now;
                return;
            }
            try (ResultSet rs = s.executeQuery("SELECT area_id, neighbour_id FROM published.area_neighbours")) {
                while (rs.next()) {
                    read.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
                }
            }
        } catch (SQLException e) {
            // A snapshot being replaced, or not yet written: keep what was read before, and try again next time.
            return;
        }
        neighbours = Map.copyOf(read);
        identity = now;
    }

    private static boolean hasTable(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'published'"
                + " AND table_name = 'area_neighbours'")) {
            return rs.next() && rs.getLong(1) > 0;
        }
    }
}
