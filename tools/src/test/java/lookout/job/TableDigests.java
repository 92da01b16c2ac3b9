package lookout.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import lookout.sink.DuckDbTables;

/**
 * A compact fingerprint of a backfill: the SHA-256 of each input file; per published table its row count, a SHA-256
 * over its rows sorted, and the sums of its numeric columns; plus totals a person can read (the backfill's summary,
 * counts per signal, alerts per signal and method). Two backfills of the same input must give equal digests.
 *
 * <p>Every column of every table in {@link DuckDbTables#PUBLISHED} is covered. Rows are rendered without anything
 * that depends on the machine: timestamps as epoch milliseconds (not in the reader's time zone), and a dead letter's
 * position relative to the input directory. Floating-point columns ({@code DOUBLE}) are left out of the hash
 * (only whether each is null goes in) and compared through their sums and sums of squares within
 * {@link #RELATIVE_TOLERANCE}: the baseline fits behind them are summed in another order since the weekday fit
 * (SeasonalBaseline.byWeekday), which changes their last digits (by at most 7e-14 of the value on the golden
 * year), never a count; and DuckDB sums a column in whatever order its threads take the rows, so two runs of the same
 * code already differ in a sum's last digits. The wall-clock columns
 * ({@code updated_at} of the counted tables, {@code received_at} of dead letters) are covered too: a backfill stamps
 * them with its input files' modification time, which {@link GoldenYear} fixes.
 */
final class TableDigests {
    /** How far a floating-point sum may stray, relative to its size (at least 1). */
    static final double RELATIVE_TOLERANCE = 1e-9;
    /** The prefix of the input files' digests. */
    private static final String INPUT = "input.";
    /** A digest line: {@code name = value} is compared exactly, {@code name ~ value} within the tolerance. */
    private static final Pattern LINE = Pattern.compile("(\\S+) ([=~]) (.*)");
    /** A line of the backfill's summary: a total ("  dead letters  1317") or, indented further, one of its reasons. */
    private static final Pattern SUMMARY = Pattern.compile("^  ( {2})?(\\S+(?: \\S+)?)\\s+(\\d+)$");

    private final Map<String, String> exact;
    private final Map<String, Double> approximate;

    private TableDigests(Map<String, String> exact, Map<String, Double> approximate) {
        this.exact = exact;
        this.approximate = approximate;
    }

    /**
     * The digests of the published file {@code db} written by a backfill of {@code inputDir}, whose summary (what
     * the command printed on stdout) was {@code summary}.
     */
    static TableDigests of(Path db, Path inputDir, String summary) throws SQLException, IOException {
        Map<String, String> exact = new LinkedHashMap<>();
        Map<String, Double> approximate = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(inputDir)) {
            for (Path f : files.sorted().toList()) {
                exact.put(INPUT + f.getFileName() + ".sha256", sha256(Files.readAllBytes(f)));
            }
        }
        for (String line : summary.split("\\R")) {
            Matcher m = SUMMARY.matcher(line);
            if (m.matches()) {
                exact.put("summary." + (m.group(1) == null ? "" : "dead_letters.") + m.group(2).replace(' ', '_'),
                        m.group(3));
            }
        }
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db.toAbsolutePath(), readOnly);
             Statement s = c.createStatement()) {
            String inputPrefix = inputDir.toAbsolutePath() + "/";
            for (String table : DuckDbTables.PUBLISHED) {
                digestTable(s, table, inputPrefix, exact, approximate);
            }
            totals(s, exact);
        }
        return new TableDigests(exact, approximate);
    }

    private static void digestTable(Statement s, String table, String inputPrefix, Map<String, String> exact,
            Map<String, Double> approximate) throws SQLException {
        List<String[]> columns = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_name = '" + table + "' ORDER BY ordinal_position")) {
            while (rs.next()) {
                columns.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalStateException("the published file has no table " + table);
        }
        List<String> rendered = new ArrayList<>();
        for (String[] col : columns) {
            rendered.add("coalesce(" + rendering(table, col[0], col[1], inputPrefix) + ", '\u2205')");
        }
        List<String> rows = new ArrayList<>();
        String select = "SELECT concat_ws('|', " + String.join(", ", rendered) + ") FROM " + table;
        try (ResultSet rs = s.executeQuery(select)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        rows.sort(null);
        exact.put(table + ".rows", Integer.toString(rows.size()));
        exact.put(table + ".sha256", sha256(rows));
        for (String[] col : columns) {
            String name = table + "." + col[0];
            if (isInteger(col[1])) {
                exact.put(name + ".sum", single(s, "SELECT coalesce(sum(" + col[0] + "), 0) FROM " + table));
            } else if (col[1].equals("DOUBLE")) {
                approximate.put(name + ".sum", Double.parseDouble(single(s, "SELECT coalesce(sum(" + col[0] + "), 0)"
                        + " FROM " + table)));
                approximate.put(name + ".sumsq", Double.parseDouble(single(s, "SELECT coalesce(sum(" + col[0]
                        + " * " + col[0] + "), 0) FROM " + table)));
            }
        }
    }

    /** A column as text that does not depend on the machine; a double only as whether it is null. */
    private static String rendering(String table, String column, String type, String inputPrefix) {
        if (type.equals("DOUBLE")) {
            return "CASE WHEN " + column + " IS NULL THEN NULL ELSE 'double' END";
        }
        if (type.startsWith("TIMESTAMP")) {
            return "CAST(epoch_ms(" + column + ") AS VARCHAR)";
        }
        if (table.equals("dead_letters") && column.equals("position")) {
            return "replace(position, '" + inputPrefix.replace("'", "''") + "', '')";
        }
        return "CAST(" + column + " AS VARCHAR)";
    }

    /** Totals a person can read: reports per signal and granularity, and alerts per signal, method and status. */
    private static void totals(Statement s, Map<String, String> exact) throws SQLException {
        for (String[] r : rows(s, "SELECT signal, granularity, sum(count) FROM area_counts GROUP BY ALL"
                + " ORDER BY ALL")) {
            exact.put("counted." + r[0] + "." + r[1], r[2]);
        }
        for (String[] r : rows(s, "SELECT reason, count(*) FROM dead_letters GROUP BY ALL ORDER BY ALL")) {
            exact.put("dead_letter." + r[0].replace(' ', '_'), r[1]);
        }
        for (String[] r : rows(s, "SELECT signal, method, status, count(*) FROM spikes GROUP BY ALL ORDER BY ALL")) {
            exact.put("alerts." + r[0] + "." + r[1] + "." + r[2], r[3]);
        }
        for (String[] r : rows(s, "SELECT signal, method, count(*) FILTER (WHERE alarm), count(*) FROM detector_alarms"
                + " GROUP BY ALL ORDER BY ALL")) {
            exact.put("alarms." + r[0] + "." + r[1], r[2] + " of " + r[3] + " days");
        }
    }

    private static List<String[]> rows(Statement s, String sql) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                String[] r = new String[n];
                for (int i = 0; i < n; i++) {
                    r[i] = rs.getString(i + 1);
                }
                out.add(r);
            }
        }
        return out;
    }

    private static String single(Statement s, String sql) throws SQLException {
        return rows(s, sql).get(0)[0];
    }

    private static boolean isInteger(String type) {
        return List.of("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT").contains(type);
    }

    private static String sha256(List<String> rows) {
        MessageDigest md = sha256();
        for (String r : rows) {
            md.update(r.getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digests as the lines of a digest file, in a fixed order. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        exact.forEach((k, v) -> lines.add(k + " = " + v));
        approximate.forEach((k, v) -> lines.add(k + " ~ " + v));
        return lines;
    }

    /** Digests read back from {@link #lines}; lines starting with # and blank lines are skipped. */
    static TableDigests parse(List<String> lines) throws IOException {
        Map<String, String> exact = new LinkedHashMap<>();
        Map<String, Double> approximate = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new IOException("not a digest line: " + line);
            }
            if (m.group(2).equals("=")) {
                exact.put(m.group(1), m.group(3));
            } else {
                approximate.put(m.group(1), Double.parseDouble(m.group(3)));
            }
        }
        return new TableDigests(exact, approximate);
    }

    /**
     * The input files' digests that differ from {@code expected}'s: when the input is not the one the expected
     * digests were made from, comparing the tables says nothing.
     */
    List<String> inputDifferencesFrom(TableDigests expected) {
        return differencesFrom(expected).stream().filter(d -> d.startsWith(INPUT)).toList();
    }

        /** Every digest that differs from {@code expected}'s, one line each; empty when all agree. */
    List<String> differencesFrom(TableDigests expected) {
        List<String> problems = new ArrayList<>();
        expected.exact.forEach((k, v) -> {
            String mine = exact.get(k);
            if (!v.equals(mine)) {
                problems.add(k + ": expected " + v + ", got " + mine);
            }
        });
        exact.keySet().stream().filter(k -> !expected.exact.containsKey(k))
                .forEach(k -> problems.add(k + ": not expected, got " + exact.get(k)));
        expected.approximate.forEach((k, v) -> {
            Double mine = approximate.get(k);
            if (mine == null || Math.abs(mine - v) > RELATIVE_TOLERANCE * Math.max(1, Math.abs(v))) {
                problems.add(k + ": expected " + v + " (within a relative " + RELATIVE_TOLERANCE + "), got " + mine);
            }
        });
        approximate.keySet().stream().filter(k -> !expected.approximate.containsKey(k))
                .forEach(k -> problems.add(k + ": not expected, got " + approximate.get(k)));
        return problems;
    }
}
