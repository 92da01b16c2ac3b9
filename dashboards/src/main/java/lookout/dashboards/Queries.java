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
import java.util.function.Predicate;

import lookout.kernel.Disclosure;
import lookout.kernel.Signal;

/**
 * The API's reads of the published tables, every one a prepared statement. They select areas, counts and alerts
 * only: the published tables hold no event, pseudonym, coordinate or site, and nothing here joins anything else.
 */
final class Queries {
    /** How long a closed alert stays in the alert lists, counted back from the newest alert update. */
    static final String RECENT = "INTERVAL 30 DAY";

    private Queries() {}

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

    /** Open alerts and those closed recently, newest update first, restricted to the areas {@code visible} accepts. */
    static List<Map<String, Object>> alerts(Connection c, Predicate<String> visible) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(recentAlerts("s.spike_id, s.area_id, a.name, s.signal, s.method,"
                + " s.opened_at, s.updated_at, s.closed_at, s.window_start, s.window_end, s.observed, s.expected,"
                + " s.threshold, s.score, s.severity, s.status, s.explanation", "TRUE"));
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
                a.put("method", rs.getString(5));
                a.put("opened_at", instant(rs, 6));
                a.put("updated_at", instant(rs, 7));
                a.put("closed_at", instant(rs, 8));
                a.put("window_start", instant(rs, 9));
                a.put("window_end", instant(rs, 10));
                a.put("observed", nullableInt(rs, 11));
                a.put("expected", nullableDouble(rs, 12));
                a.put("threshold", nullableDouble(rs, 13));
                a.put("score", nullableDouble(rs, 14));
                a.put("severity", rs.getString(15));
                a.put("status", rs.getString(16));
                a.put("explanation", rs.getString(17));
                out.add(a);
            }
        }
        return out;
    }

    /**
     * The public view of the same alerts: public signals only, a count below k told as "fewer than K", and no
     * explanation, method or score (the explanation quotes counts the public tier does not publish).
     */
    static List<Map<String, Object>> publicAlerts(Connection c) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(recentAlerts(
                "s.area_id, a.name, s.signal, s.opened_at, s.closed_at, s.observed, s.severity",
                "s.signal IN (" + publicSignals() + ")"));
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("area_id", rs.getString(1));
                a.put("area_name", rs.getString(2));
                a.put("signal", rs.getString(3));
                a.put("opened_at", instant(rs, 4));
                a.put("closed_at", instant(rs, 5));
                Integer observed = nullableInt(rs, 6);
                a.put("observed", observed == null || observed < Disclosure.K ? "fewer than " + Disclosure.K : observed);
                a.put("severity", rs.getString(7));
                out.add(a);
            }
        }
        return out;
    }

    private static String recentAlerts(String columns, String condition) {
        return "SELECT " + columns + " FROM spikes s JOIN areas a USING (area_id)"
                + " WHERE (s.closed_at IS NULL OR s.closed_at > (SELECT max(updated_at) FROM spikes) - " + RECENT + ")"
                + " AND " + condition + " ORDER BY s.updated_at DESC, s.spike_id";
    }

    private static String instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toString();
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
