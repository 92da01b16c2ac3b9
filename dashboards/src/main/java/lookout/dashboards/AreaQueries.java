package lookout.dashboards;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import lookout.kernel.AlertSignals;
import lookout.kernel.Disclosure;
import lookout.kernel.Signal;

/**
 * The area page's reads of the published tables: an area's days with the usual range and alarms, its alerts, the
 * detectors' alarms, and its drug-checking findings. Every one is a prepared statement over areas, counts, alarms
 * and alerts; nothing here reaches an event or a person.
 */
final class AreaQueries {
    /**
     * The detector whose expected count and upper bound draw the usual range: the daily method whose alarms open
     * alerts (the pipeline's {@code DetectorCatalog.alerting()}; tools' AreaBandMethodTest keeps the two equal,
     * since the dashboards may not depend on the pipeline). Its baseline follows the day of the week.
     */
    public static final String BAND_METHOD = "excessglr_alert";
    /** Terms that say what is not known rather than what was found: never "newly seen" (see SubstanceVocabulary). */
    static final List<String> NOT_A_SUBSTANCE = List.of("other", "unknown");
    /** How many recent weeks the drug-checking panel sums when the request does not say. */
    static final int DEFAULT_WEEKS = 8;
    static final int MAX_WEEKS = 52;

    private AreaQueries() {}

    /**
     * Every day from the area's first counted or judged day to its last, but no later than the last day counted
     * anywhere in the city (at the end of a backfill the detectors judge the quiet days after the data until their
     * alerts close, which are not days of data), oldest first: the day's count (0 when nothing was counted), and the
     * usual range and alarm of {@link #BAND_METHOD} where it judged the day, and whether one of the feed {@code gaps}
     * touched it. A day bucket starts at local midnight in the city's {@code zone}, the detectors' days are local
     * dates there.
     */
    static List<Map<String, Object>> days(Connection c, String areaId, Signal signal, ZoneId zone,
            List<FeedGaps.Episode> gaps) throws SQLException {
        String sql = """
                WITH counted AS (
                  SELECT CAST(timezone(?, bucket_start) AS DATE) AS day, count
                  FROM area_counts WHERE granularity = 'day' AND area_id = ? AND signal = ?),
                judged AS (
                  SELECT day, expected, upperbound, alarm FROM detector_alarms
                  WHERE area_id = ? AND signal = ? AND method = ?),
                city_last AS (
                  SELECT CAST(timezone(?, max(bucket_start)) AS DATE) AS day
                  FROM area_counts WHERE granularity = 'day'),
                span AS (
                  SELECT min(day) AS first, least(max(day), (SELECT day FROM city_last)) AS last
                  FROM (SELECT day FROM counted UNION ALL SELECT day FROM judged)),
                every_day AS (
                  SELECT CAST(unnest(generate_series(first, last, INTERVAL 1 DAY)) AS DATE) AS day
                  FROM span WHERE first IS NOT NULL)
                SELECT strftime(e.day, '%Y-%m-%d'), coalesce(c.count, 0), j.expected, j.upperbound, j.alarm
                FROM every_day e LEFT JOIN counted c USING (day) LEFT JOIN judged j USING (day)
                ORDER BY e.day""";
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, zone.getId());
            s.setString(2, areaId);
            s.setString(3, signal.code());
            s.setString(4, areaId);
            s.setString(5, signal.code());
            s.setString(6, BAND_METHOD);
            s.setString(7, zone.getId());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("day", rs.getString(1));
                    d.put("count", rs.getLong(2));
                    d.put("expected", nullableDouble(rs, 3));
                    d.put("upper", nullableDouble(rs, 4));
                    boolean alarm = rs.getBoolean(5);
                    d.put("alarm", rs.wasNull() ? null : alarm);
                    LocalDate day = LocalDate.parse(rs.getString(1));
                    d.put("incomplete", gaps.stream().anyMatch(g -> g.touches(day, zone)));
                    out.add(d);
                }
            }
        }
        return out;
    }

    /** The start of the newest hour counted anywhere in the city, on any signal; empty before the first count. */
    static Optional<Instant> newestHour(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT max(bucket_start) FROM area_counts WHERE granularity = 'hour'");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return Optional.ofNullable(Queries.instant(rs, 1)).map(Instant::parse);
        }
    }

    /**
     * Every alert of the area on the signal, and every multi-signal toxicity alert of the area (which reads several
     * signals at once), oldest window first: when, how severe, and the time window it is about.
     */
    static List<Map<String, Object>> alerts(Connection c, String areaId, Signal signal) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT signal, method, severity, status, opened_at, closed_at,"
                + " window_start, window_end FROM spikes WHERE area_id = ? AND signal IN (?, ?)"
                + " ORDER BY window_start, spike_id")) {
            s.setString(1, areaId);
            s.setString(2, signal.code());
            s.setString(3, AlertSignals.TOXICITY);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("signal", rs.getString(1));
                    a.put("method", rs.getString(2));
                    a.put("severity", rs.getString(3));
                    a.put("status", rs.getString(4));
                    a.put("opened_at", Queries.instant(rs, 5));
                    a.put("closed_at", Queries.instant(rs, 6));
                    a.put("window_start", Queries.instant(rs, 7));
                    a.put("window_end", Queries.instant(rs, 8));
                    out.add(a);
                }
            }
        }
        return out;
    }

    /** The days any detector alarmed for the area and signal, newest first, with its count, expectation and bound. */
    static List<Map<String, Object>> detectorAlarms(Connection c, String areaId, Signal signal) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT strftime(day, '%Y-%m-%d'), method, observed, expected,"
                + " upperbound FROM detector_alarms WHERE area_id = ? AND signal = ? AND alarm ORDER BY day DESC, method")) {
            s.setString(1, areaId);
            s.setString(2, signal.code());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("day", rs.getString(1));
                    a.put("method", rs.getString(2));
                    a.put("observed", rs.getInt(3));
                    a.put("expected", nullableDouble(rs, 4));
                    a.put("upperbound", nullableDouble(rs, 5));
                    out.add(a);
                }
            }
        }
        return out;
    }

    /** The city's drug-checking weeks: the first and the latest with a sample anywhere, or null when none. */
    record Weeks(LocalDate first, LocalDate last) {}

    static Weeks weeks(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT min(week_start), max(week_start) FROM drug_checking_samples");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            LocalDate first = rs.getObject(1, LocalDate.class);
            return first == null ? null : new Weeks(first, rs.getObject(2, LocalDate.class));
        }
    }

    /**
     * The area's drug checking over the city's {@code weeks} latest weeks, and the whole city's beside it (under
     * {@code city}; most areas have no drug-checking site, and what circulates in the city concerns them too): see
     * {@link #findings}.
     */
    static Map<String, Object> substances(Connection c, String areaId, int weeks, boolean counts, ZoneId zone)
            throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("weeks", weeks);
        Weeks city = weeks(c);
        LocalDate from = city == null ? null : city.last().minusWeeks(weeks - 1L);
        out.put("from", from == null ? null : from.toString());
        out.put("to", city == null ? null : through(city.last().plusDays(6), AreaStatus.newestDay(c, zone)).toString());
        out.putAll(findings(c, areaId, city, from, counts));
        out.put("city", findings(c, null, city, from, counts));
        return out;
    }

    /** The last day of the latest week, or the newest day counted while that week is still going on. */
    private static LocalDate through(LocalDate weekEnd, Optional<LocalDate> newestDay) {
        return newestDay.filter(d -> d.isBefore(weekEnd)).orElse(weekEnd);
    }

    /**
     * Samples checked in the area ({@code areaId} null: in the city) from {@code from} to the city's latest week, and
     * for each substance found the share of samples it was found in, its watch-list entry, and whether it is newly
     * seen (first found anywhere in the city within these weeks, when the city's drug checking began before them).
     * With {@code counts}, the numbers of samples too. Without (outreach), shares only: "at least k" samples and
     * no share at all below k, since a share of fewer than k samples tells about single samples, and a share to
     * three decimals times an exact total gives the count behind it (one carfentanil sample, say), which no
     * rounding of the total prevents for small shares. The total is not told, but the public open data has the
     * city's weekly number of drug-checking samples, so a substance found in fewer than k samples, or missing from
     * fewer than k (0.98 of 50 leaves 1 sample without fentanyl), is named without its share: the warning stays, the
     * count does not.
     */
    private static Map<String, Object> findings(Connection c, String areaId, Weeks city, LocalDate from, boolean counts)
            throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        if (city == null) {
            out.put("samples", 0);
            out.put("substances", List.of());
            return out;
        }
        String inArea = areaId == null ? "" : " AND area_id = ?";
        long samples;
        try (PreparedStatement s = c.prepareStatement("SELECT coalesce(sum(samples), 0) FROM drug_checking_samples"
                + " WHERE week_start BETWEEN ? AND ?" + inArea)) {
            bind(s, from, city.last(), areaId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                samples = rs.getLong(1);
            }
        }
        boolean shown = counts || samples >= Disclosure.K;
        out.put("samples", counts ? samples : (shown ? "at least " : "fewer than ") + Disclosure.K);
        List<Map<String, Object>> found = new ArrayList<>();
        if (shown) {
            String sql = """
                    WITH first_found AS (
                      SELECT substance, min(week_start) AS first_week FROM substance_counts GROUP BY substance)
                    SELECT substance, sum(samples), max(watch_entry), first_week
                    FROM substance_counts JOIN first_found USING (substance)
                    WHERE week_start BETWEEN ? AND ?%s
                    GROUP BY substance, first_week ORDER BY sum(samples) DESC, substance""".formatted(inArea);
            try (PreparedStatement s = c.prepareStatement(sql)) {
                bind(s, from, city.last(), areaId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String substance = rs.getString(1);
                        long n = rs.getLong(2);
                        LocalDate firstWeek = rs.getObject(4, LocalDate.class);
                        Map<String, Object> f = new LinkedHashMap<>();
                        f.put("substance", substance);
                        if (counts) {
                            f.put("samples", n);
                        }
                        if (counts || (n >= Disclosure.K && samples - n >= Disclosure.K)) {
                            f.put("share", Math.round(1000.0 * n / samples) / 1000.0);
                        } else {
                            f.put("share", null);
                            f.put("found_in", n < Disclosure.K ? "fewer than " + Disclosure.K + " samples"
                                    : "all but fewer than " + Disclosure.K + " samples");
                        }
                        f.put("watch_list", rs.getString(3));
                        f.put("newly_seen", !NOT_A_SUBSTANCE.contains(substance) && city.first().isBefore(from)
                                && !firstWeek.isBefore(from));
                        found.add(f);
                    }
                }
            }
        }
        out.put("substances", found);
        return out;
    }

    private static void bind(PreparedStatement s, LocalDate from, LocalDate to, String areaId) throws SQLException {
        s.setObject(1, from);
        s.setObject(2, to);
        if (areaId != null) {
            s.setString(3, areaId);
        }
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
