package lookout.release;

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
import java.util.function.Function;

import lookout.kernel.UsageException;

/**
 * Writes a public release: per granularity a CSV file and a Parquet file (converted by DuckDB from the CSV, so
 * both hold exactly the same rows), a data dictionary, and the suppression policy with this release's figures.
 */
final class PublicReleaseWriter {
    static final String ALL_AREAS_NAME = "All areas";
    static final String HEADER = "signal,granularity,period_start,period_end,area_id,area_name,count,suppressed";
    static final String DP_HEADER = "signal,granularity,period_start,period_end,area_id,area_name,noisy_count,below_k";
    private static final String COLUMNS = "{'signal': 'VARCHAR', 'granularity': 'VARCHAR', 'period_start': 'DATE',"
            + " 'period_end': 'DATE', 'area_id': 'VARCHAR', 'area_name': 'VARCHAR', '%s': 'BIGINT', '%s': 'BOOLEAN'}";

    private final Path out;
    private final Map<String, String> areaNames;

    PublicReleaseWriter(Path out, Map<String, String> areaNames) {
        this.out = out;
        this.areaNames = areaNames;
    }

    /**
     * The files written, in order. {@code noisy} (differentially private counts) may be null; {@code dpNote} is
     * the policy's paragraph about them.
     */
    List<Path> write(PublicRelease release, int k, LocalDate first, LocalDate last, List<NoisyCounts.NoisyCell> noisy,
            String dpNote) {
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(out);
            for (Granularity g : Granularity.values()) {
                Path csv = out.resolve("public_" + g.code() + ".csv");
                writeCsv(csv, HEADER, rows(release.cells(), g, PublicCell::signal, PublicCell::granularity,
                        PublicCell::periodStart, PublicCell::areaId).stream()
                        .map(c -> line(c.signal(), c.granularity(), c.periodStart(), c.areaId(), c.count())).toList());
                Path parquet = out.resolve("public_" + g.code() + ".parquet");
                toParquet(csv, parquet, "count", "suppressed");
                files.add(csv);
                files.add(parquet);
            }
            if (noisy != null) {
                for (Granularity g : Granularity.values()) {
                    Path csv = out.resolve("dp_" + g.code() + ".csv");
                    writeCsv(csv, DP_HEADER, rows(noisy, g, NoisyCounts.NoisyCell::signal, NoisyCounts.NoisyCell::granularity,
                            NoisyCounts.NoisyCell::periodStart, NoisyCounts.NoisyCell::areaId).stream()
                            .map(c -> line(c.signal(), c.granularity(), c.periodStart(), c.areaId(), c.noisyCount())).toList());
                    Path parquet = out.resolve("dp_" + g.code() + ".parquet");
                    toParquet(csv, parquet, "noisy_count", "below_k");
                    files.add(csv);
                    files.add(parquet);
                }
            }
            Path dictionary = out.resolve("DATA_DICTIONARY.md");
            Files.writeString(dictionary, PublicTierText.dataDictionary(k), StandardCharsets.UTF_8);
            files.add(dictionary);
            Path policy = out.resolve("SUPPRESSION_POLICY.md");
            Files.writeString(policy, PublicTierText.suppressionPolicy(k, first, last, release.figures(), dpNote), StandardCharsets.UTF_8);
            files.add(policy);
        } catch (IOException e) {
            throw new UsageException("cannot write the public release to " + out);
        }
        return files;
    }

    private <C> List<C> rows(List<C> cells, Granularity g, Function<C, String> signal, Function<C, Granularity> granularity,
            Function<C, LocalDate> start, Function<C, String> area) {
        List<String> areaOrder = new ArrayList<>(areaNames.keySet());
        areaOrder.add(PublicCell.ALL_AREAS);
        return cells.stream()
                .filter(c -> granularity.apply(c) == g)
                .sorted(Comparator.comparing((C c) -> PublicRelease.PUBLIC_SIGNALS.indexOf(signal.apply(c)))
                        .thenComparing(start)
                        .thenComparing(c -> areaOrder.indexOf(area.apply(c))))
                .toList();
    }

    /** One row; a withheld value is an empty field with the flag column true. */
    private String line(String signal, Granularity g, LocalDate start, String area, Long value) {
        String name = area.equals(PublicCell.ALL_AREAS) ? ALL_AREAS_NAME : areaNames.get(area);
        return String.join(",", signal, g.code(), start.toString(), g.end(start).toString(), csv(area), csv(name),
                value == null ? "" : value.toString(), Boolean.toString(value == null));
    }

    private static void writeCsv(Path file, String header, List<String> lines) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(header);
            w.write('\n');
            for (String line : lines) {
                w.write(line);
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

    private static void toParquet(Path csv, Path parquet, String valueColumn, String flagColumn) {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM read_csv(" + literal(csv) + ", header = true, quote = '\"', escape = '\"',"
                    + " nullstr = '', columns = " + COLUMNS.formatted(valueColumn, flagColumn) + ")) TO " + literal(parquet)
                    + " (FORMAT PARQUET)");
        } catch (SQLException e) {
            throw new UsageException("cannot write " + parquet + " with DuckDB");
        }
    }

    private static String literal(Path p) {
        return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
    }
}
