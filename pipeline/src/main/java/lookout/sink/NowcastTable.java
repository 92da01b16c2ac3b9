package lookout.sink;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import lookout.detect.Nowcast;
import lookout.detect.ReportingDelays;

/**
 * Rebuilds the {@code nowcasts} table from what the writer's file holds: each signal's reporting delays from its
 * reporting triangle ({@code reporting_delays}, the occurrence days of the last
 * {@link ReportingDelays#WINDOW_DAYS} days), and for
 * each area and signal with a count in the last {@link #HORIZON_DAYS} days, every one of those days and the
 * {@link #WEEKS} 7-day weeks ending on the signal's as-of day, nowcast by {@link Nowcast}. A signal's as-of day is
 * the latest day one of its reports was made on: one source's data may end weeks before another's (a backfill's
 * coroner reports keep coming long after its paramedic calls), and its nowcast must not run on into days it has no
 * data for, reading "none reported, none expected". A signal without a reporting triangle, or whose last report came
 * more than {@link ReportingDelays#MAX_DELAY_DAYS} days before the latest of any (it has stopped reporting), takes
 * the latest of all. The table is bounded by areas × signals × (days + weeks), whatever the history's length.
 */
final class NowcastTable {
    /** Days nowcast back from the as-of day, the as-of day included. */
    static final int HORIZON_DAYS = 56;
    /** 7-day weeks nowcast back from the as-of day. */
    static final int WEEKS = HORIZON_DAYS / 7;

    static final String DAY = "day";
    /** The writer's temporary table the rows are appended to before they replace the table's. */
    private static final String STAGING = "nowcast_rows";
    static final String WEEK = "week";

    /** One row of {@code nowcasts}; dates as ISO strings. */
    record Row(String granularity, String periodStart, String periodEnd, String areaId, String signal, long reported,
               double shareReported, Double expected, Long lower, Long upper, String asOf) {}

    private NowcastTable() {}

    /**
     * Replaces the {@code nowcasts} rows with those for the data now in the writer's file, days in {@code zone}. The
     * rows go through a temporary table filled by DuckDB's appender: one prepared insert per row took minutes for
     * a city of 158 areas (50,000 rows).
     */
    static void refresh(Connection connection, ZoneId zone) throws SQLException {
        List<Row> rows = rows(connection, zone);
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TEMP TABLE IF NOT EXISTS " + STAGING + " (granularity VARCHAR, period_start VARCHAR,"
                    + " period_end VARCHAR, area_id VARCHAR, signal VARCHAR, reported BIGINT, share_reported DOUBLE,"
                    + " expected DOUBLE, lower BIGINT, upper BIGINT, as_of VARCHAR)");
            s.execute("DELETE FROM " + STAGING);
        }
        try (DuckDBAppender appender = connection.unwrap(DuckDBConnection.class).createAppender("temp", "main", STAGING)) {
            for (Row r : rows) {
                appender.beginRow();
                appender.append(r.granularity());
                appender.append(r.periodStart());
                appender.append(r.periodEnd());
                appender.append(r.areaId());
                appender.append(r.signal());
                appender.append(r.reported());
                appender.append(r.shareReported());
                if (r.expected() == null) {
                    appender.appendNull();
                    appender.appendNull();
                    appender.appendNull();
                } else {
                    appender.append(r.expected().doubleValue());
                    appender.append(r.lower().longValue());
                    appender.append(r.upper().longValue());
                }
                appender.append(r.asOf());
                appender.endRow();
            }
        }
        try (Statement s = connection.createStatement()) {
            s.execute("DELETE FROM " + DuckDbTables.NOWCASTS.name());
            s.execute("INSERT INTO " + DuckDbTables.NOWCASTS.name() + " SELECT granularity, period_start::DATE,"
                    + " period_end::DATE, area_id, signal, reported, share_reported, expected, lower, upper, as_of::DATE"
                    + " FROM " + STAGING);
            s.execute("DELETE FROM " + STAGING);
        }
    }

    static List<Row> rows(Connection connection, ZoneId zone) throws SQLException {
        Map<String, LocalDate> asOfs = asOfs(connection);
        if (asOfs.isEmpty()) {
            return List.of();
        }
        LocalDate latest = asOfs.values().stream().max(LocalDate::compareTo).orElseThrow();
        Map<String, double[]> shares = shares(connection, asOfs);
        Map<List<String>, long[]> counts = recentCounts(connection, zone, asOfs, latest);
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<List<String>, long[]> e : counts.entrySet()) {
            String area = e.getKey().get(0);
            String signal = e.getKey().get(1);
            LocalDate asOf = asOfs.getOrDefault(signal, latest);
            double[] share = shares.getOrDefault(signal, new double[] {1});
            long[] soFar = e.getValue();
            List<Nowcast.Day> days = new ArrayList<>();
            for (int age = 0; age < HORIZON_DAYS; age++) {
                days.add(new Nowcast.Day(soFar[age], share[Math.min(age, share.length - 1)]));
                LocalDate day = asOf.minusDays(age);
                rows.add(row(DAY, day, day, area, signal, Nowcast.of(List.of(days.get(age))), asOf));
            }
            for (int week = 0; week < WEEKS; week++) {
                LocalDate end = asOf.minusDays(7L * week);
                rows.add(row(WEEK, end.minusDays(6), end, area, signal,
                        Nowcast.of(days.subList(7 * week, 7 * week + 7)), asOf));
            }
        }
        return rows;
    }

    private static Row row(String granularity, LocalDate start, LocalDate end, String area, String signal,
            Nowcast.Estimate e, LocalDate asOf) {
        return new Row(granularity, start.toString(), end.toString(), area, signal, e.reported(), e.shareReported(),
                e.expected(), e.lower(), e.upper(), asOf.toString());
    }

    /**
     * Each signal's as-of day: the latest day one of its reports was made on; none for a signal whose last report
     * came more than {@link ReportingDelays#MAX_DELAY_DAYS} days before the latest of any.
     */
    private static Map<String, LocalDate> asOfs(Connection connection) throws SQLException {
        Map<String, LocalDate> asOfs = new HashMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT signal, max(reported_day) FROM "
                     + DuckDbTables.REPORTING_DELAYS.name() + " GROUP BY signal")) {
            while (rs.next()) {
                Date d = rs.getDate(2);
                if (d != null) {
                    asOfs.put(rs.getString(1), d.toLocalDate());
                }
            }
        }
        asOfs.values().stream().max(LocalDate::compareTo).ifPresent(latest -> asOfs.values()
                .removeIf(d -> d.isBefore(latest.minusDays(ReportingDelays.MAX_DELAY_DAYS))));
        return asOfs;
    }

    /**
     * Each signal's estimated share reported by delay 0 .. {@link ReportingDelays#MAX_DELAY_DAYS}, from the occurrence
     * days of the {@link ReportingDelays#WINDOW_DAYS} days to its as-of day.
     */
    private static Map<String, double[]> shares(Connection connection, Map<String, LocalDate> asOfs)
            throws SQLException {
        Map<String, ReportingDelays> triangles = new TreeMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT date_diff('day', occurred_day, ?::DATE),"
                + " date_diff('day', occurred_day, reported_day), reports FROM " + DuckDbTables.REPORTING_DELAYS.name()
                + " WHERE signal = ? AND occurred_day > ?::DATE - " + ReportingDelays.WINDOW_DAYS)) {
            for (Map.Entry<String, LocalDate> e : asOfs.entrySet()) {
                ps.setString(1, e.getValue().toString());
                ps.setString(2, e.getKey());
                ps.setString(3, e.getValue().toString());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        triangles.computeIfAbsent(e.getKey(), s -> new ReportingDelays(
                                ReportingDelays.MAX_DELAY_DAYS, ReportingDelays.WINDOW_DAYS))
                                .add(rs.getInt(1), rs.getInt(2), rs.getLong(3));
                    }
                }
            }
        }
        Map<String, double[]> shares = new HashMap<>();
        triangles.forEach((signal, triangle) -> shares.put(signal, triangle.shareReported()));
        return shares;
    }

    /**
     * Day counts so far of the horizon's days, by (area, signal), index 0 the signal's as-of day ({@code latest} for a
     * signal without one); only pairs with a count.
     */
    private static Map<List<String>, long[]> recentCounts(Connection connection, ZoneId zone,
            Map<String, LocalDate> asOfs, LocalDate latest) throws SQLException {
        Map<List<String>, long[]> counts = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
                ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
        LocalDate earliest = asOfs.values().stream().min(LocalDate::compareTo).orElseThrow();
        long from = earliest.minusDays(HORIZON_DAYS - 1).atStartOfDay(zone).toEpochSecond();
        try (PreparedStatement ps = connection.prepareStatement("SELECT area_id, signal, epoch(bucket_start)::BIGINT, count"
                + " FROM " + DuckDbTables.AREA_COUNTS.name() + " WHERE granularity = 'day' AND bucket_start >= to_timestamp(?)"
                + " AND count > 0")) {
            ps.setLong(1, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDate day = Instant.ofEpochSecond(rs.getLong(3)).atZone(zone).toLocalDate();
                    int age = (int) ChronoUnit.DAYS.between(day, asOfs.getOrDefault(rs.getString(2), latest));
                    if (age >= 0 && age < HORIZON_DAYS) {
                        counts.computeIfAbsent(List.of(rs.getString(1), rs.getString(2)), k -> new long[HORIZON_DAYS])[age]
                                += rs.getLong(4);
                    }
                }
            }
        }
        return counts;
    }
}
