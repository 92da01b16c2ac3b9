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

import lookout.kernel.Signal;

/**
 * The API's reads of the published tables, every one a prepared statement (the alerts' are in {@link AlertQueries}).
 * They select areas and counts only: the published tables hold no event, pseudonym, coordinate or site, and nothing
 * here joins anything else.
 */
final class Queries {
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

    static String instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toString();
    }
}
