package lookout.dashboards;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import lookout.kernel.Severity;
import lookout.kernel.Disclosure;
import lookout.kernel.Signal;

/**
 * Each area's status on the map, from the published tables alone. No count leaves this class: a status is one of
 * <ul>
 * <li>{@code alert}: an open alert on a signal the viewer may see (for the public, of at least k events, as
 * {@link AlertQueries#publicAlerts}), with its highest severity;</li>
 * <li>{@code above usual}: on some signal, at least k events in the last {@value #WINDOW_DAYS} days, and at least
 * {@value #ABOVE_FACTOR} times the area's weekly average of that signal over the {@value #BASELINE_WEEKS} weeks
 * before (only when the snapshot holds all of those weeks);</li>
 * <li>{@code data incomplete}: none of the above while a feed of those signals is silent or bad
 * ({@link FeedGaps}): what would read "usual" or "too few to show" may be the missing records';</li>
 * <li>{@code usual}: at least k events in the last {@value #WINDOW_DAYS} days, none of the above;</li>
 * <li>{@code too few to show}: fewer than k events in the last {@value #WINDOW_DAYS} days (zero included, so the
 * status never tells a small count from none);</li>
 * <li>{@code no data}: the snapshot holds no count at all for the area on those signals; in the public view, for
 * no area at all (before the first public event anywhere). An area of its own would tell the public the moment its
 * first event ever was counted, to the snapshot, where "too few to show" tells nothing.</li>
 * </ul>
 * The last {@value #WINDOW_DAYS} days end at the newest day in the snapshot. The public sees the status on the
 * public signals; a signed-in user sees it on every signal (the restricted {@code combined} too) for the areas
 * they may see (analysts: all; outreach: their profile) and the public status elsewhere.
 */
final class AreaStatus {
    static final int WINDOW_DAYS = 7;
    static final int BASELINE_WEEKS = 8;
    static final int ABOVE_FACTOR = 2;
    /** Severities from the lowest; an alert's rank is its index + 1. */
    static final List<String> SEVERITIES = Arrays.stream(Severity.values()).map(Severity::code).toList();
    private static final DateTimeFormatter NEWEST_DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);

    /**
     * What the snapshot says of one area on some set of signals; {@code incomplete}: a feed of those signals is
     * silent or bad now ({@link FeedGaps}), so a calm status could be the missing data's.
     */
    record Tier(long recent, boolean above, boolean anyData, int alertRank, boolean incomplete) {
        String status() {
            if (alertRank > 0) {
                return "alert";
            }
            if (!anyData) {
                return "no data";
            }
            if (above) {
                return "above usual";
            }
            if (incomplete) {
                return "data incomplete";
            }
            if (recent < Disclosure.K) {
                return "too few to show";
            }
            return above ? "above usual" : "usual";
        }

        String severity() {
            return alertRank > 0 ? SEVERITIES.get(alertRank - 1) : null;
        }

        Tier withData(boolean data) {
            return new Tier(recent, above, data, alertRank, incomplete);
        }
    }

    /** One area: its published shape (a GeoJSON geometry, null if none) and its status for each tier. */
    record Area(String id, String name, String shape, Tier open, Tier all) {
        /** The tier {@code user} sees of this area. */
        Tier seenBy(Optional<User> user) {
            return user.isPresent() && user.get().maySee(id) ? all : open;
        }
    }

    private AreaStatus() {}

    /**
     * The local day in {@code zone} of the snapshot's newest daily count, the last of the {@value #WINDOW_DAYS} days
     * the statuses are of; empty when nothing was counted.
     */
    static Optional<LocalDate> newestDay(Connection c, ZoneId zone) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT CAST(timezone(?, max(bucket_start)) AS DATE)"
                + " FROM area_counts WHERE granularity = 'day'")) {
            s.setString(1, zone.getId());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return Optional.ofNullable(rs.getString(1)).map(LocalDate::parse);
            }
        }
    }

    /**
     * The days a status is of, as every page and download names them: "the 7 days to 28 February 2026", so a reader
     * sees how recent the statuses are; "the last 7 days" while nothing has been counted.
     */
    static String days(Optional<LocalDate> newestDay) {
        return newestDay.map(d -> "the " + WINDOW_DAYS + " days to " + NEWEST_DAY.format(d))
                .orElse("the last " + WINDOW_DAYS + " days");
    }

    /** SQL ranking the severity in {@code column}: 1 for low (or unknown) to 4 for critical. */
    static String severityRank(String column) {
        return "CASE " + column + " " + String.join(" ", SEVERITIES.stream()
                .map(s -> "WHEN '" + s + "' THEN " + (SEVERITIES.indexOf(s) + 1)).toList()) + " ELSE 1 END";
    }

    /** Every area in id order; without shapes from a snapshot written before {@code area_shapes} existed. */
    static List<Area> read(Connection c) throws SQLException {
        String shapes = hasShapes(c) ? "area_shapes" : "(SELECT NULL::VARCHAR AS area_id, NULL::VARCHAR AS geojson)";
        String pub = Queries.publicSignals();
        String rank = severityRank("severity");
        int baselineDays = BASELINE_WEEKS * 7;
        // Days are counted back from the newest day by rounding: the job's days are local days, 23 or 25 hours
        // long where the clocks change.
        String sql = """
                WITH days AS (
                  SELECT max(bucket_start) AS latest, min(bucket_start) AS first FROM area_counts WHERE granularity = 'day'),
                aged AS (
                  SELECT c.area_id, c.signal, c.count, round((epoch(d.latest) - epoch(c.bucket_start)) / 86400) AS days_ago,
                         round((epoch(d.latest) - epoch(d.first)) / 86400) >= %4$d AS full_history
                  FROM area_counts c, days d WHERE c.granularity = 'day'),
                cells AS (
                  SELECT area_id, signal IN (%1$s) AS public,
                         coalesce(sum(count) FILTER (WHERE days_ago < %2$d), 0) AS recent,
                         coalesce(sum(count) FILTER (WHERE days_ago >= %2$d AND days_ago < %3$d), 0) AS before,
                         bool_and(full_history) AS full_history
                  FROM aged GROUP BY area_id, signal),
                judged AS (
                  SELECT area_id, public, recent,
                         full_history AND recent >= %5$d AND recent >= %6$d * before / %7$d.0 AS above FROM cells),
                per_area AS (
                  SELECT area_id,
                         sum(recent) FILTER (WHERE public) AS public_recent, bool_or(above) FILTER (WHERE public) AS public_above,
                         count(*) FILTER (WHERE public) AS public_cells,
                         sum(recent) AS all_recent, bool_or(above) AS all_above, count(*) AS all_cells
                  FROM judged GROUP BY area_id),
                open_alerts AS (
                  SELECT area_id, max(%8$s) FILTER (WHERE signal IN (%1$s) AND %10$s) AS public_rank,
                         max(%8$s) AS all_rank
                  FROM spikes s WHERE closed_at IS NULL GROUP BY area_id)
                SELECT a.area_id, a.name, s.geojson,
                       p.public_recent, p.public_above, p.public_cells, o.public_rank,
                       p.all_recent, p.all_above, p.all_cells, o.all_rank
                FROM areas a LEFT JOIN %9$s s USING (area_id) LEFT JOIN per_area p USING (area_id)
                LEFT JOIN open_alerts o USING (area_id)
                ORDER BY a.area_id""".formatted(pub, WINDOW_DAYS, WINDOW_DAYS + baselineDays,
                WINDOW_DAYS + baselineDays - 1, Disclosure.K, ABOVE_FACTOR, BASELINE_WEEKS, rank, shapes,
                AlertQueries.AT_LEAST_K);
        List<FeedGaps.Episode> gaps = FeedGaps.open(c);
        boolean publicIncomplete = gaps.stream()
                .anyMatch(e -> Signal.fromCode(e.source()).map(Signal::isPublic).orElse(false));
        boolean incomplete = !gaps.isEmpty();
        List<Area> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(new Area(rs.getString(1), rs.getString(2), rs.getString(3), tier(rs, 4, publicIncomplete),
                        tier(rs, 8, incomplete)));
            }
        }
        boolean cityHasPublicData = out.stream().anyMatch(a -> a.open().anyData());
        return out.stream().map(a -> new Area(a.id(), a.name(), a.shape(), a.open().withData(cityHasPublicData),
                a.all())).toList();
    }

    private static boolean hasShapes(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT 1 FROM information_schema.tables WHERE table_catalog = current_database() AND table_name = 'area_shapes'");
             ResultSet rs = s.executeQuery()) {
            return rs.next();
        }
    }

    private static Tier tier(ResultSet rs, int from, boolean incomplete) throws SQLException {
        return new Tier(rs.getLong(from), rs.getBoolean(from + 1), rs.getLong(from + 2) > 0, rs.getInt(from + 3),
                incomplete);
    }

    /** How the map and its legend name a status, for people who are not statisticians. */
    enum Label {
        ALERT_CRITICAL("alert", "critical", "Alert (critical)", "alert-critical"),
        ALERT_HIGH("alert", "high", "Alert (high)", "alert-high"),
        ALERT_MODERATE("alert", "moderate", "Alert (moderate)", "alert-moderate"),
        ALERT_LOW("alert", "low", "Alert (low)", "alert-low"),
        ABOVE_USUAL("above usual", null, "Higher than usual", "above"),
        DATA_INCOMPLETE("data incomplete", null, "Data incomplete", "incomplete"),
        USUAL("usual", null, "Usual", "usual"),
        TOO_FEW("too few to show", null, "Too few to show", "too-few"),
        NO_DATA("no data", null, "No data", "no-data");

        final String status;
        final String severity;
        final String words;
        /** The suffix of the CSS class {@code status-...} that colours it. */
        final String css;

        Label(String status, String severity, String words, String css) {
            this.status = status;
            this.severity = severity;
            this.words = words;
            this.css = css;
        }

        static Label of(Tier tier) {
            String status = tier.status();
            String severity = tier.severity();
            return Arrays.stream(values()).filter(l -> l.status.equals(status)
                    && (l.severity == null || l.severity.equals(severity))).findFirst().orElseThrow();
        }
    }
}
