package lookout.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import lookout.demo.DemoStreamGenerator.CountKey;
import lookout.ingest.Source;
import lookout.testing.Db;

/**
 * The published DuckDB snapshot as rows to compare between runs: every table the streaming job fills, in a fixed
 * order, without the columns that record when a row was written.
 */
public final class Tables {
    private Tables() {}

    /**
     * Every row of the snapshot at {@code db} (read-only, as a reader opens it); empty before the first publication.
     * The combined signal is left out: the linker takes reports in arrival order, so where a linked pair counts, and
     * for a person with several reports in the linkage window which of them pair up, depends on how two topics
     * interleave and so differs between live runs (see {@code faults.PublishedTables}).
     */
    public static List<String> dump(Path db) throws Exception {
        List<String> rows = new ArrayList<>();
        if (!Files.exists(db)) {
            return rows;
        }
        rows.addAll(Db.query(db, "SELECT * FROM areas ORDER BY ALL"));
        rows.addAll(Db.query(db, "SELECT granularity, bucket_start, area_id, signal, count FROM area_counts"
                + " WHERE signal <> 'combined' ORDER BY ALL"));
        rows.addAll(Db.query(db, "SELECT source, reason FROM dead_letters ORDER BY ALL"));
        rows.addAll(Db.query(db, "SELECT * EXCLUDE (updated_at) FROM substance_counts ORDER BY ALL"));
        rows.addAll(Db.query(db, "SELECT * EXCLUDE (updated_at) FROM drug_checking_samples ORDER BY ALL"));
        rows.addAll(Db.query(db, "SELECT * EXCLUDE (updated_at) FROM reporting_delays WHERE signal <> 'combined'"
                + " ORDER BY ALL"));
        rows.addAll(Db.query(db, "SELECT * FROM nowcasts WHERE signal <> 'combined' ORDER BY ALL"));
        return rows;
    }

    /** The rows of {@code a} not in {@code b}, counting duplicates. */
    public static List<String> difference(List<String> a, List<String> b) {
        List<String> rest = new ArrayList<>(a);
        b.forEach(rest::remove);
        return rest;
    }

    /** The counts of {@code granularity} ("hour" or "day") of every signal but combined, as the generator's truth keys them. */
    public static Map<CountKey, Integer> counts(Path db, String granularity) throws Exception {
        Map<CountKey, Integer> counts = new HashMap<>();
        for (String row : Db.query(db, "SELECT signal, area_id, epoch(bucket_start)::BIGINT, count FROM area_counts"
                + " WHERE granularity = '" + granularity + "' AND signal <> 'combined'")) {
            String[] f = row.split("\\|");
            counts.put(new CountKey(Source.fromCode(f[0]).orElseThrow(), f[1], Instant.ofEpochSecond(Long.parseLong(f[2]))),
                    Integer.parseInt(f[3]));
        }
        return counts;
    }

    /** Total of the daily counts of every signal but combined: a quick measure of progress. */
    public static long dailyTotal(Path db) throws Exception {
        if (!Files.exists(db)) {
            return 0;
        }
        return Db.count(db, "SELECT coalesce(sum(count), 0) FROM area_counts WHERE granularity = 'day' AND signal <> 'combined'");
    }
}
