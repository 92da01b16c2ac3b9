package lookout.privacy;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import lookout.cli.UsageException;

/**
 * Writes a public release: per granularity a CSV file and a Parquet file (converted by DuckDB from the CSV, so
 * both hold exactly the same rows), a data dictionary, and the suppression policy with this release's figures.
 */
final class PublicReleaseWriter {
    static final String ALL_AREAS_NAME = "All areas";
    static final String HEADER = "signal,granularity,period_start,period_end,area_id,area_name,count,suppressed";

    private final Path out;
    private final Map<String, String> areaNames;

    PublicReleaseWriter(Path out, Map<String, String> areaNames) {
        this.out = out;
        this.areaNames = areaNames;
    }

    /** The files written, in order. */
    List<Path> write(PublicRelease release, int k, LocalDate first, LocalDate last) {
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(out);
            for (Granularity g : Granularity.values()) {
                Path csv = out.resolve("public_" + g.code() + ".csv");
                writeCsv(csv, rows(release, g));
                Path parquet = out.resolve("public_" + g.code() + ".parquet");
                toParquet(csv, parquet);
                files.add(csv);
                files.add(parquet);
            }
            Path dictionary = out.resolve("DATA_DICTIONARY.md");
            Files.writeString(dictionary, PublicTierText.dataDictionary(k), StandardCharsets.UTF_8);
            files.add(dictionary);
            Path policy = out.resolve("SUPPRESSION_POLICY.md");
            Files.writeString(policy, PublicTierText.suppressionPolicy(k, first, last, release.figures()), StandardCharsets.UTF_8);
            files.add(policy);
        } catch (IOException e) {
            throw new UsageException("cannot write the public release to " + out);
        }
        return files;
    }

    private List<PublicCell> rows(PublicRelease release, Granularity g) {
        List<String> areaOrder = new ArrayList<>(areaNames.keySet());
        areaOrder.add(PublicCell.ALL_AREAS);
        return release.cells().stream()
                .filter(c -> c.granularity() == g)
                .sorted(Comparator.comparing((PublicCell c) -> PublicRelease.PUBLIC_SIGNALS.indexOf(c.signal()))
                        .thenComparing(PublicCell::periodStart)
                        .thenComparing(c -> areaOrder.indexOf(c.areaId())))
                .toList();
    }

    private void writeCsv(Path file, List<PublicCell> cells) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.write('\n');
            for (PublicCell c : cells) {
                String name = c.areaId().equals(PublicCell.ALL_AREAS) ? ALL_AREAS_NAME : areaNames.get(c.areaId());
                w.write(String.join(",", c.signal(), c.granularity().code(), c.periodStart().toString(),
                        c.periodEnd().toString(), csv(c.areaId()), csv(name),
                        c.suppressed() ? "" : c.count().toString(), Boolean.toString(c.suppressed())));
                w.write('\n');
            }
        }
    }

    /** RFC 4180 quoting, only where needed. */
    private static String csv(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r") || value.isEmpty()) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    private static void toParquet(Path csv, Path parquet) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM read_csv(" + literal(csv) + ", header = true, quote = '\"', escape = '\"',"
                    + " nullstr = '', columns = {'signal': 'VARCHAR', 'granularity': 'VARCHAR', 'period_start': 'DATE',"
                    + " 'period_end': 'DATE', 'area_id': 'VARCHAR', 'area_name': 'VARCHAR', 'count': 'BIGINT',"
                    + " 'suppressed': 'BOOLEAN'})) TO " + literal(parquet) + " (FORMAT PARQUET)");
        } catch (SQLException e) {
            throw new UsageException("cannot write " + parquet + " with DuckDB");
        }
    }

    private static String literal(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
    }
}
