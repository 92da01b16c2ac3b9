package lookout.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import lookout.kernel.Disclosure;
import lookout.release.PublicReleaseWriter.Row;

/**
 * The public tier's checks on one release as downloaded (file name to bytes), read the way a journalist would:
 * the CSV files through their header, the Parquet files through DuckDB.
 */
final class PublicDownloads {
    private static final List<String> GRANULARITIES = List.of("day", "week", "month");

    private final Map<String, byte[]> files;
    private final Path scratch;

    /** @param scratch a directory for the downloads' temporary copies */
    PublicDownloads(Map<String, byte[]> files, Path scratch) {
        this.files = files;
        this.scratch = scratch;
    }

    /** Every counts row of the release, days then weeks then months. */
    List<Row> rows() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String g : GRANULARITIES) {
            rows.addAll(csv(g));
        }
        return rows;
    }

    /**
     * No published count below k, only public signals, a count exactly where not suppressed, and each Parquet file
     * holding its CSV file's rows.
     */
    void check() throws Exception {
        for (Row r : rows()) {
            assertTrue(r.suppressed() || r.count() >= Disclosure.K, () -> "published below k: " + r);
            assertTrue(PublicRelease.PUBLIC_SIGNALS.contains(r.signal()), r.signal());
        }
        for (String g : GRANULARITIES) {
            assertEquals(csv(g).stream().map(PublicDownloads::text).toList(), parquet(g), "the Parquet file holds the CSV's rows: " + g);
        }
    }

    /** Every cell of {@code earlier} keeps its status in {@code later}: withheld stays withheld, published stays published. */
    static void requireStatusKept(List<Row> earlier, List<Row> later) {
        Map<ReleaseLedger.Key, Row> now = new HashMap<>();
        later.forEach(r -> now.put(r.key(), r));
        for (Row b : earlier) {
            Row a = now.get(b.key());
            assertTrue(a != null, () -> "a cell of the earlier release is missing: " + b);
            assertEquals(b.suppressed(), a.suppressed(), () -> "a cell changed status between releases: " + b);
        }
    }

    private List<Row> csv(String g) throws Exception {
        Path csv = Files.write(Files.createTempFile(scratch, "download", ".csv"), files.get("public_" + g + ".csv"));
        return PublicReleaseWriter.read(csv);
    }

    private List<String> parquet(String g) throws Exception {
        Path parquet = Files.write(Files.createTempFile(scratch, "download", ".parquet"), files.get("public_" + g + ".parquet"));
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT signal, period_start, area_id, area_name, count, suppressed FROM read_parquet('"
                     + parquet + "')")) {
            while (rs.next()) {
                long count = rs.getLong(5);
                boolean isNull = rs.wasNull();
                assertEquals(isNull, rs.getBoolean(6), "suppressed exactly when the count is empty");
                out.add(rs.getString(1) + "|" + rs.getDate(2).toLocalDate() + "|" + rs.getString(3) + "|" + rs.getString(4)
                        + "|" + (isNull ? null : count));
            }
        }
        return out;
    }

    private static String text(Row r) {
        return r.signal() + "|" + r.periodStart() + "|" + r.areaId() + "|" + r.areaName() + "|" + r.count();
    }
}
