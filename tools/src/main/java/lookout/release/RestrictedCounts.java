package lookout.release;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import lookout.detect.ReportingDelays;
import lookout.kernel.UsageException;
import lookout.sink.DuckDbStore;

/**
 * The restricted daily counts of a published database snapshot, read-only: {@code area_counts} rows with
 * granularity 'day' for the public signals, and area names from {@code areas}. Rows dated before the earliest
 * plausible day are left out and counted: one row from year 1 or 1970 must not stretch the release period. Also the
 * coroner's reporting triangle ({@code reporting_delays}), when the snapshot has one, for the export's warning about
 * a coroner lag shorter than its reports take.
 */
public final class RestrictedCounts {
    private record Row(String area, String signal, LocalDate day, long count) {}

    private final Map<String, String> areaNames;
    private final List<Row> rows;
    private final LocalDate snapshotDay;
    private final long implausibleRows;
    private final long implausibleEvents;
    private final ReportingDelays coronerDelays;

    private RestrictedCounts(Map<String, String> areaNames, List<Row> rows, LocalDate snapshotDay, long implausibleRows,
            long implausibleEvents, ReportingDelays coronerDelays) {
        this.areaNames = areaNames;
        this.rows = rows;
        this.snapshotDay = snapshotDay;
        this.implausibleRows = implausibleRows;
        this.implausibleEvents = implausibleEvents;
        this.coronerDelays = coronerDelays;
    }

    /**
     * Reads {@code db}; days are local days in {@code zone}, as the pipeline buckets them. Public-signal rows dated
     * before {@code earliest} are left out.
     */
    public static RestrictedCounts read(Path db, ZoneId zone, LocalDate earliest) {
        if (!Files.isRegularFile(db)) {
            throw new UsageException("database file not found: " + db);
        }
        try (Connection c = DuckDbStore.openPublished(db);
                Statement st = c.createStatement()) {
            requireTable(st, db, "area_counts");
            requireTable(st, db, "areas");
            Map<String, String> names = new TreeMap<>();
            try (ResultSet rs = st.executeQuery("SELECT area_id, name FROM areas")) {
                while (rs.next()) {
                    names.put(rs.getString(1), rs.getString(2));
                }
            }
            List<Row> rows = new ArrayList<>();
            LocalDate latest = null;
            long implausibleRows = 0;
            long implausibleEvents = 0;
            try (ResultSet rs = st.executeQuery("SELECT area_id, signal, epoch_ms(bucket_start), count, epoch_ms(updated_at)"
                    + " FROM area_counts WHERE granularity = 'day'")) {
                while (rs.next()) {
                    String signal = rs.getString(2);
                    LocalDate updated = Instant.ofEpochMilli(rs.getLong(5)).atZone(zone).toLocalDate();
                    latest = latest == null || updated.isAfter(latest) ? updated : latest;
                    if (!PublicRelease.PUBLIC_SIGNALS.contains(signal)) {
                        continue;
                    }
                    ZonedDateTime start = Instant.ofEpochMilli(rs.getLong(3)).atZone(zone);
                    LocalDate day = start.toLocalDate();
                    if (day.isBefore(earliest)) {
                        implausibleRows++;
                        implausibleEvents += rs.getLong(4);
                        continue;
                    }
                    requireStartOfDay(start, db);
                    String area = rs.getString(1);
                    names.putIfAbsent(area, area);
                    rows.add(new Row(area, signal, day, rs.getLong(4)));
                }
            }
            for (String area : names.keySet()) {
                if (area.equals(PublicCell.ALL_AREAS) || area.contains(",") || area.contains("\n") || area.contains("\r")) {
                    throw new UsageException("area ids must not be " + PublicCell.ALL_AREAS
                            + " or contain commas or line breaks; rename the area in the boundaries file");
                }
            }
            return new RestrictedCounts(names, rows, latest, implausibleRows, implausibleEvents, coronerDelays(st));
        } catch (SQLException e) {
            throw new UsageException("cannot read " + db + " read-only (open a published snapshot, not the file the pipeline is writing)");
        }
    }

    /**
     * The job counted the days in its own zone, which the file does not record: a day that does not begin at the
     * start of a day in {@code zone} was counted in another, and exported here every count would land on the wrong
     * day, week or month, kept so by the ledger in every later release.
     */
    private static void requireStartOfDay(ZonedDateTime start, Path db) {
        // A start at midnight is a day's start in this zone; only another hour needs its rules (a day that begins at
        // 01:00 because the clocks changed at midnight).
        if (!start.toLocalTime().equals(LocalTime.MIDNIGHT)
                && !start.equals(start.toLocalDate().atStartOfDay(start.getZone()))) {
            throw new UsageException("the days in " + db + " begin at " + start.toLocalTime() + " in " + start.getZone()
                    + ", not at the start of a day there: they were counted in another zone; give the job's zone"
                    + " with --zone");
        }
    }

    private static void requireTable(Statement st, Path db, String table) throws SQLException {
        if (!hasTable(st, table)) {
            throw new UsageException(db + " is not a Lookout database (no " + table + " table)");
        }
    }

    private static boolean hasTable(Statement st, String table) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = '" + table
                + "' AND table_catalog = current_database()")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    /**
     * The coroner's reports by age and delay over the pipeline's window ending on its latest report day, as the
     * nowcast reads them; empty without the table (a snapshot written before it) or without reports.
     */
    private static ReportingDelays coronerDelays(Statement st) throws SQLException {
        ReportingDelays delays = new ReportingDelays(ReportingDelays.MAX_DELAY_DAYS, ReportingDelays.WINDOW_DAYS);
        if (!hasTable(st, "reporting_delays")) {
            return delays;
        }
        String coroner = "signal = '" + CoronerLag.SIGNAL + "'";
        try (ResultSet rs = st.executeQuery("WITH t AS (SELECT occurred_day, reported_day, reports,"
                + " (SELECT max(reported_day) FROM reporting_delays WHERE " + coroner + ") AS as_of"
                + " FROM reporting_delays WHERE " + coroner + " AND reported_day >= occurred_day)"
                + " SELECT date_diff('day', occurred_day, as_of), date_diff('day', occurred_day, reported_day),"
                + " reports FROM t WHERE occurred_day > as_of - " + ReportingDelays.WINDOW_DAYS + " AND reports > 0")) {
            while (rs.next()) {
                delays.add(rs.getInt(1), rs.getInt(2), rs.getLong(3));
            }
        }
        return delays;
    }

    /** Area id to display name, in publication order. */
    public Map<String, String> areaNames() {
        return areaNames;
    }

    /** Public-signal rows left out because they are dated before the earliest plausible day. */
    public long implausibleRows() {
        return implausibleRows;
    }

    /** The events those rows counted. */
    public long implausibleEvents() {
        return implausibleEvents;
    }

    /** The earliest day with a public count, or null when there is none. */
    public LocalDate firstDay() {
        return rows.stream().map(Row::day).min(LocalDate::compareTo).orElse(null);
    }

    /**
     * The last complete day: the day before the snapshot was last updated, and no later than the latest day with
     * a count (a historical backfill should not be padded with empty days up to today).
     */
    public LocalDate lastCompleteDay() {
        LocalDate lastData = rows.stream().map(Row::day).max(LocalDate::compareTo).orElse(null);
        if (lastData == null) {
            return null;
        }
        LocalDate beforeSnapshot = snapshotDay.minusDays(1);
        return lastData.isBefore(beforeSnapshot) ? lastData : beforeSnapshot;
    }

    /**
     * The day the snapshot was last updated: the dashboards served its counts up to then, whatever period a
     * release of it covers.
     */
    public LocalDate snapshotDay() {
        return snapshotDay;
    }

    /** The coroner's reporting triangle (no reports when the snapshot has none). */
    public ReportingDelays coronerDelays() {
        return coronerDelays;
    }

    /** Whether the snapshot holds a daily count of {@code signal}. */
    public boolean has(String signal) {
        return rows.stream().anyMatch(r -> r.signal().equals(signal));
    }

    /**
     * The public signals present in the snapshot, in publication order, each as a table over {@code first} to its day
     * in {@code lastDays}; a signal whose last day is before {@code first} has no period yet and is left out.
     */
    public Map<String, DailyCounts> tables(LocalDate first, Map<String, LocalDate> lastDays) {
        TreeSet<String> present = new TreeSet<>();
        rows.forEach(r -> present.add(r.signal()));
        Map<String, DailyCounts> tables = new LinkedHashMap<>();
        List<String> areas = List.copyOf(areaNames.keySet());
        for (String signal : PublicRelease.PUBLIC_SIGNALS) {
            LocalDate last = lastDays.get(signal);
            if (present.contains(signal) && !last.isBefore(first)) {
                tables.put(signal, new DailyCounts(areas, first, last));
            }
        }
        for (Row r : rows) {
            DailyCounts table = tables.get(r.signal());
            if (table != null) {
                table.add(r.area(), r.day(), r.count());
            }
        }
        return tables;
    }
}
