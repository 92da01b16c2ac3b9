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
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import lookout.dashboards.ReleaseManifest;
import lookout.kernel.UsageException;
import lookout.kernel.WritableDirectory;

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
    private final ZoneId zone;

    /** @param zone the zone whose local days the counts are, named in the data dictionary */
    PublicReleaseWriter(Path out, Map<String, String> areaNames, ZoneId zone) {
        this.out = out;
        this.areaNames = areaNames;
        this.zone = zone;
    }

    /** A file written and what it holds; {@code granularity} is null for the texts. */
    record Written(Path path, ReleaseManifest.Kind kind, Granularity granularity) {}

    /** One row of a counts file as published: {@code count} is null when suppressed. */
    record Row(String signal, Granularity granularity, LocalDate periodStart, String areaId, String areaName, Long count) {
        ReleaseLedger.Key key() {
            return new ReleaseLedger.Key(signal, granularity, periodStart, areaId);
        }

        boolean suppressed() {
            return count == null;
        }
    }

    /**
     * Creates the output directory and a probe file in it, removed again, so a release that cannot be written is
     * refused before the ledger records it and spends its privacy budget.
     */
    void requireWritable() {
        try {
            WritableDirectory.probe(out);
        } catch (IOException e) {
            throw new UsageException("cannot write the public release to " + out);
        }
    }

    /**
     * The files written, in order. {@code pending} are the signals with no counts yet, for the data dictionary;
     * {@code noisy} (differentially private counts) may be null; {@code dpNote} is the policy's paragraph about them.
     */
    List<Written> write(PublicRelease release, List<ReleaseManifest.PendingSignal> pending, int k, LocalDate first,
            LocalDate last, List<NoisyCounts.NoisyCell> noisy, String dpNote) {
        List<Written> files = new ArrayList<>();
        try {
            Files.createDirectories(out);
            for (Granularity g : Granularity.values()) {
                Path csv = out.resolve("public_" + g.code() + ".csv");
                writeCsv(csv, HEADER, rows(release.cells(), g, PublicCell::signal, PublicCell::granularity,
                        PublicCell::periodStart, PublicCell::areaId).stream()
                        .map(c -> line(c.signal(), c.granularity(), c.periodStart(), c.areaId(), c.count())).toList());
                Path parquet = out.resolve("public_" + g.code() + ".parquet");
                toParquet(csv, parquet, "count", "suppressed");
                files.add(new Written(csv, ReleaseManifest.Kind.COUNTS, g));
                files.add(new Written(parquet, ReleaseManifest.Kind.COUNTS, g));
            }
            if (noisy != null) {
                for (Granularity g : Granularity.values()) {
                    Path csv = out.resolve("dp_" + g.code() + ".csv");
                    writeCsv(csv, DP_HEADER, rows(noisy, g, NoisyCounts.NoisyCell::signal, NoisyCounts.NoisyCell::granularity,
                            NoisyCounts.NoisyCell::periodStart, NoisyCounts.NoisyCell::areaId).stream()
                            .map(c -> line(c.signal(), c.granularity(), c.periodStart(), c.areaId(), c.noisyCount())).toList());
                    Path parquet = out.resolve("dp_" + g.code() + ".parquet");
                    toParquet(csv, parquet, "noisy_count", "below_k");
                    files.add(new Written(csv, ReleaseManifest.Kind.NOISY_COUNTS, g));
                    files.add(new Written(parquet, ReleaseManifest.Kind.NOISY_COUNTS, g));
                }
            }
            Path dictionary = out.resolve("DATA_DICTIONARY.md");
            Files.writeString(dictionary, PublicTierText.dataDictionary(k, zone, last, release.figures(), pending),
                    StandardCharsets.UTF_8);
            files.add(new Written(dictionary, ReleaseManifest.Kind.DICTIONARY, null));
            Path policy = out.resolve("SUPPRESSION_POLICY.md");
            Files.writeString(policy, PublicTierText.suppressionPolicy(k, first, last, release.figures(),
                    release.insiders() > 0, !release.unhidden().isEmpty(), dpNote), StandardCharsets.UTF_8);
            files.add(new Written(policy, ReleaseManifest.Kind.POLICY, null));
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

    /**
     * The rows of a counts CSV file this class wrote (RFC 4180: quoted fields may hold commas, quotes and line
     * breaks).
     *
     * @throws IOException when the file is unreadable or not a public counts file
     */
    static List<Row> read(Path csv) throws IOException {
        List<List<String>> records = parseCsv(Files.readString(csv, StandardCharsets.UTF_8));
        if (records.isEmpty() || !String.join(",", records.get(0)).equals(HEADER)) {
            throw new IOException(csv + " is not a public counts file");
        }
        List<Row> rows = new ArrayList<>();
        for (List<String> f : records.subList(1, records.size())) {
            try {
                if (f.size() != 8 || f.get(6).isEmpty() != f.get(7).equals("true")) {
                    throw new IllegalArgumentException("bad row");
                }
                rows.add(new Row(f.get(0), Granularity.valueOf(f.get(1).toUpperCase(Locale.ROOT)),
                        LocalDate.parse(f.get(2)), f.get(4), f.get(5), f.get(6).isEmpty() ? null : Long.parseLong(f.get(6))));
            } catch (IllegalArgumentException | DateTimeException e) {
                throw new IOException(csv + " has a damaged row");
            }
        }
        return rows;
    }

    private static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                records.add(fields);
                fields = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        return records;
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
    static String csv(String value) {
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
