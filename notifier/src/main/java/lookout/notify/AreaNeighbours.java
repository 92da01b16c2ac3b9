package lookout.notify;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import lookout.kernel.PublishedDatabase;

/**
 * Which areas share a border, from the published snapshot's {@code area_neighbours} table (written by the job
 * beside {@code areas}; both directions present), reread when the job publishes a new snapshot, like
 * {@link AreaNames}. A snapshot without the table (written by a job before it existed) gives no neighbours, and
 * the notifier says so once.
 */
public final class AreaNeighbours {
    /** No adjacency: a subscription to an area and its neighbours is told of the area only. */
    public static final AreaNeighbours NONE = new AreaNeighbours(null, Map.of(), s -> {});

    private final PublishedSnapshot snapshot;
    private final Consumer<String> warn;
    private boolean warned;
    private Map<String, Set<String>> neighbours;

    private AreaNeighbours(Path snapshot, Map<String, Set<String>> neighbours, Consumer<String> warn) {
        this.snapshot = snapshot == null ? null : new PublishedSnapshot(snapshot);
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
        if (snapshot != null) {
            snapshot.readIfNew(this::read).ifPresent(read -> neighbours = read);
        }
    }

    private Map<String, Set<String>> read(Statement published) throws SQLException {
        if (!hasTable(published)) {
            if (!warned) {
                warn.accept("the snapshot " + snapshot.file() + " has no area_neighbours table yet: subscriptions to an"
                        + " area and its neighbours are told of the area itself until the job publishes it");
                warned = true;
            }
            return Map.of();
        }
        Map<String, Set<String>> read = new HashMap<>();
        try (ResultSet rs = published.executeQuery("SELECT area_id, neighbour_id FROM area_neighbours")) {
            while (rs.next()) {
                read.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
            }
        }
        return Map.copyOf(read);
    }

    private static boolean hasTable(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM duckdb_tables() WHERE database_name = '"
                + PublishedDatabase.ALIAS + "' AND table_name = 'area_neighbours'")) {
            return rs.next() && rs.getLong(1) > 0;
        }
    }
}
