package lookout.cluster.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import lookout.sink.DuckDbTables;
import lookout.testing.Db;

/**
 * Every published table of a Lookout database, read as an analyst would (read-only, the published file), in a form
 * in which a faulted run and an uninterrupted run over the same Kafka records must be equal row for row. Only what
 * two runs cannot agree on is left out, each for the reason given where it is declared; everything else of every
 * table in {@link DuckDbTables#PUBLISHED} is compared, a table added later included.
 */
final class PublishedTables {
    /** Columns holding the wall clock of the run (when a row was written or a record was read), not the input. */
    private static final Map<String, Set<String>> WALL_CLOCK = Map.of(
            "area_counts", Set.of("updated_at"),
            "substance_counts", Set.of("updated_at"),
            "drug_checking_samples", Set.of("updated_at"),
            "reporting_delays", Set.of("updated_at"),
            "dead_letters", Set.of("received_at"));

    /**
     * Columns naming the topic a record was read from ({@code PREFIX.SOURCE/PARTITION/OFFSET}): each run reads its own
     * topics, which hold the same records in the same partitions at the same offsets ({@link LiveFeed}), so they are
     * compared without the topics' prefix.
     */
    private static final Map<String, Map<String, String>> WITHOUT_TOPIC_PREFIX = Map.of(
            "dead_letters", Map.of("position", "regexp_replace(position, '^[^./]*\\.', '') AS position"));

    /**
     * Tables with rows of the {@code combined} signal, which are left out: the overdose linker takes reports in the
     * order they arrive ({@link lookout.link.OverdoseLinker}), so a linked pair is placed where the report taken first
     * was, and for a person with several reports within the linkage window which of them pair up (each report links
     * at most once) depends on how the paramedic and naloxone topics interleave in each run. Measured: a run fed
     * live and the uninterrupted run over the same records counted 4,685 and 4,684 combined events. A batch lost or
     * applied twice changes the other signals' rows of the same commit, which are compared.
     */
    private static final Set<String> WITH_COMBINED = Set.of("area_counts", "reporting_delays", "nowcasts");

    /**
     * The detectors' tables, which two runs over the same records do not agree on when they read them in a different
     * order (docs/RELIABILITY.md, "Known limits"): a day is judged with the events that have arrived when it closes,
     * and the intraday early warning on each event with those that have arrived before it.
     */
    private static final Set<String> DEPENDS_ON_ARRIVAL = Set.of("detector_alarms", "spikes");

    private final Map<String, List<String>> rows;

    private PublishedTables(Map<String, List<String>> rows) {
        this.rows = rows;
    }

    static PublishedTables read(Path db) throws Exception {
        if (!Files.exists(db)) {
            throw new AssertionError("no published database at " + db);
        }
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String table : DuckDbTables.PUBLISHED) {
            List<String> columns = new ArrayList<>(Db.query(db, "SELECT column_name FROM information_schema.columns"
                    + " WHERE table_name = '" + table + "' ORDER BY ordinal_position"));
            if (columns.isEmpty()) {
                throw new AssertionError(db + " has no table " + table);
            }
            columns.removeAll(WALL_CLOCK.getOrDefault(table, Set.of()));
            columns.replaceAll(c -> WITHOUT_TOPIC_PREFIX.getOrDefault(table, Map.of()).getOrDefault(c, c));
            String select = "SELECT " + String.join(", ", columns) + " FROM " + table;
            if (DEPENDS_ON_ARRIVAL.contains(table)) {
                continue;
            }
            String where = WITH_COMBINED.contains(table) ? " WHERE signal <> 'combined'" : "";
            List<String> tableRows = new ArrayList<>(Db.query(db, select + where + " ORDER BY ALL"));
            rows.put(table, tableRows);
        }
        return new PublishedTables(rows);
    }

    /** Rows per table, for a line saying what was compared. */
    Map<String, Integer> sizes() {
        Map<String, Integer> sizes = new TreeMap<>();
        rows.forEach((table, r) -> sizes.put(table, r.size()));
        return sizes;
    }

    int size(String table) {
        return rows.get(table).size();
    }

    /**
     * What differs from {@code expected}, one entry per table that differs: how many rows are only in each, with the
     * first few of each shown. Empty when every table is equal row for row (with multiplicity).
     */
    List<String> differencesFrom(PublishedTables expected) {
        List<String> problems = new ArrayList<>();
        for (String table : expected.rows.keySet()) {
            List<String> missing = minus(expected.rows.get(table), rows.get(table));
            List<String> extra = minus(rows.get(table), expected.rows.get(table));
            if (!missing.isEmpty() || !extra.isEmpty()) {
                problems.add(table + ": " + missing.size() + " rows only in the uninterrupted run " + head(missing)
                        + ", " + extra.size() + " only in this run " + head(extra));
            }
        }
        return problems;
    }

    /** Fails, naming every table that differs, unless {@code actual}'s tables equal {@code expected}'s exactly. */
    static void assertSame(Path expected, Path actual) throws Exception {
        List<String> problems = read(actual).differencesFrom(read(expected));
        if (!problems.isEmpty()) {
            throw new AssertionError("the faulted run's tables differ from the uninterrupted run's:\n  "
                    + String.join("\n  ", problems));
        }
    }

    /** {@code a} less {@code b}, each row of {@code b} taking away one equal row of {@code a}. */
    private static List<String> minus(List<String> a, List<String> b) {
        Map<String, Integer> left = new TreeMap<>();
        a.forEach(r -> left.merge(r, 1, Integer::sum));
        b.forEach(r -> left.computeIfPresent(r, (k, n) -> n == 1 ? null : n - 1));
        List<String> rest = new ArrayList<>();
        left.forEach((r, n) -> {
            for (int i = 0; i < n; i++) {
                rest.add(r);
            }
        });
        return rest;
    }

    private static String head(List<String> rows) {
        return rows.isEmpty() ? "" : rows.subList(0, Math.min(3, rows.size())) + (rows.size() > 3 ? "..." : "");
    }
}
