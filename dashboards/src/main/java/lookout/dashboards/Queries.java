package lookout.dashboards;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lookout.kernel.Disclosure;
import lookout.kernel.Signal;

/**
 * The API's reads of the published tables, every one a prepared statement (the alerts' are in {@link AlertQueries}).
 * They select areas and counts only: the published tables hold no event, pseudonym, coordinate or site, and nothing
 * here joins anything else.
 */
final class Queries {
    /** How far back an area's status looks for events, counted back from the newest day bucket. */
    static final String STATUS_WINDOW = "INTERVAL 28 DAY";

    private Queries() {}

    /**
     * Every area with its public status: {@code alert} (an open alert on a public signal; its highest severity),
     * {@code quiet}, {@code too few to show} (fewer than k events on public signals over the status window) or
     * {@code no data}. No count leaves this query.
     */
    static List<Map<String, Object>> areas(Connection c) throws SQLException {
        String sql = """
                WITH recent AS (
                  SELECT area_id, sum(count) AS n FROM area_counts
                  WHERE granularity = 'day' AND signal IN (%s)
                    AND bucket_start > (SELECT max(bucket_start) FROM area_counts WHERE granularity = 'day') - %s
                  GROUP BY area_id),
                open_alerts AS (
                  SELECT area_id, max(CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'moderate' THEN 2
                                                    ELSE 1 END) AS rank
                  FROM spikes WHERE closed_at IS NULL AND signal IN (%s) GROUP BY area_id)
                SELECT a.area_id, a.name, r.n, o.rank FROM areas a
                LEFT JOIN recent r USING (area_id) LEFT JOIN open_alerts o USING (area_id)
                ORDER BY a.area_id""".formatted(publicSignals(), STATUS_WINDOW, publicSignals());
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("area_id", rs.getString(1));
                a.put("name", rs.getString(2));
                long n = rs.getLong(3);
                boolean noData = rs.wasNull();
                int rank = rs.getInt(4);
                a.put("status", rank > 0 ? "alert" : noData ? "no data" : n < Disclosure.K ? "too few to show" : "quiet");
                a.put("severity", rank > 0 ? List.of("low", "moderate", "high", "critical").get(rank - 1) : null);
                out.add(a);
            }
        }
        return out;
    }

    /** The public signals as SQL literals: constants of the code, never a request's values. */
    static String publicSignals() {
        return String.join(", ", Signal.publicSignals().stream().map(s -> "'" + s.code() + "'").toList());
    }

    static boolean areaExists(Connection c, String areaId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM areas WHERE area_id = ?")) {
            s.setString(1, areaId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** An area's counts of one signal, oldest bucket first. */
    static List<Map<String, Object>> series(Connection c, String areaId, Signal signal, String granularity)
            throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT bucket_start, count FROM area_counts"
                + " WHERE area_id = ? AND signal = ? AND granularity = ? ORDER BY bucket_start")) {
            s.setString(1, areaId);
            s.setString(2, signal.code());
            s.setString(3, granularity);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("bucket_start", instant(rs, 1));
                    p.put("count", rs.getLong(2));
                    out.add(p);
                }
            }
        }
        return out;
    }

    static String instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toString();
    }
}
