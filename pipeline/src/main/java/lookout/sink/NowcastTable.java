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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import lookout.detect.Nowcast;
import lookout.detect.ReportingDelays;

/**
 * Builds the published {@code nowcasts} table, at each publish, from what the writer's file holds: each signal's
 * reporting delays from its reporting triangle ({@code reporting_delays}, the occurrence days of the last
 * {@link ReportingDelays#WINDOW_DAYS} days), and for
 * each area and signal with a count in the last {@link #HORIZON_DAYS} days, every one of those days and the
 * {@link #WEEKS} 7-day weeks ending on the signal's as-of day, nowcast by {@link Nowcast}. A signal's as-of day is
 * the latest day one of its reports was made on: one source's data may end weeks before another's (a backfill's
 * coroner reports keep coming long after its paramedic calls), and its nowcast must not run on into days it has no
 * data for, reading "none reported, none expected". A signal without a reporting triangle, or whose last report came
 * more than {@link ReportingDelays#MAX_DELAY_DAYS} days before the latest of any (it has stopped reporting), takes
 * the latest of all. Nor does a nowcast run into the day the data is in the middle of (the day of the latest hour
 * with an event of any signal, unless that hour ends it): its events have not all happened yet, and a delay
 * distribution of whole days would read its morning's count as nearly final. A signal's days then end on the last
 * whole day, and each day's share reported counts the days of reports made since (a report made today about
 * yesterday is in). The table is bounded by areas × signals × (days + weeks), whatever the history's length.
 *
 * <p>The table is derived, so the writer's file does not keep it: one statement builds the snapshot's copy from the
 * day counts, and Java works out only the distinct estimates, per signal, period and count so far (an estimate
 * depends on nothing else), which number hundreds where a city of 10,000 areas has some 650,000 rows. Making every
 * row in Java and keeping them under a primary key in the writer's file took 6 s of each publish in such a city.
 */
final class NowcastTable {
    /** Days nowcast back from the as-of day, the as-of day included. */
    static final int HORIZON_DAYS = 56;
    /** 7-day weeks nowcast back from the as-of day. */
    static final int WEEKS = HORIZON_DAYS / 7;

    static final String DAY = "day";
    static final String WEEK = "week";
    /** Each signal's days of the horizon: their age (0 the as-of day), date and instants [starts, ends). */
    private static final String DAYS = "nowcast_days";
    /** The counts so far of each area, signal and day of the horizon that has one. */
    private static final String REPORTED = "nowcast_reported";
    /** The estimate of each signal, granularity, period (a day's age or a week's number) and count so far. */
    private static final String ESTIMATES = "nowcast_estimates";

    /** Fills {@link #REPORTED} from the day counts of each signal's days. */
    private static final String INSERT_REPORTED = "INSERT INTO " + REPORTED + " SELECT c.area_id, c.signal, d.age,"
            + " sum(c.count)::BIGINT FROM " + DuckDbTables.AREA_COUNTS.name() + " c JOIN " + DAYS + " d"
            + " ON c.signal = d.signal AND c.bucket_start >= to_timestamp(d.starts)"
            + " AND c.bucket_start < to_timestamp(d.ends)"
            + " WHERE c.granularity = 'day' AND c.count > 0"
            + " AND c.bucket_start >= (SELECT to_timestamp(min(starts)) FROM " + DAYS + ") GROUP BY ALL";

    /**
     * Every row: each area and signal of {@link #REPORTED} with every day of its signal (none reported on a day
     * without a count) and the weeks they make, each joined to its estimate.
     */
    private static final String ROWS = "WITH days AS (SELECT p.area_id, d.signal, d.age, d.day::DATE AS day,"
            + " d.as_of::DATE AS as_of, coalesce(r.reported, 0) AS reported"
            + " FROM (SELECT DISTINCT area_id, signal FROM " + REPORTED + ") p JOIN " + DAYS + " d USING (signal)"
            + " LEFT JOIN " + REPORTED + " r USING (area_id, signal, age)),"
            + " periods AS (SELECT '" + DAY + "' AS granularity, day AS period_start, day AS period_end, area_id,"
            + " signal, age AS period, reported, as_of FROM days"
            + " UNION ALL SELECT '" + WEEK + "', min(day), max(day), area_id, signal, age // 7,"
            + " sum(reported)::BIGINT, as_of FROM days GROUP BY area_id, signal, age // 7, as_of)"
            + " SELECT granularity, period_start, period_end, area_id, signal, reported, share_reported, expected,"
            + " lower, upper, as_of FROM periods"
            + " JOIN " + ESTIMATES + " USING (granularity, signal, period, reported)";

    private NowcastTable() {}

    /**
     * Creates {@code target} (a qualified table name, such as the snapshot's {@code snap.nowcasts}) holding the
     * nowcasts of the data now in the writer's file, days in {@code zone}; empty while no report has a delay.
     */
    static void publish(Connection connection, ZoneId zone, String target) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE " + DAYS + " (signal VARCHAR, age INTEGER, day VARCHAR,"
                    + " starts BIGINT, ends BIGINT, as_of VARCHAR)");
            s.execute("CREATE OR REPLACE TEMP TABLE " + REPORTED
                    + " (area_id VARCHAR, signal VARCHAR, age INTEGER, reported BIGINT)");
            s.execute("CREATE OR REPLACE TEMP TABLE " + ESTIMATES + " (granularity VARCHAR, signal VARCHAR,"
                    + " period INTEGER, reported BIGINT, share_reported DOUBLE, expected DOUBLE, lower BIGINT,"
                    + " upper BIGINT)");
            try {
                Map<String, LocalDate> asOfs = asOfs(connection);
                if (!asOfs.isEmpty()) {
                    Map<String, double[]> shares = days(connection, zone, asOfs, lastWholeDay(connection, zone));
                    s.execute(INSERT_REPORTED);
                    estimates(connection, shares);
                }
                s.execute(DuckDbTables.NOWCASTS.createAs(target, ROWS,
                        "area_id, signal, granularity, period_start DESC"));
            } finally {
                for (String table : List.of(DAYS, REPORTED, ESTIMATES)) {
                    s.execute("DROP TABLE IF EXISTS " + table);
                }
            }
        }
    }

    /**
     * Fills {@link #DAYS} for every signal with a day count in the horizon of any as-of day, and returns each one's
     * share reported by the age of a day (1 for a signal without a reporting triangle). A signal's days end on its
     * as-of day or on {@code lastWholeDay}, whichever comes first; a day's share is that of its age from the as-of day.
     */
    private static Map<String, double[]> days(Connection connection, ZoneId zone, Map<String, LocalDate> asOfs,
            Optional<LocalDate> lastWholeDay) throws SQLException {
        LocalDate latest = asOfs.values().stream().max(LocalDate::compareTo).orElseThrow();
        Map<String, double[]> triangles = shares(connection, asOfs);
        Map<String, double[]> shares = new TreeMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT DISTINCT signal FROM "
                + DuckDbTables.AREA_COUNTS.name() + " WHERE granularity = 'day' AND count > 0"
                + " AND bucket_start >= to_timestamp(?)")) {
            LocalDate earliest = asOfs.values().stream().min(LocalDate::compareTo).orElseThrow();
            LocalDate firstDay = lastDay(earliest, lastWholeDay).minusDays(HORIZON_DAYS - 1);
            ps.setLong(1, firstDay.atStartOfDay(zone).toEpochSecond());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDate asOf = asOfs.getOrDefault(rs.getString(1), latest);
                    int reportedSince = (int) ChronoUnit.DAYS.between(lastDay(asOf, lastWholeDay), asOf);
                    double[] triangle = triangles.getOrDefault(rs.getString(1), new double[] {1});
                    double[] share = new double[HORIZON_DAYS];
                    for (int age = 0; age < HORIZON_DAYS; age++) {
                        share[age] = triangle[Math.min(age + reportedSince, triangle.length - 1)];
                    }
                    shares.put(rs.getString(1), share);
                }
            }
        }
        try (DuckDBAppender appender = connection.unwrap(DuckDBConnection.class).createAppender("temp", "main", DAYS)) {
            for (String signal : shares.keySet()) {
                LocalDate asOf = lastDay(asOfs.getOrDefault(signal, latest), lastWholeDay);
                for (int age = 0; age < HORIZON_DAYS; age++) {
                    LocalDate day = asOf.minusDays(age);
                    appender.beginRow();
                    appender.append(signal);
                    appender.append(age);
                    appender.append(day.toString());
                    appender.append(day.atStartOfDay(zone).toEpochSecond());
                    appender.append(day.plusDays(1).atStartOfDay(zone).toEpochSecond());
                    appender.append(asOf.toString());
                    appender.endRow();
                }
            }
        }
        return shares;
    }

    /**
     * Fills {@link #ESTIMATES} with the estimate of every count so far that a day or week of {@link #REPORTED} has,
     * and of none, for each signal of {@code shares}. A week is one Poisson mean a day ({@link Nowcast#of(List)}).
     */
    private static void estimates(Connection connection, Map<String, double[]> shares) throws SQLException {
        Map<String, Map<Integer, Set<Long>>> days = new TreeMap<>();
        Map<String, Map<Integer, Set<Long>>> weeks = new TreeMap<>();
        for (String signal : shares.keySet()) {
            for (int age = 0; age < HORIZON_DAYS; age++) {
                countsOf(days, signal, age).add(0L);
                countsOf(weeks, signal, age / 7).add(0L);
            }
        }
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT DISTINCT signal, age, reported FROM " + REPORTED)) {
                while (rs.next()) {
                    countsOf(days, rs.getString(1), rs.getInt(2)).add(rs.getLong(3));
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT DISTINCT signal, age // 7, sum(reported)::BIGINT"
                    + " FROM " + REPORTED + " GROUP BY area_id, signal, age // 7")) {
                while (rs.next()) {
                    countsOf(weeks, rs.getString(1), rs.getInt(2)).add(rs.getLong(3));
                }
            }
        }
        try (DuckDBAppender appender = connection.unwrap(DuckDBConnection.class)
                .createAppender("temp", "main", ESTIMATES)) {
            for (Map.Entry<String, Map<Integer, Set<Long>>> signal : days.entrySet()) {
                double[] share = shares.get(signal.getKey());
                for (Map.Entry<Integer, Set<Long>> age : signal.getValue().entrySet()) {
                    for (long reported : age.getValue()) {
                        append(appender, DAY, signal.getKey(), age.getKey(),
                                Nowcast.of(List.of(new Nowcast.Day(reported, share[age.getKey()]))));
                    }
                }
            }
            for (Map.Entry<String, Map<Integer, Set<Long>>> signal : weeks.entrySet()) {
                double[] share = shares.get(signal.getKey());
                for (Map.Entry<Integer, Set<Long>> week : signal.getValue().entrySet()) {
                    for (long reported : week.getValue()) {
                        append(appender, WEEK, signal.getKey(), week.getKey(),
                                Nowcast.of(weekDays(reported, share, week.getKey())));
                    }
                }
            }
        }
    }

    /** A week's days with their shares, its count so far put on the first: an estimate depends on the sum only. */
    private static List<Nowcast.Day> weekDays(long reported, double[] share, int week) {
        List<Nowcast.Day> days = new ArrayList<>();
        for (int age = 7 * week; age < 7 * week + 7; age++) {
            days.add(new Nowcast.Day(age == 7 * week ? reported : 0, share[age]));
        }
        return days;
    }

    private static Set<Long> countsOf(Map<String, Map<Integer, Set<Long>>> counts, String signal, int period) {
        return counts.computeIfAbsent(signal, k -> new TreeMap<>()).computeIfAbsent(period, k -> new TreeSet<>());
    }

    private static void append(DuckDBAppender appender, String granularity, String signal, int period,
            Nowcast.Estimate e) throws SQLException {
        appender.beginRow();
        appender.append(granularity);
        appender.append(signal);
        appender.append(period);
        appender.append(e.reported());
        appender.append(e.shareReported());
        if (e.estimated()) {
            appender.append(e.expected().doubleValue());
            appender.append(e.lower().longValue());
            appender.append(e.upper().longValue());
        } else {
            appender.appendNull();
            appender.appendNull();
            appender.appendNull();
        }
        appender.endRow();
    }

    /** The last day of a signal's nowcast: its as-of day, or the last whole day of the data if that is earlier. */
    private static LocalDate lastDay(LocalDate asOf, Optional<LocalDate> lastWholeDay) {
        return lastWholeDay.filter(asOf::isAfter).orElse(asOf);
    }

    /**
     * The last day the data holds whole: the day before the one its latest hour with an event ends in, so a day is
     * whole once an event of its last hour, or of any later one, has come. Empty without hourly counts.
     */
    private static Optional<LocalDate> lastWholeDay(Connection connection, ZoneId zone) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT epoch(max(bucket_start))::BIGINT FROM "
                     + DuckDbTables.AREA_COUNTS.name() + " WHERE granularity = 'hour' AND count > 0")) {
            rs.next();
            long latestHour = rs.getLong(1);
            if (rs.wasNull()) {
                return Optional.empty();
            }
            Instant latestHourEnds = Instant.ofEpochSecond(latestHour).plus(1, ChronoUnit.HOURS);
            return Optional.of(latestHourEnds.atZone(zone).toLocalDate().minusDays(1));
        }
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
}
