package lookout.dashboards;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;


/**
 * The alert lists read from the published {@code spikes} table, every one a prepared statement: the restricted view
 * (outreach and analysts) and the public view. Each alert carries its signal and its evidence in words
 * ({@link AlertWords}), so a page or a client shows them without knowing the detectors' vocabulary.
 */
final class AlertQueries {
    /** A scan cluster alert's number of areas (centre first in its evidence), null for any other alert. */
    private static final String ZONE_SIZE = "CASE WHEN s.method = 'scan_cluster'"
            + " THEN json_array_length(s.evidence, '$.areas') END";
    /**
     * How long a closed alert stays in the alert lists, in days counted back from the snapshot's present: its latest
     * counted hour or alert update, whichever is later. Not the server's clock, so a snapshot of a past year still
     * lists its last alerts; not the newest alert alone, which in a quiet spell would keep alerts closed long ago
     * under "closed in the last 30 days".
     */
    static final int RECENT_DAYS = 30;
    private static final String SNAPSHOT_PRESENT = "(SELECT max(t) FROM (SELECT max(updated_at) AS t FROM spikes"
            + " UNION ALL SELECT max(bucket_start) + INTERVAL 1 HOUR FROM area_counts WHERE granularity = 'hour'))";

    /** The condition of an alert the public may see: its latest count at least k (the job nulls smaller ones). */
    static final String AT_LEAST_K = "s.observed IS NOT NULL";

    private AlertQueries() {}

    /** What the restricted view says instead of a cluster's count to someone who may not see all its areas. */
    static final String ZONE_COUNT_WITHHELD = "This cluster reaches areas outside yours, so its count is not shown:"
            + " beside your areas' counts it would give theirs.";
    /** The count, what quotes it, and the update time, which marks an hour with more events. */
    private static final List<String> COUNTS = List.of("observed", "expected", "threshold", "score", "evidence",
            "updated_at");

    /**
     * Open alerts and those closed recently, newest update first, of the areas {@code visible} accepts, each as
     * {@link #asSeenBy} that viewer.
     */
    static List<Map<String, Object>> alerts(Connection c, Predicate<String> visible) throws SQLException {
        Map<String, String> areaNames = areaNames(c);
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(recentAlerts("s.spike_id, s.area_id, a.name, s.signal, s.method,"
                + " s.opened_at, s.updated_at, s.closed_at, s.window_start, s.window_end, s.observed, s.expected,"
                + " s.threshold, s.score, s.severity, s.status, s.explanation, CAST(s.evidence AS VARCHAR), "
                + ZONE_SIZE,
                "TRUE"));
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                if (!visible.test(rs.getString(2))) {
                    continue;
                }
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("spike_id", rs.getString(1));
                a.put("area_id", rs.getString(2));
                a.put("area_name", rs.getString(3));
                a.put("signal", rs.getString(4));
                a.put("signal_name", AlertWords.signal(rs.getString(4)));
                a.put("method", rs.getString(5));
                a.put("opened_at", Queries.instant(rs, 6));
                a.put("updated_at", Queries.instant(rs, 7));
                a.put("closed_at", Queries.instant(rs, 8));
                a.put("window_start", Queries.instant(rs, 9));
                a.put("window_end", Queries.instant(rs, 10));
                a.put("observed", nullableInt(rs, 11));
                a.put("expected", nullableDouble(rs, 12));
                a.put("threshold", nullableDouble(rs, 13));
                a.put("score", nullableDouble(rs, 14));
                a.put("severity", rs.getString(15));
                a.put("status", rs.getString(16));
                a.put("explanation", AlertWords.withAreaNames(rs.getString(17), areaNames));
                a.put("evidence", AlertWords.evidence(rs.getString(18), areaNames));
                putZone(a, rs, 19);
                if (a.containsKey("zone_name")) {
                    a.put("zone_areas", AlertWords.zoneAreas(rs.getString(18)));
                }
                out.add(asSeenBy(a, visible));
            }
        }
        return out;
    }

    /**
     * A restricted alert as a viewer who sees the areas {@code sees} accepts may read it: a cluster alert whose zone
     * reaches an area they may not see loses its count and what quotes it (its explanation says why), since its
     * count less their own areas' series would give the other areas' total, which may be below k.
     */
    static Map<String, Object> asSeenBy(Map<String, Object> alert, Predicate<String> sees) {
        Object zone = alert.get("zone_areas");
        if (!(zone instanceof List<?> areas)) {
            return alert;
        }
        // A cluster whose evidence names no area cannot be shown to be wholly seen.
        if (!areas.isEmpty() && areas.stream().allMatch(area -> sees.test(String.valueOf(area)))) {
            return alert;
        }
        Map<String, Object> seen = new LinkedHashMap<>(alert);
        COUNTS.forEach(seen::remove);
        seen.put("explanation", ZONE_COUNT_WITHHELD);
        return seen;
    }

    /**
     * The public view of the same alerts: public signals only, alerts of at least k events only, and no count,
     * explanation, evidence, method, score or update time. An alert of fewer than k events would tell the public
     * what the open data withholds: that an area had an event that day, in which hour, and by its severity (the
     * count over the usual level) how many, 1, 2 or 3 in a quiet area. An alert's count covers its window (hours, or
     * a day), and beside the open data's day, week and month counts it would pin cells the release withholds: 18
     * calls in an alert's day that equal the area's published month say that every other day of the month, withheld,
     * was 0. The explanation and evidence quote counts too, and each update marks an hour with more events. The
     * job leaves {@code observed} null below k; it is the count of the alert's latest firing.
     */
    static List<Map<String, Object>> publicAlerts(Connection c) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(recentAlerts(
                "s.spike_id, s.area_id, a.name, s.signal, s.opened_at, s.closed_at, s.severity, " + ZONE_SIZE,
                "s.signal IN (" + Queries.publicSignals() + ") AND " + AT_LEAST_K));
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("spike_id", rs.getString(1));
                a.put("area_id", rs.getString(2));
                a.put("area_name", rs.getString(3));
                a.put("signal", rs.getString(4));
                a.put("signal_name", AlertWords.signal(rs.getString(4)));
                a.put("opened_at", Queries.instant(rs, 5));
                a.put("closed_at", Queries.instant(rs, 6));
                a.put("severity", rs.getString(7));
                putZone(a, rs, 8);
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Names a cluster alert's place, its centre area and how many neighbours ({@code zone_name}), when the column
     * at {@code column} (its zone's size) says it is one; other alerts get no such field.
     */
    private static void putZone(Map<String, Object> a, ResultSet rs, int column) throws SQLException {
        Integer size = nullableInt(rs, column);
        if (size != null && size >= 2) {
            a.put("zone_name", AlertWords.zoneName((String) a.get("area_name"), size));
        }
    }

    /** Every area's name by id, for the areas an alert's evidence names and an outreach user's profile. */
    static Map<String, String> areaNames(Connection c) throws SQLException {
        Map<String, String> names = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT area_id, name FROM areas"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                names.put(rs.getString(1), rs.getString(2));
            }
        }
        return names;
    }

    private static String recentAlerts(String columns, String condition) {
        return "SELECT " + columns + " FROM spikes s JOIN areas a USING (area_id)"
                + " WHERE (s.closed_at IS NULL OR s.closed_at > " + SNAPSHOT_PRESENT + " - INTERVAL "
                + RECENT_DAYS + " DAY)"
                + " AND " + condition + " ORDER BY s.updated_at DESC, " + AreaStatus.severityRank("s.severity")
                + " DESC, s.spike_id";
    }

    private static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
