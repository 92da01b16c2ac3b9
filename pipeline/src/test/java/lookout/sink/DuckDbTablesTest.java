package lookout.sink;

import static lookout.sink.DuckDbTable.increment;
import static lookout.sink.DuckDbTable.key;
import static lookout.sink.DuckDbTable.value;
import static lookout.sink.DuckDbTable.writeTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

import lookout.schema.CountDelta;
import lookout.schema.TableRow;
import lookout.sink.DuckDbTable.Staging;

class DuckDbTablesTest {
    /** Analysts read the README's "DuckDB tables" to write their queries: a table or column missing there is lost. */
    @Test
    void theReadmeNamesEveryPublishedTableAndEachOfItsColumns() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."),
                "README.md"));
        int start = readme.indexOf("\n## DuckDB tables");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        Map<String, String> rows = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z_]+)` \\|(.*)$").matcher(section);
        while (row.find()) {
            rows.put(row.group(1), row.group(2));
        }
        assertEquals(new TreeSet<>(DuckDbTables.PUBLISHED), rows.keySet());
        for (DuckDbTable<?> table : DuckDbTables.PUBLISHED_TABLES) {
            for (DuckDbTable.Column<?> column : table.columns()) {
                assertTrue(rows.get(table.name()).contains("`" + column.name() + "`"),
                        "the README's row of " + table.name() + " does not name its column " + column.name());
            }
        }
    }

    @Test
    void theDeclarationsGiveTheTablesOfTheWritersFile() {
        assertEquals(List.of(
                "CREATE TABLE IF NOT EXISTS areas (area_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL)",
                "CREATE TABLE IF NOT EXISTS area_shapes (area_id VARCHAR PRIMARY KEY, geojson VARCHAR NOT NULL)",
                "CREATE TABLE IF NOT EXISTS area_neighbours (area_id VARCHAR NOT NULL, neighbour_id VARCHAR NOT NULL,"
                        + " PRIMARY KEY (area_id, neighbour_id))",
                "CREATE TABLE IF NOT EXISTS area_counts (granularity VARCHAR NOT NULL, bucket_start TIMESTAMPTZ NOT NULL,"
                        + " area_id VARCHAR NOT NULL, signal VARCHAR NOT NULL, count BIGINT NOT NULL,"
                        + " updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (granularity, bucket_start, area_id, signal))",
                "CREATE TABLE IF NOT EXISTS dead_letters (received_at TIMESTAMPTZ NOT NULL, source VARCHAR,"
                        + " reason VARCHAR NOT NULL, position VARCHAR NOT NULL)",
                "CREATE TABLE IF NOT EXISTS spikes (spike_id VARCHAR PRIMARY KEY, area_id VARCHAR NOT NULL,"
                        + " signal VARCHAR NOT NULL, method VARCHAR NOT NULL, opened_at TIMESTAMPTZ NOT NULL,"
                        + " updated_at TIMESTAMPTZ NOT NULL, closed_at TIMESTAMPTZ, window_start TIMESTAMPTZ NOT NULL,"
                        + " window_end TIMESTAMPTZ NOT NULL, observed INTEGER, expected DOUBLE, threshold DOUBLE,"
                        + " score DOUBLE, severity VARCHAR NOT NULL, status VARCHAR NOT NULL, evidence JSON,"
                        + " explanation VARCHAR NOT NULL)",
                "CREATE TABLE IF NOT EXISTS detector_alarms (area_id VARCHAR NOT NULL, signal VARCHAR NOT NULL,"
                        + " method VARCHAR NOT NULL, day DATE NOT NULL, observed INTEGER NOT NULL, expected DOUBLE,"
                        + " upperbound DOUBLE, alarm BOOLEAN NOT NULL, PRIMARY KEY (area_id, signal, method, day))",
                "CREATE TABLE IF NOT EXISTS substance_counts (area_id VARCHAR NOT NULL, week_start DATE NOT NULL,"
                        + " substance VARCHAR NOT NULL, watch_entry VARCHAR, samples BIGINT NOT NULL,"
                        + " updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (area_id, week_start, substance))",
                "CREATE TABLE IF NOT EXISTS drug_checking_samples (area_id VARCHAR NOT NULL, week_start DATE NOT NULL,"
                        + " samples BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (area_id, week_start))",
                "CREATE TABLE IF NOT EXISTS feed_health (episode_id VARCHAR PRIMARY KEY, source VARCHAR NOT NULL,"
                        + " status VARCHAR NOT NULL, since TIMESTAMPTZ NOT NULL, until TIMESTAMPTZ, updated_at TIMESTAMPTZ NOT NULL,"
                        + " seconds_since_last_record DOUBLE, usual_gap_seconds DOUBLE, dead_letter_share DOUBLE,"
                        + " report_delay_seconds DOUBLE)",
                "CREATE TABLE IF NOT EXISTS reporting_delays (signal VARCHAR NOT NULL, occurred_day DATE NOT NULL,"
                        + " reported_day DATE NOT NULL, reports BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL,"
                        + " PRIMARY KEY (signal, occurred_day, reported_day))",
                "CREATE TABLE IF NOT EXISTS lookout_commits (run_id VARCHAR NOT NULL, sequence BIGINT NOT NULL,"
                        + " committed_at TIMESTAMPTZ NOT NULL, digest VARCHAR, job_id VARCHAR, key_id VARCHAR,"
                        + " PRIMARY KEY (run_id, sequence))",
                "CREATE TABLE IF NOT EXISTS staged_counts (granularity VARCHAR, bucket_start BIGINT, area_id VARCHAR,"
                        + " signal VARCHAR, delta BIGINT)",
                "CREATE TABLE IF NOT EXISTS staged_dead_letters (received_ms BIGINT, source VARCHAR, reason VARCHAR,"
                        + " position VARCHAR)",
                "CREATE TABLE IF NOT EXISTS staged_spikes (spike_id VARCHAR, area_id VARCHAR, signal VARCHAR, method VARCHAR,"
                        + " opened_ms BIGINT, updated_ms BIGINT, closed_ms BIGINT, window_start_ms BIGINT, window_end_ms BIGINT,"
                        + " observed INTEGER, expected DOUBLE, threshold DOUBLE, score DOUBLE, severity VARCHAR, status VARCHAR,"
                        + " evidence VARCHAR, explanation VARCHAR)",
                "CREATE TABLE IF NOT EXISTS staged_alarms (area_id VARCHAR, signal VARCHAR, method VARCHAR, day VARCHAR,"
                        + " observed INTEGER, expected DOUBLE, upperbound DOUBLE, alarm BOOLEAN)",
                "CREATE TABLE IF NOT EXISTS staged_substances (area_id VARCHAR, week_start VARCHAR, substance VARCHAR,"
                        + " watch_entry VARCHAR, delta BIGINT)",
                "CREATE TABLE IF NOT EXISTS staged_samples (area_id VARCHAR, week_start VARCHAR, delta BIGINT)",
                "CREATE TABLE IF NOT EXISTS staged_feed_health (episode_id VARCHAR, source VARCHAR, status VARCHAR,"
                        + " since_ms BIGINT, until_ms BIGINT, updated_ms BIGINT, seconds_since_last_record DOUBLE,"
                        + " usual_gap_seconds DOUBLE, dead_letter_share DOUBLE, report_delay_seconds DOUBLE)",
                "CREATE TABLE IF NOT EXISTS staged_delays (signal VARCHAR, occurred_day VARCHAR, reported_day VARCHAR,"
                        + " delta BIGINT)",
                "DROP TABLE IF EXISTS nowcasts",
                "ALTER TABLE dead_letters DROP COLUMN IF EXISTS sha256",
                "ALTER TABLE staged_dead_letters DROP COLUMN IF EXISTS sha256",
                "ALTER TABLE lookout_commits ADD COLUMN IF NOT EXISTS digest VARCHAR",
                "ALTER TABLE lookout_commits ADD COLUMN IF NOT EXISTS job_id VARCHAR",
                "ALTER TABLE lookout_commits ADD COLUMN IF NOT EXISTS key_id VARCHAR"),
                DuckDbTables.ddl());
        assertEquals(List.of("areas", "area_shapes", "area_neighbours", "area_counts", "dead_letters", "spikes",
                "detector_alarms", "substance_counts", "drug_checking_samples", "feed_health", "reporting_delays",
                "nowcasts"), DuckDbTables.PUBLISHED);
    }

    @Test
    void theDeclarationsGiveTheMergesAndTheDirectInserts() {
        assertEquals(List.of(
                "INSERT INTO area_counts SELECT granularity, to_timestamp(bucket_start), area_id, signal, delta, NOW"
                        + " FROM staged_counts ON CONFLICT (granularity, bucket_start, area_id, signal)"
                        + " DO UPDATE SET count = area_counts.count + excluded.count, updated_at = excluded.updated_at",
                "INSERT INTO dead_letters SELECT to_timestamp(received_ms / 1000.0), source, reason, position"
                        + " FROM staged_dead_letters",
                "INSERT INTO spikes SELECT spike_id, area_id, signal, method, to_timestamp(opened_ms / 1000.0),"
                        + " to_timestamp(updated_ms / 1000.0), to_timestamp(closed_ms / 1000.0),"
                        + " to_timestamp(window_start_ms / 1000.0), to_timestamp(window_end_ms / 1000.0), observed, expected,"
                        + " threshold, score, severity, status, evidence::JSON, explanation FROM staged_spikes"
                        + " ON CONFLICT (spike_id) DO UPDATE SET area_id = excluded.area_id, signal = excluded.signal,"
                        + " method = excluded.method, opened_at = excluded.opened_at, updated_at = excluded.updated_at,"
                        + " closed_at = excluded.closed_at, window_start = excluded.window_start,"
                        + " window_end = excluded.window_end, observed = excluded.observed, expected = excluded.expected,"
                        + " threshold = excluded.threshold, score = excluded.score, severity = excluded.severity,"
                        + " status = excluded.status, evidence = excluded.evidence, explanation = excluded.explanation"
                        + " WHERE excluded.updated_at > spikes.updated_at OR (excluded.updated_at = spikes.updated_at"
                        + " AND list_position(['opened', 'updated', 'closed'], excluded.status)"
                        + " >= list_position(['opened', 'updated', 'closed'], spikes.status))",
                "INSERT INTO detector_alarms SELECT area_id, signal, method, day::DATE, observed, expected, upperbound,"
                        + " alarm FROM staged_alarms ON CONFLICT (area_id, signal, method, day) DO UPDATE SET"
                        + " observed = excluded.observed, expected = excluded.expected, upperbound = excluded.upperbound,"
                        + " alarm = excluded.alarm",
                "INSERT INTO substance_counts SELECT area_id, week_start::DATE, substance, watch_entry, delta, NOW"
                        + " FROM staged_substances ON CONFLICT (area_id, week_start, substance) DO UPDATE SET"
                        + " watch_entry = excluded.watch_entry, samples = substance_counts.samples + excluded.samples,"
                        + " updated_at = excluded.updated_at",
                "INSERT INTO drug_checking_samples SELECT area_id, week_start::DATE, delta, NOW FROM staged_samples"
                        + " ON CONFLICT (area_id, week_start) DO UPDATE SET"
                        + " samples = drug_checking_samples.samples + excluded.samples, updated_at = excluded.updated_at",
                "INSERT INTO feed_health SELECT episode_id, source, status, to_timestamp(since_ms / 1000.0),"
                        + " to_timestamp(until_ms / 1000.0), to_timestamp(updated_ms / 1000.0), seconds_since_last_record,"
                        + " usual_gap_seconds, dead_letter_share, report_delay_seconds FROM staged_feed_health"
                        + " ON CONFLICT (episode_id) DO UPDATE SET source = excluded.source, status = excluded.status,"
                        + " since = excluded.since, until = excluded.until, updated_at = excluded.updated_at,"
                        + " seconds_since_last_record = excluded.seconds_since_last_record,"
                        + " usual_gap_seconds = excluded.usual_gap_seconds, dead_letter_share = excluded.dead_letter_share,"
                        + " report_delay_seconds = excluded.report_delay_seconds",
                "INSERT INTO reporting_delays SELECT signal, occurred_day::DATE, reported_day::DATE, delta, NOW"
                        + " FROM staged_delays ON CONFLICT (signal, occurred_day, reported_day) DO UPDATE SET"
                        + " reports = reporting_delays.reports + excluded.reports, updated_at = excluded.updated_at"),
                DuckDbTables.STAGED.stream().map(t -> t.mergeStatement("NOW")).toList());
        assertEquals("CREATE TEMP TABLE IF NOT EXISTS appended_areas (area_id VARCHAR, name VARCHAR)",
                DuckDbTables.AREAS.appendedDdl());
        assertEquals("INSERT INTO areas SELECT area_id, name FROM appended_areas"
                + " ON CONFLICT (area_id) DO UPDATE SET name = excluded.name", DuckDbTables.AREAS.insertAppendedStatement("NOW"));
        assertEquals("INSERT INTO area_neighbours SELECT area_id, neighbour_id FROM appended_area_neighbours"
                + " ON CONFLICT (area_id, neighbour_id) DO NOTHING", DuckDbTables.AREA_NEIGHBOURS.insertAppendedStatement("NOW"),
                "a table of keys alone has nothing to update");
        assertEquals("INSERT INTO lookout_commits SELECT run_id, sequence, now(), digest, job_id, key_id"
                + " FROM appended_lookout_commits",
                DuckDbTables.LOOKOUT_COMMITS.insertAppendedStatement("now()"));
    }

    @Test
    void theDeclarationsGiveTheBulkStagingAndTheBuildsOfABackfill() {
        assertEquals("CREATE TEMP TABLE bulk_area_counts (granularity VARCHAR, bucket_start BIGINT, area_id VARCHAR,"
                + " signal VARCHAR, delta BIGINT)", DuckDbTables.AREA_COUNTS.bulkStagingDdl());
        assertEquals("CREATE TEMP TABLE bulk_detector_alarms (area_id VARCHAR, signal VARCHAR, method VARCHAR,"
                + " day VARCHAR, observed INTEGER, expected DOUBLE, upperbound DOUBLE, alarm BOOLEAN, arrival BIGINT)",
                DuckDbTables.DETECTOR_ALARMS.bulkStagingDdl(), "replaced values: the rows are numbered as they come");
        assertEquals("INSERT INTO area_counts SELECT granularity, bucket_start, area_id, signal, sum(count), NOW"
                + " FROM (SELECT granularity, to_timestamp(bucket_start) AS bucket_start, area_id, signal, delta AS count"
                + " FROM bulk_area_counts) AS area_counts GROUP BY granularity, bucket_start, area_id, signal"
                + " ORDER BY granularity, bucket_start, area_id, signal", DuckDbTables.AREA_COUNTS.buildStatement("NOW"));
        assertEquals("INSERT INTO dead_letters SELECT received_at, source, reason, position FROM (SELECT"
                + " to_timestamp(received_ms / 1000.0) AS received_at, source, reason, position, arrival"
                + " FROM bulk_dead_letters) AS dead_letters ORDER BY arrival", DuckDbTables.DEAD_LETTERS.buildStatement("NOW"));
        assertEquals("INSERT INTO detector_alarms SELECT area_id, signal, method, day, observed, expected, upperbound,"
                + " alarm FROM (SELECT area_id, signal, method, day::DATE AS day, observed, expected, upperbound, alarm,"
                + " arrival FROM bulk_detector_alarms) AS detector_alarms QUALIFY row_number() OVER"
                + " (PARTITION BY area_id, signal, method, day ORDER BY arrival DESC) = 1"
                + " ORDER BY area_id, signal, method, day", DuckDbTables.DETECTOR_ALARMS.buildStatement("NOW"));
        assertEquals("INSERT INTO substance_counts SELECT area_id, week_start, substance, watch_entry,"
                + " sum(samples) OVER (PARTITION BY area_id, week_start, substance), NOW FROM (SELECT area_id,"
                + " week_start::DATE AS week_start, substance, watch_entry, delta AS samples, arrival"
                + " FROM bulk_substance_counts) AS substance_counts QUALIFY row_number() OVER"
                + " (PARTITION BY area_id, week_start, substance ORDER BY arrival DESC) = 1"
                + " ORDER BY area_id, week_start, substance", DuckDbTables.SUBSTANCE_COUNTS.buildStatement("NOW"));
        assertTrue(DuckDbTables.SPIKES.buildStatement("NOW").endsWith(" QUALIFY row_number() OVER (PARTITION BY spike_id"
                + " ORDER BY spikes.updated_at DESC, list_position(['opened', 'updated', 'closed'], spikes.status) DESC,"
                + " arrival DESC) = 1 ORDER BY spike_id"), "the snapshot the upserts' ranking keeps: the latest of the highest");
    }

    @Test
    void aRankingOfThreeGivesTheConditionOfItsLexicographicOrder() {
        assertTrue(cells(false).replacedUnlessBehindIn(r -> r + ".a", r -> r + ".b", r -> r + ".c").mergeStatement("T")
                .endsWith(" WHERE excluded.a > cells.a OR (excluded.a = cells.a AND (excluded.b > cells.b"
                        + " OR (excluded.b = cells.b AND excluded.c >= cells.c)))"));
    }

    private static DuckDbTable<CountDelta> cells(boolean withGranularity) {
        List<DuckDbTable.Column<CountDelta>> columns = new ArrayList<>(List.of(
                key("area_id", "VARCHAR", CountDelta::getAreaId),
                DuckDbTable.<CountDelta>key("bucket_start", "TIMESTAMPTZ", CountDelta::getBucketStart)
                        .staged(Staging.EPOCH_SECONDS, "start_s"),
                DuckDbTable.<CountDelta>increment("count", "BIGINT", CountDelta::getDelta).staged(Staging.AS_IS, "delta"),
                writeTime("written_at")));
        if (withGranularity) {
            columns.add(2, value("granularity", "VARCHAR", CountDelta::getGranularity));
        }
        @SuppressWarnings("unchecked")
        DuckDbTable.Column<CountDelta>[] array = columns.toArray(DuckDbTable.Column[]::new);
        return DuckDbTable.staged("cells", "staged_cells", TableRow::getCount, array);
    }

    /** Creates the table and its staging table, merges two batches through the appender, and reads the table. */
    private static List<String> roundTrip(DuckDbTable<CountDelta> table) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            s.execute(table.ddl());
            s.execute(table.stagingDdl());
            for (List<CountDelta> batch : List.of(
                    List.of(new CountDelta("hour", 3_600L, "A1", "paramedic", 2L), new CountDelta("day", 0L, "A2", "coroner", 1L)),
                    List.of(new CountDelta("day", 3_600L, "A1", "paramedic", 5L)))) {
                try (DuckDBAppender a = c.unwrap(DuckDBConnection.class)
                        .createAppender(DuckDBConnection.DEFAULT_SCHEMA, table.stagingName())) {
                    for (CountDelta d : batch) {
                        table.stage(a, table.recordOf(TableRow.newBuilder().setCount(d).build()));
                    }
                }
                s.execute(table.mergeStatement("TIMESTAMPTZ '2026-01-01 00:00:00+00'"));
                s.execute("DELETE FROM " + table.stagingName());
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT * FROM cells ORDER BY area_id")) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> values = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        values.add(rs.getMetaData().getColumnName(i) + "=" + rs.getString(i));
                    }
                    rows.add(String.join(" ", values));
                }
            }
            return rows;
        }
    }

    @Test
    void oneLineMoreInADeclarationIsAColumnMoreInTheTableItsStagingItsMergeAndItsAppender() throws SQLException {
        DuckDbTable<CountDelta> without = cells(false);
        DuckDbTable<CountDelta> with = cells(true);
        assertEquals("CREATE TABLE IF NOT EXISTS cells (area_id VARCHAR NOT NULL, bucket_start TIMESTAMPTZ NOT NULL,"
                + " granularity VARCHAR NOT NULL, count BIGINT NOT NULL, written_at TIMESTAMPTZ NOT NULL,"
                + " PRIMARY KEY (area_id, bucket_start))", with.ddl());
        assertEquals("CREATE TABLE IF NOT EXISTS staged_cells (area_id VARCHAR, start_s BIGINT, granularity VARCHAR,"
                + " delta BIGINT)", with.stagingDdl());
        assertEquals("INSERT INTO cells SELECT area_id, to_timestamp(start_s), granularity, delta, T FROM staged_cells"
                + " ON CONFLICT (area_id, bucket_start) DO UPDATE SET granularity = excluded.granularity,"
                + " count = cells.count + excluded.count, written_at = excluded.written_at", with.mergeStatement("T"));

        assertEquals(List.of(
                "area_id=A1 bucket_start=1970-01-01T01:00Z count=7 written_at=2026-01-01T00:00Z",
                "area_id=A2 bucket_start=1970-01-01T00:00Z count=1 written_at=2026-01-01T00:00Z"),
                roundTrip(without));
        assertEquals(List.of(
                "area_id=A1 bucket_start=1970-01-01T01:00Z granularity=day count=7 written_at=2026-01-01T00:00Z",
                "area_id=A2 bucket_start=1970-01-01T00:00Z granularity=day count=1 written_at=2026-01-01T00:00Z"),
                roundTrip(with), "the increment adds up, the replaced value is the latest");
    }
}
