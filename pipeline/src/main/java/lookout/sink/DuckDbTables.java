package lookout.sink;

import java.util.List;

/**
 * The DuckDB tables Lookout writes. Published tables are copied into the file analysts read; the others are
 * the writer's own bookkeeping and never leave the writer's file.
 */
public final class DuckDbTables {
    /** Tables copied into the published snapshot, in creation order. */
    public static final List<String> PUBLISHED = List.of("areas", "area_counts", "dead_letters", "spikes", "detector_alarms");

    private DuckDbTables() {}

    /** CREATE statements for the published tables as the writer keeps them, keyed for its upserts. */
    static List<String> publishedDdl() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS areas (area_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL)",
                "CREATE TABLE IF NOT EXISTS area_counts ("
                        + "granularity VARCHAR NOT NULL, bucket_start TIMESTAMPTZ NOT NULL, area_id VARCHAR NOT NULL,"
                        + " signal VARCHAR NOT NULL, count BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL,"
                        + " PRIMARY KEY (granularity, bucket_start, area_id, signal))",
                "CREATE TABLE IF NOT EXISTS dead_letters ("
                        + "received_at TIMESTAMPTZ NOT NULL, source VARCHAR, reason VARCHAR NOT NULL,"
                        + " position VARCHAR NOT NULL, sha256 VARCHAR NOT NULL)",
                "CREATE TABLE IF NOT EXISTS spikes (spike_id VARCHAR PRIMARY KEY, area_id VARCHAR NOT NULL,"
                        + " signal VARCHAR NOT NULL, method VARCHAR NOT NULL, opened_at TIMESTAMPTZ NOT NULL,"
                        + " updated_at TIMESTAMPTZ NOT NULL, closed_at TIMESTAMPTZ, window_start TIMESTAMPTZ NOT NULL,"
                        + " window_end TIMESTAMPTZ NOT NULL, observed INTEGER, expected DOUBLE, threshold DOUBLE,"
                        + " score DOUBLE, severity VARCHAR NOT NULL, status VARCHAR NOT NULL, evidence JSON,"
                        + " explanation VARCHAR NOT NULL)",
                "CREATE TABLE IF NOT EXISTS detector_alarms (area_id VARCHAR NOT NULL, signal VARCHAR NOT NULL,"
                        + " method VARCHAR NOT NULL, day DATE NOT NULL, observed INTEGER NOT NULL, upperbound DOUBLE,"
                        + " alarm BOOLEAN NOT NULL, PRIMARY KEY (area_id, signal, method, day))");
    }

    static List<String> privateDdl() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS lookout_commits (run_id VARCHAR NOT NULL, sequence BIGINT NOT NULL,"
                        + " committed_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (run_id, sequence))",
                "CREATE TABLE IF NOT EXISTS staged_counts (granularity VARCHAR, bucket_start BIGINT, area_id VARCHAR,"
                        + " signal VARCHAR, delta BIGINT)",
                "CREATE TABLE IF NOT EXISTS staged_dead_letters (received_ms BIGINT, source VARCHAR, reason VARCHAR,"
                        + " position VARCHAR, sha256 VARCHAR)",
                "CREATE TABLE IF NOT EXISTS staged_spikes (spike_id VARCHAR, area_id VARCHAR, signal VARCHAR, method VARCHAR,"
                        + " opened_ms BIGINT, updated_ms BIGINT, closed_ms BIGINT, window_start_ms BIGINT, window_end_ms BIGINT,"
                        + " observed INTEGER, expected DOUBLE, threshold DOUBLE, score DOUBLE, severity VARCHAR, status VARCHAR,"
                        + " evidence VARCHAR, explanation VARCHAR)",
                "CREATE TABLE IF NOT EXISTS staged_alarms (area_id VARCHAR, signal VARCHAR, method VARCHAR, day VARCHAR,"
                        + " observed INTEGER, upperbound DOUBLE, alarm BOOLEAN)");
    }
}
