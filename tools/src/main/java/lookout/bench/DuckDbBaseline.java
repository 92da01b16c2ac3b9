package lookout.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;

import lookout.kernel.Signal;

/**
 * Baseline (a): what an analyst would do instead of running Lookout. DuckDB alone reads the same NDJSON
 * with {@code read_json}, drops bad records and re-sent duplicates, writes hourly and daily counts per
 * place and source, and computes the EARS C2 statistic per place, source and day with window functions.
 * DuckDB has no polygon lookup without its spatial extension (not installable offline), so places are
 * area codes where given and 0.01-degree grid cells otherwise: strictly less work than Lookout does.
 */
public final class DuckDbBaseline {
    public record Result(double seconds, double cpuSeconds, long uniqueEvents, long hourlyRows, long dailyRows, long c2Rows) {}

    private DuckDbBaseline() {}

    public static Result run(List<Path> inputs, Path db, ZoneId zone) throws Exception {
        Files.deleteIfExists(db);
        Files.deleteIfExists(db.resolveSibling(db.getFileName() + ".wal"));
        String files = inputs.stream().map(p -> "'" + p.toAbsolutePath().toString().replace("'", "''") + "'")
                .collect(Collectors.joining(", ", "[", "]"));
        String tz = zone.getId().replace("'", "''");
        String sources = Signal.sources().stream().map(s -> "'" + s.code() + "'").collect(Collectors.joining(", "));
        List<String> statements = List.of(
                "CREATE TABLE events AS SELECT source, event_id, ts, "
                        + " coalesce(area_code, printf('%.2f,%.2f', location.lat, location.lon)) AS place"
                        + " FROM (SELECT *, try_cast(occurred_at AS TIMESTAMPTZ) AS ts FROM read_json(" + files + ","
                        + "   format = 'newline_delimited', ignore_errors = true, columns = {event_id: 'VARCHAR',"
                        + "   source: 'VARCHAR', occurred_at: 'VARCHAR', area_code: 'VARCHAR',"
                        + "   location: 'STRUCT(lat DOUBLE, lon DOUBLE)'}))"
                        + " WHERE source IN (" + sources + ")"
                        + "   AND event_id IS NOT NULL AND ts IS NOT NULL"
                        + "   AND (area_code IS NOT NULL OR (location.lat BETWEEN -90 AND 90 AND location.lon BETWEEN -180 AND 180))"
                        + " QUALIFY row_number() OVER (PARTITION BY source, event_id ORDER BY ts) = 1",
                "CREATE TABLE hourly AS SELECT date_trunc('hour', ts) AS bucket_start, place, source AS signal,"
                        + " count(*) AS count FROM events GROUP BY ALL",
                "CREATE TABLE daily AS SELECT date_trunc('day', timezone('" + tz + "', ts)) AS day, place,"
                        + " source AS signal, count(*) AS count FROM events GROUP BY ALL",
                // C2: today's count against the mean and deviation of the seven days before a two-day guard band.
                "CREATE TABLE ears_c2 AS WITH keys AS (SELECT DISTINCT place, signal FROM daily),"
                        + " days AS (SELECT range AS day FROM range((SELECT min(day) FROM daily),"
                        + "   (SELECT max(day) FROM daily) + INTERVAL 1 DAY, INTERVAL 1 DAY)),"
                        + " filled AS (SELECT k.place, k.signal, days.day, coalesce(d.count, 0) AS n"
                        + "   FROM keys k CROSS JOIN days LEFT JOIN daily d"
                        + "   ON d.place = k.place AND d.signal = k.signal AND d.day = days.day)"
                        + " SELECT place, signal, day, n, (n - avg(n) OVER w) / greatest(stddev_samp(n) OVER w, 0.2) AS c2"
                        + " FROM filled WINDOW w AS (PARTITION BY place, signal ORDER BY day"
                        + "   ROWS BETWEEN 9 PRECEDING AND 3 PRECEDING)");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath());
             Statement s = c.createStatement()) {
            long start = System.nanoTime();
            double cpuStart = MachineInfo.processCpuSeconds();
            for (String sql : statements) {
                s.execute(sql);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(seconds, MachineInfo.processCpuSeconds() - cpuStart, count(s, "events"), count(s, "hourly"), count(s, "daily"), count(s, "ears_c2"));
        }
    }

    private static long count(Statement s, String table) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
