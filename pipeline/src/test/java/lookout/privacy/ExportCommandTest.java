package lookout.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.cli.UsageException;

class ExportCommandTest {
    private static final ZoneId TORONTO = ZoneId.of("America/Toronto");
    /** Paramedic counts of A01 and A02 for Monday 2026-06-01 to Sunday 2026-06-07. */
    private static final long[][] PARAMEDIC = {{6, 7, 2, 8, 9, 6, 7}, {5, 6, 7, 5, 0, 6, 8}};

    @TempDir
    Path tmp;

    private Path database(long[][] paramedic) throws Exception {
        Path db = tmp.resolve("snapshot.duckdb");
        Files.deleteIfExists(db);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE areas (area_id VARCHAR PRIMARY KEY, name VARCHAR)");
            st.execute("INSERT INTO areas VALUES ('A01', 'Alpha'), ('A02', 'Beta, North')");
            st.execute("CREATE TABLE area_counts (granularity VARCHAR, bucket_start TIMESTAMPTZ, area_id VARCHAR,"
                    + " signal VARCHAR, count BIGINT, updated_at TIMESTAMPTZ, PRIMARY KEY (granularity, bucket_start, area_id, signal))");
            st.execute("CREATE TABLE dead_letters (received_at TIMESTAMPTZ, source VARCHAR, reason VARCHAR, position VARCHAR, sha256 VARCHAR)");
            for (int a = 0; a < 2; a++) {
                for (int d = 0; d < 7; d++) {
                    if (paramedic[a][d] > 0) {
                        insert(st, "day", LocalDate.of(2026, 6, 1 + d), "A0" + (a + 1), "paramedic", paramedic[a][d]);
                    }
                }
            }
            insert(st, "day", LocalDate.of(2026, 6, 2), "A01", "coroner", 1);
            insert(st, "day", LocalDate.of(2026, 6, 2), "A01", "combined", 12);
            insert(st, "hour", LocalDate.of(2026, 6, 2), "A01", "paramedic", 3);
            insert(st, "day", LocalDate.of(2026, 6, 9), "A01", "paramedic", 40);
        }
        return db;
    }

    private static void insert(Statement st, String granularity, LocalDate day, String area, String signal, long count) throws Exception {
        String start = day.atStartOfDay(TORONTO).toOffsetDateTime().toString();
        st.execute("INSERT INTO area_counts VALUES ('" + granularity + "', '" + start + "', '" + area + "', '" + signal + "', "
                + count + ", TIMESTAMPTZ '2026-06-10 12:00:00+00')");
    }

    private String run(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = new ExportCommand().run(List.of(args), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesSuppressedCsvParquetDictionaryAndPolicy() throws Exception {
        Path db = database(PARAMEDIC);
        Path out = tmp.resolve("public");
        String summary = run("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--through", "2026-06-07");

        assertEquals("public release 2026-06-01..2026-06-07, k=5: 48 cells, 28 suppressed, 8 files in " + out + "\n"
                + "  paramedic: 24 cells, 2 below k, 0 kept from earlier releases, 2 to protect others\n"
                + "  coroner: 24 cells, 24 below k, 0 kept from earlier releases, 0 to protect others\n", summary);
        // The rectangle A01/A02 x June 3/June 5 hides A01's 2 and A02's 0: every row, column and week total still adds up.
        List<String> day = new ArrayList<>(List.of(PublicReleaseWriter.HEADER));
        long[] all = {11, 13, 9, 13, 9, 12, 15};
        for (int d = 0; d < 7; d++) {
            String date = LocalDate.of(2026, 6, 1 + d).toString();
            boolean hidden = d == 2 || d == 4;
            day.add("paramedic,day," + date + "," + date + ",A01,Alpha," + (hidden ? "," + true : PARAMEDIC[0][d] + ",false"));
            day.add("paramedic,day," + date + "," + date + ",A02,\"Beta, North\"," + (hidden ? "," + true : PARAMEDIC[1][d] + ",false"));
            day.add("paramedic,day," + date + "," + date + ",ALL,All areas," + all[d] + ",false");
        }
        for (int d = 0; d < 7; d++) {
            String date = LocalDate.of(2026, 6, 1 + d).toString();
            day.add("coroner,day," + date + "," + date + ",A01,Alpha,,true");
            day.add("coroner,day," + date + "," + date + ",A02,\"Beta, North\",,true");
            day.add("coroner,day," + date + "," + date + ",ALL,All areas,,true");
        }
        assertEquals(day, Files.readAllLines(out.resolve("public_day.csv")));
        assertEquals(List.of(PublicReleaseWriter.HEADER,
                        "paramedic,week,2026-06-01,2026-06-07,A01,Alpha,45,false",
                        "paramedic,week,2026-06-01,2026-06-07,A02,\"Beta, North\",37,false",
                        "paramedic,week,2026-06-01,2026-06-07,ALL,All areas,82,false",
                        "coroner,week,2026-06-01,2026-06-07,A01,Alpha,,true",
                        "coroner,week,2026-06-01,2026-06-07,A02,\"Beta, North\",,true",
                        "coroner,week,2026-06-01,2026-06-07,ALL,All areas,,true"),
                Files.readAllLines(out.resolve("public_week.csv")));
        assertEquals(List.of(PublicReleaseWriter.HEADER), Files.readAllLines(out.resolve("public_month.csv")));

        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*), count(count), sum(count), count(*) FILTER (suppressed),"
                        + " count(*) FILTER (suppressed AND count IS NULL), typeof(any_value(period_start)) FROM read_parquet('"
                        + out.resolve("public_day.parquet") + "')")) {
            rs.next();
            assertEquals(42, rs.getLong(1));
            assertEquals(17, rs.getLong(2));
            assertEquals(6 + 7 + 8 + 6 + 7 + 5 + 6 + 5 + 6 + 8 + 82, rs.getLong(3));
            assertEquals(25, rs.getLong(4));
            assertEquals(25, rs.getLong(5));
            assertEquals("DATE", rs.getString(6));
        }
        assertEquals(PublicTierText.dataDictionary(5), Files.readString(out.resolve("DATA_DICTIONARY.md")));
        String policy = Files.readString(out.resolve("SUPPRESSION_POLICY.md"));
        assertTrue(policy.contains("Minimum cell size k = 5. Release period 2026-06-01 to 2026-06-07."));
        assertTrue(policy.contains("| paramedic | 24 | 2 | 0 | 2 |\n| coroner | 24 | 24 | 0 | 0 |\n"));
        assertTrue(Files.exists(tmp.resolve(ExportCommand.LEDGER_FILE_NAME)));
    }

    @Test
    void aRevisedSnapshotKeepsEveryCellsStatus() throws Exception {
        Path out = tmp.resolve("public");
        run("--tier", "public", "--db", database(PARAMEDIC).toString(), "--out", out.toString(), "--through", "2026-06-07");
        List<String> before = Files.readAllLines(out.resolve("public_day.csv"));
        long[][] revised = {{6, 7, 2, 8, 9, 6, 7}, {5, 6, 9, 5, 3, 6, 8}};
        run("--tier", "public", "--db", database(revised).toString(), "--out", out.toString(), "--through", "2026-06-07");
        List<String> after = Files.readAllLines(out.resolve("public_day.csv"));
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i).endsWith("true"), after.get(i).endsWith("true"), after.get(i));
        }
        assertTrue(after.contains("paramedic,day,2026-06-03,2026-06-03,ALL,All areas,11,false"));
        assertTrue(after.contains("paramedic,day,2026-06-05,2026-06-05,A02,\"Beta, North\",,true"));
    }

    @Test
    void differentiallyPrivateCountsSpendTheBudgetAndNeverShowASmallCount() throws Exception {
        Path db = database(PARAMEDIC);
        Path out = tmp.resolve("public");
        String summary = run("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--through", "2026-06-07",
                "--dp-epsilon", "0.75", "--dp-budget", "1");
        assertTrue(summary.endsWith("  differentially private counts: epsilon 0.75, 0.75 of the budget 1 spent\n"), summary);
        List<String> day = Files.readAllLines(out.resolve("dp_day.csv"));
        assertEquals(PublicReleaseWriter.DP_HEADER, day.get(0));
        assertEquals(43, day.size());
        for (String line : day.subList(1, day.size())) {
            String[] f = line.replace("\"Beta, North\"", "Beta").split(",", -1);
            assertEquals(f[6].isEmpty(), f[7].equals("true"), line);
            assertTrue(f[6].isEmpty() || Long.parseLong(f[6]) >= 5, line);
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet('" + out.resolve("dp_week.parquet") + "')")) {
            rs.next();
            assertEquals(6, rs.getLong(1));
        }
        assertTrue(Files.readString(out.resolve("SUPPRESSION_POLICY.md")).contains("epsilon 0.75 of the budget 1 has now been spent"));
        assertEquals(new java.math.BigDecimal("0.75"), ReleaseLedger.readOrEmpty(tmp.resolve(ExportCommand.LEDGER_FILE_NAME)).dpEpsilonSpent());

        assertEquals("privacy budget exhausted: epsilon 0.75 of 1 already spent, this release asks 0.5",
                error("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--through", "2026-06-07",
                        "--dp-epsilon", "0.5", "--dp-budget", "1"));
        run("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--through", "2026-06-07",
                "--dp-epsilon", "0.25", "--dp-budget", "1");
        assertEquals(new java.math.BigDecimal("1.00"), ReleaseLedger.readOrEmpty(tmp.resolve(ExportCommand.LEDGER_FILE_NAME)).dpEpsilonSpent());
    }

    @Test
    void userErrorsAreOneReadableLine() throws Exception {
        Path db = database(PARAMEDIC);
        assertEquals("database file not found: " + tmp.resolve("missing.duckdb"), error("--tier", "public", "--db",
                tmp.resolve("missing.duckdb").toString(), "--out", tmp.toString()));
        assertEquals("unknown tier restricted: only the public tier is exported",
                error("--tier", "restricted", "--db", db.toString(), "--out", tmp.toString()));
        assertEquals("--tier is required (lookout export --tier public --db FILE --out DIR)",
                error("--db", db.toString(), "--out", tmp.toString()));
        assertEquals("--out DIR is required", error("--tier", "public", "--db", db.toString()));
        assertEquals("--k must be a whole number of at least 2", error("--tier", "public", "--k", "1"));
        assertEquals("--k needs a value", error("--tier", "public", "--k"));
        assertEquals("unknown option --format (see lookout export --help)", error("--format", "csv"));
        Path notLookout = tmp.resolve("other.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + notLookout); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (x INT)");
        }
        assertEquals(notLookout + " is not a Lookout database (no area_counts table)",
                error("--tier", "public", "--db", notLookout.toString(), "--out", tmp.toString()));
    }

    private String error(String... args) {
        return assertThrows(UsageException.class, () -> new ExportCommand().run(List.of(args),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))).getMessage();
    }
}
