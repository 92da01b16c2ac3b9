package lookout.dashboards;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

/**
 * A small published snapshot written with plain SQL. The dashboards module may not depend on the pipeline (it reads
 * what the job publishes, never its internals), so the tables are created with the DDL that
 * {@code lookout.sink.DuckDbTables} generates for the published tables, copied here; tools'
 * {@code lookout.dashboards.PublishedDbTest} fails when the copy and the job's tables differ.
 */
final class PublishedDb {
    static final List<String> DDL = List.of(
            "CREATE TABLE areas (area_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL)",
            "CREATE TABLE area_shapes (area_id VARCHAR PRIMARY KEY, geojson VARCHAR NOT NULL)",
            "CREATE TABLE area_neighbours (area_id VARCHAR NOT NULL, neighbour_id VARCHAR NOT NULL,"
                    + " PRIMARY KEY (area_id, neighbour_id))",
            "CREATE TABLE area_counts (granularity VARCHAR NOT NULL, bucket_start TIMESTAMPTZ NOT NULL,"
                    + " area_id VARCHAR NOT NULL, signal VARCHAR NOT NULL, count BIGINT NOT NULL,"
                    + " updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (granularity, bucket_start, area_id, signal))",
            "CREATE TABLE dead_letters (received_at TIMESTAMPTZ NOT NULL, source VARCHAR, reason VARCHAR NOT NULL,"
                    + " position VARCHAR NOT NULL)",
            "CREATE TABLE spikes (spike_id VARCHAR PRIMARY KEY, area_id VARCHAR NOT NULL, signal VARCHAR NOT NULL,"
                    + " method VARCHAR NOT NULL, opened_at TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL,"
                    + " closed_at TIMESTAMPTZ, window_start TIMESTAMPTZ NOT NULL, window_end TIMESTAMPTZ NOT NULL,"
                    + " observed INTEGER, expected DOUBLE, threshold DOUBLE, score DOUBLE, severity VARCHAR NOT NULL,"
                    + " status VARCHAR NOT NULL, evidence JSON, explanation VARCHAR NOT NULL)",
            "CREATE TABLE detector_alarms (area_id VARCHAR NOT NULL, signal VARCHAR NOT NULL, method VARCHAR NOT NULL,"
                    + " day DATE NOT NULL, observed INTEGER NOT NULL, expected DOUBLE, upperbound DOUBLE,"
                    + " alarm BOOLEAN NOT NULL, PRIMARY KEY (area_id, signal, method, day))",
            "CREATE TABLE substance_counts (area_id VARCHAR NOT NULL, week_start DATE NOT NULL,"
                    + " substance VARCHAR NOT NULL, watch_entry VARCHAR, samples BIGINT NOT NULL,"
                    + " updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (area_id, week_start, substance))",
            "CREATE TABLE drug_checking_samples (area_id VARCHAR NOT NULL, week_start DATE NOT NULL,"
                    + " samples BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (area_id, week_start))",
            "CREATE TABLE feed_health (episode_id VARCHAR PRIMARY KEY, source VARCHAR NOT NULL,"
                    + " status VARCHAR NOT NULL, since TIMESTAMPTZ NOT NULL, until TIMESTAMPTZ, updated_at TIMESTAMPTZ NOT NULL,"
                    + " seconds_since_last_record DOUBLE, usual_gap_seconds DOUBLE, dead_letter_share DOUBLE,"
                    + " report_delay_seconds DOUBLE)",
            "CREATE TABLE reporting_delays (signal VARCHAR NOT NULL, occurred_day DATE NOT NULL,"
                    + " reported_day DATE NOT NULL, reports BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL,"
                    + " PRIMARY KEY (signal, occurred_day, reported_day))",
            "CREATE TABLE nowcasts (granularity VARCHAR NOT NULL, period_start DATE NOT NULL, period_end DATE NOT NULL,"
                    + " area_id VARCHAR NOT NULL, signal VARCHAR NOT NULL, reported BIGINT NOT NULL,"
                    + " share_reported DOUBLE NOT NULL, expected DOUBLE, lower BIGINT, upper BIGINT, as_of DATE NOT NULL,"
                    + " PRIMARY KEY (granularity, period_start, area_id, signal))");

    /**
     * Four areas, one per status, each a unit square on the map: A1 has an open paramedic alert (its count below k,
     * so NULL), A2 only a closed naloxone alert and 12 events (usual: two days of history compare nothing), A3 two
     * coroner events and a restricted combined alert, A4 nothing at all.
     * S4 and T1 (A1's multi-signal toxicity alert) closed long before the others and are out of every alert list.
     * S1 and S2 carry evidence as the job writes it. The day buckets start at UTC midnight, the evening before in
     * Toronto, the server's zone: A1 counted 7 on 28 February and 5 on 1 March, Toronto time. The alerting detector
     * judged A1's paramedic days from 26 February (a quiet day with no count row; 27 February it did not judge),
     * alarming on 28 February, and EARS C1 alarmed on 1 March; it also judged 2 March, after the last day counted in
     * the city. Drug checking began in the week of 29 December (A2); A1's latest two weeks hold 10 samples, with
     * isotonitazene (watch list) first found in the city in the latest week.
     * The nowcast, as of 1 March: A1's paramedic calls of 1 March half in (5 so far, 10 expected), its last 7 days
     * 12 so far and 12.9 expected; A3's coroner reports too few in to say; A2's naloxone reports all in.
     */
    static final List<String> ROWS = List.of(
            "INSERT INTO areas VALUES ('A1', 'Alpha'), ('A2', 'Beta'), ('A3', 'Gamma'), ('A4', 'Delta')",
            "INSERT INTO area_shapes SELECT area_id, '{\"type\":\"Polygon\",\"coordinates\":[[[' || x || ',0],['"
                    + " || (x + 1) || ',0],[' || (x + 1) || ',1],[' || x || ',1],[' || x || ',0]]]}'"
                    + " FROM (VALUES ('A1', 0), ('A2', 1), ('A3', 2), ('A4', 3)) t(area_id, x)",
            "INSERT INTO area_counts VALUES"
                    + " ('day', '2026-03-01 00:00:00+00', 'A1', 'paramedic', 7, now()),"
                    + " ('day', '2026-03-02 00:00:00+00', 'A1', 'paramedic', 5, now()),"
                    + " ('hour', '2026-03-02 01:00:00+00', 'A1', 'paramedic', 2, now()),"
                    + " ('hour', '2026-03-02 03:00:00+00', 'A1', 'paramedic', 3, now()),"
                    + " ('day', '2026-03-02 00:00:00+00', 'A2', 'naloxone', 12, now()),"
                    + " ('day', '2026-03-02 00:00:00+00', 'A3', 'coroner', 2, now()),"
                    + " ('day', '2026-03-02 00:00:00+00', 'A3', 'combined', 9, now())",
            "INSERT INTO spikes VALUES"
                    + " ('S1', 'A1', 'paramedic', 'ears_c2', '2026-03-02 00:00:00+00', '2026-03-02 05:00:00+00', NULL,"
                    + "  '2026-03-02 00:00:00+00', '2026-03-02 06:00:00+00', 6, 0.5, 2.0, 4.1, 'high', 'updated',"
                    + "  '{\"method\":\"intraday_6h\",\"firings\":3,\"period\":\"6h\",\"expected\":0.5}',"
                    + "  '6 paramedic calls, usually 0.5')," 
                    + " ('S2', 'A2', 'naloxone', 'farrington', '2026-03-01 00:00:00+00', '2026-03-01 23:00:00+00',"
                    + "  '2026-03-01 23:00:00+00', '2026-03-01 00:00:00+00', '2026-03-02 00:00:00+00', 12, 4.0, 9.0, 2.5,"
                    + "  'moderate', 'closed', '{\"method\":\"farrington\",\"firings\":2}', '12 naloxone reports, usually 4')," 
                    + " ('S3', 'A3', 'combined', 'ears_c2', '2026-03-02 00:00:00+00', '2026-03-02 04:00:00+00', NULL,"
                    + "  '2026-03-02 00:00:00+00', '2026-03-02 06:00:00+00', 9, 3.0, 8.0, 1.2, 'low', 'opened', NULL,"
                    + "  '9 overdoses, usually 3'),"
                    + " ('S4', 'A2', 'paramedic', 'ears_c2', '2025-12-30 00:00:00+00', '2026-01-01 00:00:00+00',"
                    + "  '2026-01-01 00:00:00+00', '2025-12-30 00:00:00+00', '2025-12-31 00:00:00+00', 6, 1.0, 4.0, 3.0,"
                    + "  'high', 'closed', NULL, '6 paramedic calls, usually 1'),"
                    + " ('T1', 'A1', 'multi', 'toxicity_multisignal', '2025-12-20 10:00:00+00', '2025-12-22 10:00:00+00',"
                    + "  '2025-12-22 10:00:00+00', '2025-12-20 10:00:00+00', '2025-12-21 10:00:00+00', 6, 2.0, 5.0, 3.0,"
                    + "  'critical', 'closed', NULL, 'carfentanil found nearby and 6 overdoses, usually 2')",
            "INSERT INTO detector_alarms VALUES"
                    + " ('A1', 'paramedic', 'excessglr_alert', '2026-02-26', 0, 1.0, 3.0, false),"
                    + " ('A1', 'paramedic', 'excessglr_alert', '2026-02-28', 7, 2.5, 5.0, true),"
                    + " ('A1', 'paramedic', 'excessglr_alert', '2026-03-01', 5, 2.0, 6.0, false),"
                    + " ('A1', 'paramedic', 'earsC_C1', '2026-03-01', 5, 1.5, 4.0, true),"
                    + " ('A1', 'paramedic', 'excessglr_alert', '2026-03-02', 0, 1.5, 4.0, false),"
                    + " ('A1', 'naloxone', 'earsC_C1', '2026-03-01', 9, 1.0, 3.0, true)",
            "INSERT INTO nowcasts VALUES"
                    + " ('day', '2026-02-28', '2026-02-28', 'A1', 'paramedic', 7, 1.0, 7.0, 7, 7, '2026-03-01'),"
                    + " ('day', '2026-03-01', '2026-03-01', 'A1', 'paramedic', 5, 0.5, 10.0, 6, 17, '2026-03-01'),"
                    + " ('week', '2026-02-23', '2026-03-01', 'A1', 'paramedic', 12, 0.9286, 12.9, 12, 15, '2026-03-01'),"
                    + " ('day', '2026-03-01', '2026-03-01', 'A3', 'coroner', 2, 0.05, NULL, NULL, NULL, '2026-03-01'),"
                    + " ('week', '2026-02-23', '2026-03-01', 'A3', 'coroner', 2, 0.864, NULL, NULL, NULL, '2026-03-01'),"
                    + " ('week', '2026-02-23', '2026-03-01', 'A2', 'naloxone', 12, 1.0, 12.0, 12, 12, '2026-03-01')",
            "INSERT INTO drug_checking_samples VALUES ('A2', '2025-12-29', 3, now()), ('A1', '2026-02-16', 4, now()),"
                    + " ('A1', '2026-02-23', 6, now()), ('A2', '2026-02-23', 2, now())",
            "INSERT INTO substance_counts VALUES"
                    + " ('A2', '2025-12-29', 'fentanyl', NULL, 3, now()),"
                    + " ('A1', '2026-02-16', 'fentanyl', NULL, 3, now()),"
                    + " ('A1', '2026-02-23', 'fentanyl', NULL, 4, now()),"
                    + " ('A1', '2026-02-23', 'isotonitazene', 'nitazene', 2, now()),"
                    + " ('A1', '2026-02-23', 'other', NULL, 1, now()),"
                    + " ('A2', '2026-02-23', 'xylazine', 'xylazine', 1, now())");

    private PublishedDb() {}

    /**
     * Publishes a new snapshot the way the job does ({@code lookout.sink.DuckDbStore#publish}): a copy of the
     * published file changed by {@code statements} is written beside it and renamed over it in one step.
     */
    static void republish(Path db, String... statements) throws Exception {
        Path next = db.resolveSibling(db.getFileName() + ".publishing");
        Files.copy(db, next, StandardCopyOption.REPLACE_EXISTING);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + next.toAbsolutePath());
             Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
        Files.move(next, db, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static Path create(Path file) throws Exception {
        return create(file, ROWS);
    }

    /** The published tables holding {@code rows} instead of the four areas above. */
    static Path create(Path file, List<String> rows) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
             Statement s = c.createStatement()) {
            for (String sql : DDL) {
                s.execute(sql);
            }
            for (String sql : rows) {
                s.execute(sql);
            }
        }
        return file;
    }
}
