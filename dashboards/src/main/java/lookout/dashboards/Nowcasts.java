package lookout.dashboards;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import lookout.kernel.Signal;

/**
 * An area's nowcast as the pipeline publishes it ({@code nowcasts}): for its recent days and 7-day weeks the count so
 * far, and the expected final count with its 90 % interval once the late reports are in; and the latest week in
 * words. For signed-in users only (outreach for their areas, analysts): it holds counts below k.
 */
final class Nowcasts {
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

    private Nowcasts() {}

    /** The area's nowcast on {@code signal}: days and weeks oldest first, and the latest week in words. */
    static Map<String, Object> of(Connection c, String areaId, Signal signal) throws SQLException {
        List<Map<String, Object>> days = rows(c, areaId, signal, "day");
        List<Map<String, Object>> weeks = rows(c, areaId, signal, "week");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("signal", signal.code());
        out.put("as_of", weeks.isEmpty() ? null : weeks.get(weeks.size() - 1).get("end"));
        out.put("summary", weeks.isEmpty() ? "No " + AlertWords.signal(signal.code()) + " reported here in the last 8 weeks."
                : sentence(signal, weeks.get(weeks.size() - 1)));
        out.put("days", days);
        out.put("weeks", weeks);
        return out;
    }

    /**
     * "So far 3 suspected overdose deaths reported for the 7 days to 30 Nov; about 7 expected once all reports are in
     * (likely 5 to 12)."
     */
    static String sentence(Signal signal, Map<String, Object> week) {
        long reported = (Long) week.get("reported");
        String soFar = AlertWords.count(reported, signal);
        String period = "the 7 days " + LocalDate.parse((String) week.get("start")).format(SHORT) + " to "
                + LocalDate.parse((String) week.get("end")).format(SHORT);
        Double expected = (Double) week.get("expected");
        if (expected == null) {
            return String.format(Locale.ROOT, "So far %s reported for %s; too few of these reports are usually in"
                    + " this soon to say how many more will come.", soFar, period);
        }
        long lower = (Long) week.get("lower");
        long upper = (Long) week.get("upper");
        if (upper == reported) {
            return String.format(Locale.ROOT, "%s reported for %s; no more are expected.", soFar, period);
        }
        if (Math.round(expected) == reported) {
            // The estimate scales what is in, so none in is "about 0" however many may come: the interval says it.
            return String.format(Locale.ROOT, "So far %s reported for %s; likely %d to %d once all reports are"
                    + " in.", soFar, period, lower, upper);
        }
        return String.format(Locale.ROOT, "So far %s reported for %s; about %d expected once all reports are in"
                + " (likely %d to %d).", soFar, period, Math.round(expected), lower, upper);
    }

    private static List<Map<String, Object>> rows(Connection c, String areaId, Signal signal, String granularity)
            throws SQLException {
        String sql = "SELECT strftime(period_start, '%Y-%m-%d'), strftime(period_end, '%Y-%m-%d'), reported,"
                + " share_reported, expected, lower, upper FROM nowcasts"
                + " WHERE area_id = ? AND signal = ? AND granularity = ? ORDER BY period_start";
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, areaId);
            s.setString(2, signal.code());
            s.setString(3, granularity);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("start", rs.getString(1));
                    r.put("end", rs.getString(2));
                    r.put("reported", rs.getLong(3));
                    r.put("share_reported", rs.getDouble(4));
                    r.put("expected", nullable(rs.getDouble(5), rs));
                    r.put("lower", nullable(rs.getLong(6), rs));
                    r.put("upper", nullable(rs.getLong(7), rs));
                    out.add(r);
                }
            }
        }
        return out;
    }

    private static <T> T nullable(T value, ResultSet rs) throws SQLException {
        return rs.wasNull() ? null : value;
    }
}
