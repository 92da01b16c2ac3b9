package lookout.release;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
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
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.UsageException;

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
            st.execute("CREATE TABLE dead_letters (received_at TIMESTAMPTZ, source VARCHAR, reason VARCHAR, position VARCHAR)");
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

    /**
     * A June 2026 snapshot (updated 2026-07-02) with paramedic counts per area and day: two busy areas and A03, a
     * small one with five events in the month. A03's day cells are all below k; its month (5) is published.
     */
    private Path june(long extraOnJune6InA03) throws Exception {
        Path db = tmp.resolve("june.duckdb");
        Files.deleteIfExists(db);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE areas (area_id VARCHAR PRIMARY KEY, name VARCHAR)");
            st.execute("INSERT INTO areas VALUES ('A01', 'Alpha'), ('A02', 'Beta'), ('A03', 'Gamma')");
            st.execute("CREATE TABLE area_counts (granularity VARCHAR, bucket_start TIMESTAMPTZ, area_id VARCHAR,"
                    + " signal VARCHAR, count BIGINT, updated_at TIMESTAMPTZ, PRIMARY KEY (granularity, bucket_start, area_id, signal))");
            for (int d = 1; d <= 30; d++) {
                LocalDate day = LocalDate.of(2026, 6, d);
                insert(st, "day", day, "A01", "paramedic", 8 + (d * 7) % 5, "2026-07-02 12:00:00+00");
                insert(st, "day", day, "A02", "paramedic", 6 + (d * 3) % 4, "2026-07-02 12:00:00+00");
            }
            for (int d : new int[] {6, 10, 17, 24}) {
                long n = (d == 10 ? 2 : 1) + (d == 6 ? extraOnJune6InA03 : 0);
                insert(st, "day", LocalDate.of(2026, 6, d), "A03", "paramedic", n, "2026-07-02 12:00:00+00");
            }
        }
        return db;
    }

    private static void insert(Statement st, String granularity, LocalDate day, String area, String signal, long count,
            String updatedAt) throws Exception {
        String start = day.atStartOfDay(TORONTO).toOffsetDateTime().toString();
        st.execute("INSERT INTO area_counts VALUES ('" + granularity + "', '" + start + "', '" + area + "', '" + signal + "', "
                + count + ", TIMESTAMPTZ '" + updatedAt + "')");
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
        String summary = run("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--through",
                "2026-06-07", "--coroner-lag", "0");

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
        assertTrue(Files.readString(out.resolve("DATA_DICTIONARY.md"))
                .startsWith("# Lookout public counts: data dictionary\n"));
        String policy = Files.readString(out.resolve("SUPPRESSION_POLICY.md"));
        assertTrue(policy.contains("Minimum cell size k = 5. Release period 2026-06-01 to 2026-06-07."));
        assertTrue(policy.contains("4. Signals. The source signals (`paramedic`, `coroner`, `naloxone` and"
                + " `drug_checking`) are published. The `combined` signal, which counts `paramedic` and `naloxone`"
                + " together,\n"), policy);
        // Two of paramedic's four withheld cells are below k, but the file must not say which or how many: with the
        // all-areas total published, "both withheld cells of this day are below k" can pin them.
        assertTrue(policy.contains("| signal | cells | withheld |\n|---|---|---|\n| paramedic | 24 | 4 |\n"
                + "| coroner | 24 | 24 |\n"), policy);
        assertEquals(List.of(4L, 24L), List.of(withheldRows(out, "paramedic"), withheldRows(out, "coroner")),
                "the policy's figures are the withheld rows the files themselves show, and no more");
        assertTrue(policy.contains("## What withholding cannot protect\n\n"
                + "- Counts of k or more can still point at a place"),
                policy);
        assertTrue(Files.exists(tmp.resolve(ExportCommand.LEDGER_FILE_NAME)));
    }

    private static long withheldRows(Path out, String signal) throws Exception {
        long rows = 0;
        for (String file : List.of("public_day.csv", "public_week.csv", "public_month.csv")) {
            rows += Files.readAllLines(out.resolve(file)).stream()
                    .filter(line -> line.startsWith(signal + ",") && line.endsWith(",true")).count();
        }
        return rows;
    }

    /** The dictionary names the zone whose days this release counts, not the default a reader would have to assume. */
    @Test
    void theDataDictionaryNamesTheZoneOfTheReleasesDays() throws Exception {
        Path out = tmp.resolve("public");
        Path db = database(PARAMEDIC);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement st = c.createStatement()) {
            // The same counts, counted in Vancouver's days, which begin three hours after Toronto's.
            st.execute("UPDATE area_counts SET bucket_start = bucket_start + INTERVAL 3 HOUR");
        }
        run("--tier", "public", "--db", db.toString(), "--out", out.toString(),
                "--through", "2026-06-07", "--zone", "America/Vancouver");
        String dictionary = Files.readString(out.resolve("DATA_DICTIONARY.md"));
        assertTrue(dictionary.contains(
                "\nEvents are counted by the local day in America/Vancouver on which they occurred. "), dictionary);
        assertFalse(dictionary.contains("America/Toronto"), dictionary);
    }

    /**
     * A journalist reading the weekly coroner counts learns what they count and, when they run to the release's last
     * day (no lag), that the latest weeks' are incomplete for good, not a fall in deaths.
     */
    @Test
    void theDataDictionarySaysWhatCoronerCountsAreAndThatTheLatestWeeksStayIncomplete() throws Exception {
        Path out = tmp.resolve("public");
        run("--tier", "public", "--db", database(PARAMEDIC).toString(), "--out", out.toString(),
                "--through", "2026-06-07", "--coroner-lag", "0");
        String dictionary = Files.readString(out.resolve("DATA_DICTIONARY.md")).replaceAll("\\s+", " ");
        assertTrue(dictionary.contains("`coroner` (suspected overdose deaths reported by the coroner or medical"
                + " examiner)"), dictionary);
        assertTrue(dictionary.contains("Coroner reports come weeks after a death, so the coroner counts of the latest"
                + " weeks are far from complete when first released, and most of their days are withheld and keep that"
                + " count in every later week, month and all-areas total: fewer deaths in the latest weeks is not a"
                + " fall in deaths."), dictionary);
    }

    /**
     * Late reports in a published area-day (A01, June 1: 6 to 8) revise it and every total above it; late reports
     * in suppressed ones (A02, June 3: 7 to 9 and June 5: 0 to 3) move no published number.
     */
    @Test
    void aRevisedSnapshotKeepsEveryCellsStatusAndRevisesTotalsOnlyThroughPublishedCells() throws Exception {
        Path out = tmp.resolve("public");
        run("--tier", "public", "--db", database(PARAMEDIC).toString(), "--out", out.toString(), "--through", "2026-06-07");
        List<String> before = Files.readAllLines(out.resolve("public_day.csv"));
        long[][] revised = {{8, 7, 2, 8, 9, 6, 7}, {5, 6, 9, 5, 3, 6, 8}};
        run("--tier", "public", "--db", database(revised).toString(), "--out", out.toString(), "--through", "2026-06-07");
        List<String> after = Files.readAllLines(out.resolve("public_day.csv"));
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i).endsWith("true"), after.get(i).endsWith("true"), after.get(i));
        }
        assertTrue(after.contains("paramedic,day,2026-06-01,2026-06-01,A01,Alpha,8,false"));
        assertTrue(after.contains("paramedic,day,2026-06-01,2026-06-01,ALL,All areas,13,false"));
        assertTrue(after.contains("paramedic,day,2026-06-03,2026-06-03,ALL,All areas,9,false"));
        assertTrue(after.contains("paramedic,day,2026-06-05,2026-06-05,ALL,All areas,9,false"));
        assertTrue(after.contains("paramedic,day,2026-06-05,2026-06-05,A02,\"Beta, North\",,true"));
        assertEquals(List.of(PublicReleaseWriter.HEADER,
                        "paramedic,week,2026-06-01,2026-06-07,A01,Alpha,47,false",
                        "paramedic,week,2026-06-01,2026-06-07,A02,\"Beta, North\",37,false",
                        "paramedic,week,2026-06-01,2026-06-07,ALL,All areas,84,false"),
                Files.readAllLines(out.resolve("public_week.csv")).subList(0, 4));
    }

    /**
     * A snapshot of June and, if {@code through} is later, July 2026, counted through {@code through}: paramedic
     * counts as in {@link #june} (A03's days small and withheld) and 5 to 7 coroner deaths an area-day
     * ({@link #deaths}), of which only {@link #deaths} minus 3 (2 to 4, all withheld) are reported yet for the last
     * 14 days: their other deaths are reported later.
     */
    private Path coronerSnapshot(String name, LocalDate through) throws Exception {
        Path db = tmp.resolve(name);
        String updated = through.plusDays(2) + " 12:00:00+00";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE areas (area_id VARCHAR PRIMARY KEY, name VARCHAR)");
            st.execute("INSERT INTO areas VALUES ('A01', 'Alpha'), ('A02', 'Beta'), ('A03', 'Gamma')");
            st.execute("CREATE TABLE area_counts (granularity VARCHAR, bucket_start TIMESTAMPTZ, area_id VARCHAR,"
                    + " signal VARCHAR, count BIGINT, updated_at TIMESTAMPTZ,"
                    + " PRIMARY KEY (granularity, bucket_start, area_id, signal))");
            for (LocalDate day = JUNE_1; !day.isAfter(through); day = day.plusDays(1)) {
                int d = (int) ChronoUnit.DAYS.between(JUNE_1, day) + 1;
                insert(st, "day", day, "A01", "paramedic", 8 + (d * 7) % 5, updated);
                insert(st, "day", day, "A02", "paramedic", 6 + (d * 3) % 4, updated);
                if (d % 7 == 3) {
                    insert(st, "day", day, "A03", "paramedic", 1 + d % 2, updated);
                }
                boolean complete = day.isBefore(through.minusDays(13));
                for (int a = 0; a < 3; a++) {
                    insert(st, "day", day, "A0" + (a + 1), "coroner", deaths(a, day) - (complete ? 0 : 3), updated);
                }
            }
        }
        return db;
    }

    private static final LocalDate JUNE_1 = LocalDate.of(2026, 6, 1);

    /** The deaths in area {@code a} (0 for A01) on {@code day} once all are reported: 5 to 7, 18 in all areas. */
    private static int deaths(int a, LocalDate day) {
        return 5 + (int) (ChronoUnit.DAYS.between(JUNE_1, day) + a) % 3;
    }

    /** The coroner rows a release holds of its every day from June 1 to {@code last}, all published. */
    private static List<String> coronerDays(LocalDate last) {
        List<String> rows = new ArrayList<>();
        for (LocalDate day = JUNE_1; !day.isAfter(last); day = day.plusDays(1)) {
            for (int a = 0; a < 3; a++) {
                rows.add("coroner,day," + day + "," + day + ",A0" + (a + 1) + ","
                        + List.of("Alpha", "Beta", "Gamma").get(a) + "," + deaths(a, day) + ",false");
            }
            rows.add("coroner,day," + day + "," + day + ",ALL,All areas,18,false");
        }
        return rows;
    }

    /** The coroner rows of {@code file} (a counts CSV file). */
    private static List<String> coronerRows(Path file) throws Exception {
        return Files.readAllLines(file).stream().filter(l -> l.startsWith("coroner,")).toList();
    }

    /**
     * The coroner counts end 14 days (--coroner-lag 14) before the release's last day, so the days whose deaths are
     * not all reported yet are left to the next release, which publishes them with every late report in: June's
     * month has all 540 deaths. Published at once (--coroner-lag 0), the same days are withheld with their first
     * counts, which they keep in every later total: the same two releases' June would have 126 deaths fewer.
     */
    @Test
    void theCoronerCountsEndALagBeforeTheLastDaySoTheirDaysArePublishedWithTheirLateReports() throws Exception {
        Path june = coronerSnapshot("june.duckdb", LocalDate.of(2026, 6, 30));
        Path july = coronerSnapshot("july.duckdb", LocalDate.of(2026, 7, 14));
        Path out1 = tmp.resolve("release-1");
        Path out2 = tmp.resolve("release-2");
        Path ledger = tmp.resolve("ledger.csv");
        String summary = run("--tier", "public", "--db", june.toString(), "--out", out1.toString(), "--ledger",
                ledger.toString(), "--coroner-lag", "14");

        assertEquals("public release 2026-06-01..2026-06-30, k=5: 212 cells, 68 suppressed, 8 files in " + out1 + "\n"
                + "  paramedic: 140 cells, 34 below k, 0 kept from earlier releases, 34 to protect others\n"
                + "  coroner: 72 cells, 0 below k, 0 kept from earlier releases, 0 to protect others\n"
                + "  coroner counts to 2026-06-16, 14 days before 2026-06-30 (--coroner-lag 14): later deaths are still"
                + " being reported\n", summary);
        assertEquals(coronerDays(LocalDate.of(2026, 6, 16)), coronerRows(out1.resolve("public_day.csv")));
        assertEquals(List.of("coroner,week,2026-06-01,2026-06-07,A01,Alpha,41,false",
                "coroner,week,2026-06-01,2026-06-07,A02,Beta,42,false",
                "coroner,week,2026-06-01,2026-06-07,A03,Gamma,43,false",
                "coroner,week,2026-06-01,2026-06-07,ALL,All areas,126,false",
                "coroner,week,2026-06-08,2026-06-14,A01,Alpha,42,false",
                "coroner,week,2026-06-08,2026-06-14,A02,Beta,43,false",
                "coroner,week,2026-06-08,2026-06-14,A03,Gamma,41,false",
                "coroner,week,2026-06-08,2026-06-14,ALL,All areas,126,false"),
                coronerRows(out1.resolve("public_week.csv")));
        assertEquals(List.of(), coronerRows(out1.resolve("public_month.csv")), "June is not over for the coroner");
        assertTrue(Files.readString(out1.resolve("SUPPRESSION_POLICY.md")).contains("Release period 2026-06-01 to"
                + " 2026-06-30. Coroner counts to 2026-06-16 (14 days earlier): coroner reports come weeks or months"
                + " after a death"));
        assertTrue(Files.readString(out1.resolve("DATA_DICTIONARY.md")).replaceAll("\\s+", " ").contains("so a day's"
                + " coroner counts are first published only once most of its reports are in: in this release they run"
                + " to 2026-06-16, 14 days before its last day, and later deaths are still being reported."));

        run("--tier", "public", "--db", july.toString(), "--out", out2.toString(), "--ledger", ledger.toString(),
                "--coroner-lag", "14");
        assertEquals(coronerDays(LocalDate.of(2026, 6, 30)), coronerRows(out2.resolve("public_day.csv")),
                "June 17 to 30 with every late report");
        assertEquals(List.of("2026-06-01", "2026-06-08", "2026-06-15", "2026-06-22"),
                coronerRows(out2.resolve("public_week.csv")).stream().map(l -> l.split(",")[2]).distinct().toList());
        assertEquals(List.of("coroner,month,2026-06-01,2026-06-30,A01,Alpha,180,false",
                "coroner,month,2026-06-01,2026-06-30,A02,Beta,180,false",
                "coroner,month,2026-06-01,2026-06-30,A03,Gamma,180,false",
                "coroner,month,2026-06-01,2026-06-30,ALL,All areas,540,false"),
                coronerRows(out2.resolve("public_month.csv")));

        Path ledger0 = tmp.resolve("ledger-0.csv");
        run("--tier", "public", "--db", june.toString(), "--out", tmp.resolve("at-once-1").toString(), "--ledger",
                ledger0.toString(), "--coroner-lag", "0");
        Path atOnce = tmp.resolve("at-once-2");
        run("--tier", "public", "--db", july.toString(), "--out", atOnce.toString(), "--ledger", ledger0.toString(),
                "--coroner-lag", "0");
        assertTrue(coronerRows(atOnce.resolve("public_month.csv"))
                .contains("coroner,month,2026-06-01,2026-06-30,ALL,All areas," + (540 - 126) + ",false"));
    }

    /** The coroner's lag changes no cell of another signal, and a lag that leaves it no day yet says so. */
    @Test
    void theOtherSignalsAreTheSameWhateverTheCoronerLag() throws Exception {
        Path db = coronerSnapshot("june.duckdb", LocalDate.of(2026, 6, 30));
        Map<String, List<String>> paramedic = new java.util.TreeMap<>();
        for (String lag : List.of("0", "14", "91")) {
            Path out = tmp.resolve("lag-" + lag);
            String summary = run("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--ledger",
                    tmp.resolve("ledger-" + lag + ".csv").toString(), "--coroner-lag", lag);
            List<String> rows = new ArrayList<>();
            for (Granularity g : Granularity.values()) {
                rows.addAll(Files.readAllLines(out.resolve("public_" + g.code() + ".csv")).stream()
                        .filter(l -> l.startsWith("paramedic,")).toList());
            }
            paramedic.put(lag, rows);
            if (lag.equals("91")) {
                assertTrue(summary.endsWith("  paramedic: 140 cells, 34 below k, 0 kept from earlier releases, 34 to"
                        + " protect others\n  coroner: no counts yet: --coroner-lag 91 ends them on 2026-03-31, before"
                        + " the period's first day\n"), summary);
                assertEquals(List.of(), coronerRows(out.resolve("public_day.csv")));
                assertTrue(Files.readString(out.resolve("DATA_DICTIONARY.md")).contains(" This release has no counts of"
                        + " suspected overdose deaths yet: their reports come weeks or months late, so each day's count"
                        + " is published 91 days after it, once most reports are in. They will appear in releases of"
                        + " counts through 31 August 2026 and later.\n"));
            }
        }
        assertEquals(140, paramedic.get("0").size());
        assertEquals(paramedic.get("0"), paramedic.get("14"));
        assertEquals(paramedic.get("0"), paramedic.get("91"));
        run("--tier", "public", "--db", db.toString(), "--out", tmp.resolve("default").toString(), "--ledger",
                tmp.resolve("ledger-default.csv").toString());
        assertEquals(Files.readAllLines(tmp.resolve("lag-91").resolve("public_day.csv")),
                Files.readAllLines(tmp.resolve("default").resolve("public_day.csv")), "the default lag is 91 days");
    }

    /**
     * A longer lag than the earlier releases' keeps the coroner days they published: a release covers every earlier
     * one of its ledger, so the coroner's period never shrinks.
     */
    @Test
    void aLongerCoronerLagKeepsTheDaysEarlierReleasesPublished() throws Exception {
        Path ledger = tmp.resolve("ledger.csv");
        run("--tier", "public", "--db", coronerSnapshot("june.duckdb", LocalDate.of(2026, 6, 30)).toString(), "--out",
                tmp.resolve("release-1").toString(), "--ledger", ledger.toString(), "--coroner-lag", "14");
        Path out = tmp.resolve("release-2");
        String summary = run("--tier", "public", "--db", coronerSnapshot("july.duckdb", LocalDate.of(2026, 7, 14))
                .toString(), "--out", out.toString(), "--ledger", ledger.toString(), "--coroner-lag", "30");
        assertTrue(summary.contains("\n  coroner counts to 2026-06-16, 28 days before 2026-07-14: earlier releases"
                + " published them that far, beyond --coroner-lag 30\n"), summary);
        assertEquals(coronerDays(LocalDate.of(2026, 6, 16)), coronerRows(out.resolve("public_day.csv")));
    }

    /**
     * The snapshot's reporting triangle (reporting_delays, as the pipeline publishes it) says how long the coroner's
     * reports take: a lag shorter than the age by which 95 % of a day's are in is warned about, in the summary only.
     */
    @Test
    void aCoronerLagShorterThanTheSnapshotsReportingDelaysIsWarnedAbout() throws Exception {
        Path db = coronerSnapshot("june.duckdb", LocalDate.of(2026, 6, 30));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE reporting_delays (signal VARCHAR, occurred_day DATE, reported_day DATE,"
                    + " reports BIGINT, updated_at TIMESTAMPTZ)");
            for (LocalDate day = JUNE_1; day.isBefore(LocalDate.of(2026, 6, 11)); day = day.plusDays(1)) {
                st.execute("INSERT INTO reporting_delays VALUES ('coroner', DATE '" + day + "', DATE '"
                        + day.plusDays(20) + "', 5, now()), ('paramedic', DATE '" + day + "', DATE '" + day.plusDays(40)
                        + "', 5, now())");
            }
        }
        String warned = run("--tier", "public", "--db", db.toString(), "--out", tmp.resolve("lag-14").toString(),
                "--ledger", tmp.resolve("ledger-14.csv").toString(), "--coroner-lag", "14");
        assertTrue(warned.endsWith("(--coroner-lag 14): later deaths are still being reported\n  warning: in this"
                + " snapshot 95 % of a day's coroner reports are in only 20 days after it, later than --coroner-lag 14:"
                + " its latest coroner days published stay short of their deaths in every later total\n"), warned);
        String quiet = run("--tier", "public", "--db", db.toString(), "--out", tmp.resolve("lag-20").toString(),
                "--ledger", tmp.resolve("ledger-20.csv").toString(), "--coroner-lag", "20");
        assertFalse(quiet.contains("warning"), quiet);
        assertFalse(Files.readString(tmp.resolve("lag-14").resolve("SUPPRESSION_POLICY.md")).contains("95 %"),
                "the reporting delays are restricted: the release does not tell them");
    }

    @Test
    void aCoronerLagOutOfRangeIsOneLineAndWritesNothing() throws Exception {
        Path db = coronerSnapshot("june.duckdb", LocalDate.of(2026, 6, 30));
        Path out = tmp.resolve("public");
        for (String lag : List.of("-1", "366", "two weeks", "1.5")) {
            assertEquals("--coroner-lag must be a whole number of days from 0 to 365",
                    error("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--coroner-lag", lag));
        }
        assertEquals("--coroner-lag needs a value", error("--tier", "public", "--coroner-lag"));
        assertFalse(Files.exists(tmp.resolve(ExportCommand.LEDGER_FILE_NAME)));
        assertFalse(Files.exists(out));
        run("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--coroner-lag", "365");
    }

    /**
     * Issue 9, "differencing across releases": export, add one event to a small suppressed area-day, export again
     * with the ledger. Before the rule, the all-areas day total went 19 to 20, its week and month +1 and the area's
     * month 5 to 6 while every published day cell of the area stayed the same, which showed that the suppressed
     * cell (A03, June 6) holds at least one event. Now no published number may move, and an attacker holding both
     * releases (knowing only that late reports add events) cannot tell that any suppressed cell changed.
     */
    @Test
    void aLateEventInASuppressedAreaDayChangesNoPublishedNumber() throws Exception {
        Path out1 = tmp.resolve("release-1");
        Path out2 = tmp.resolve("release-2");
        Path ledger = tmp.resolve("ledger.csv");
        run("--tier", "public", "--db", june(0).toString(), "--out", out1.toString(), "--ledger", ledger.toString());
        List<String> day1 = Files.readAllLines(out1.resolve("public_day.csv"));
        assertTrue(day1.contains("paramedic,day,2026-06-06,2026-06-06,ALL,All areas,19,false"), String.join("\n", day1));
        assertTrue(day1.contains("paramedic,day,2026-06-06,2026-06-06,A03,Gamma,,true"));
        assertTrue(Files.readAllLines(out1.resolve("public_month.csv"))
                .contains("paramedic,month,2026-06-01,2026-06-30,A03,Gamma,5,false"));

        run("--tier", "public", "--db", june(1).toString(), "--out", out2.toString(), "--ledger", ledger.toString());

        DifferencingAuditor auditor = new DifferencingAuditor(List.of("A01", "A02", "A03"), LocalDate.of(2026, 6, 1),
                LocalDate.of(2026, 6, 30));
        auditor.addEarlier(publicCells(out1));
        auditor.addLater(publicCells(out2));
        assertEquals(List.of(), auditor.disclosures());
        for (String g : List.of("day", "week", "month")) {
            assertEquals(Files.readAllLines(out1.resolve("public_" + g + ".csv")),
                    Files.readAllLines(out2.resolve("public_" + g + ".csv")), g);
        }
    }

    /** The public cells of an export folder, read back from its CSV files as an attacker would. */
    private static List<PublicCell> publicCells(Path dir) throws Exception {
        List<PublicCell> cells = new ArrayList<>();
        for (Granularity g : Granularity.values()) {
            for (String line : Files.readAllLines(dir.resolve("public_" + g.code() + ".csv")).stream().skip(1).toList()) {
                String[] f = line.replaceAll("\"[^\"]*\"", "name").split(",", -1);
                cells.add(new PublicCell(f[0], g, LocalDate.parse(f[2]), f[4], f[6].isEmpty() ? null : Long.parseLong(f[6])));
            }
        }
        return cells;
    }

    /**
     * Issue 9: one count on 1970-01-01 made the release period start there (the export ran for more than 29 minutes)
     * and one in year 0001 ran it out of memory. Counts dated before the earliest plausible event date are left
     * out and counted; the release is exactly the one without them.
     */
    @Test
    void countsBefore2000AreLeftOutAndCountedAndCannotStretchTheReleasePeriod() throws Exception {
        Path db = database(PARAMEDIC);
        Path plain = tmp.resolve("without-them");
        run("--tier", "public", "--db", db.toString(), "--out", plain.toString(), "--through", "2026-06-07",
                "--ledger", tmp.resolve("plain-ledger.csv").toString(), "--coroner-lag", "0");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement st = c.createStatement()) {
            st.execute("INSERT INTO area_counts VALUES ('day', TIMESTAMPTZ '1970-01-01 05:00:00+00', 'A01', 'paramedic', 1,"
                    + " TIMESTAMPTZ '2026-06-10 12:00:00+00'), ('day', TIMESTAMPTZ '0001-01-01 12:00:00+00', 'A02', 'coroner', 3,"
                    + " TIMESTAMPTZ '2026-06-10 12:00:00+00')");
        }
        Path out = tmp.resolve("public");
        String summary = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run("--tier", "public", "--db", db.toString(),
                "--out", out.toString(), "--through", "2026-06-07", "--coroner-lag", "0"));
        assertEquals("public release 2026-06-01..2026-06-07, k=5: 48 cells, 28 suppressed, 8 files in " + out + "\n"
                + "  paramedic: 24 cells, 2 below k, 0 kept from earlier releases, 2 to protect others\n"
                + "  coroner: 24 cells, 24 below k, 0 kept from earlier releases, 0 to protect others\n"
                + "  left out 2 daily counts (4 events) dated before 2000-01-01, the earliest plausible event date\n", summary);
        for (Granularity g : Granularity.values()) {
            assertEquals(Files.readAllLines(plain.resolve("public_" + g.code() + ".csv")),
                    Files.readAllLines(out.resolve("public_" + g.code() + ".csv")));
        }
    }

    @Test
    void onlyImplausibleCountsIsOneLine() throws Exception {
        Path db = tmp.resolve("old.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE areas (area_id VARCHAR PRIMARY KEY, name VARCHAR)");
            st.execute("INSERT INTO areas VALUES ('A01', 'Alpha')");
            st.execute("CREATE TABLE area_counts (granularity VARCHAR, bucket_start TIMESTAMPTZ, area_id VARCHAR,"
                    + " signal VARCHAR, count BIGINT, updated_at TIMESTAMPTZ)");
            st.execute("INSERT INTO area_counts VALUES ('day', TIMESTAMPTZ '0001-01-01 12:00:00+00', 'A01', 'paramedic', 1,"
                    + " TIMESTAMPTZ '2026-06-10 12:00:00+00')");
        }
        assertEquals("no daily counts of a public signal dated from 2000-01-01 on in " + db + " (1 earlier left out)",
                assertTimeoutPreemptively(Duration.ofSeconds(60),
                        () -> error("--tier", "public", "--db", db.toString(), "--out", tmp.resolve("public").toString())));
    }

    /** Days counted in Toronto are not Halifax's: exported as Halifax's, each would be published as a day it is not. */
    @Test
    void daysCountedInAnotherZoneAreOneLine() throws Exception {
        Path db = database(PARAMEDIC);
        assertEquals("the days in " + db + " begin at 01:00 in America/Halifax, not at the start of a day there: they"
                + " were counted in another zone; give the job's zone with --zone",
                error("--tier", "public", "--db", db.toString(), "--out", tmp.resolve("public").toString(),
                        "--zone", "America/Halifax"));
        assertFalse(Files.exists(tmp.resolve("public")), "nothing written");
        assertFalse(Files.exists(tmp.resolve(ExportCommand.LEDGER_FILE_NAME)), "no ledger");
    }

    @Test
    void fromSetsTheStartOfTheReleasePeriodWithinBounds() throws Exception {
        Path db = database(PARAMEDIC);
        Path out = tmp.resolve("public");
        String summary = run("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--from", "2026-06-03",
                "--through", "2026-06-07", "--ledger", tmp.resolve("other-ledger.csv").toString(), "--coroner-lag",
                "0");
        assertTrue(summary.startsWith("public release 2026-06-03..2026-06-07, k=5: 30 cells,"), summary);
        assertEquals("--from must not be before 2000-01-01, the earliest plausible event date",
                error("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--from", "1970-01-01"));
        assertEquals("--from must be a date like 2026-01-01",
                error("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--from", "June"));
        assertEquals("the release period 2000-01-01..2026-06-07 is 9655 days long, more than "
                        + ExportCommand.MAX_RELEASE_DAYS + ": choose a later --from",
                error("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--from", "2000-01-01",
                        "--through", "2026-06-07"));
        assertEquals("--through 2026-06-07 is before the first day of the release period (2026-06-08)",
                error("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--from", "2026-06-08",
                        "--through", "2026-06-07"));
    }

    /** A plausible but lone old count moves the default start back by at most 24 whole months before --through's month. */
    @Test
    void aLoneOldCountStretchesTheDefaultPeriodByAtMost24Months() throws Exception {
        Path db = database(PARAMEDIC);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement st = c.createStatement()) {
            insert(st, "day", LocalDate.of(2001, 3, 4), "A01", "paramedic", 1, "2026-06-10 12:00:00+00");
        }
        String summary = run("--tier", "public", "--db", db.toString(), "--out", tmp.resolve("public").toString(),
                "--through", "2026-06-07");
        assertTrue(summary.startsWith("public release 2024-06-01..2026-06-07, k=5: "), summary);
    }

    /**
     * Counts that begin on Wednesday 3 June: the days before were not watched, so the release starts on the 3rd, and
     * its first week is the one of 8 June and it has no June month, rather than a week and month counted partly.
     */
    @Test
    void theDefaultPeriodStartsOnTheFirstDayWithACountSoNoWeekOrMonthIsPartlyUnwatched() throws Exception {
        Path db = database(PARAMEDIC);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement st = c.createStatement()) {
            st.execute("DELETE FROM area_counts WHERE bucket_start < '" + LocalDate.of(2026, 6, 3).atStartOfDay(TORONTO)
                    .toOffsetDateTime() + "'");
            st.execute("UPDATE area_counts SET updated_at = '2026-07-01 12:00:00+00'");   // June counted whole
        }
        Path out = tmp.resolve("public");
        String summary = run("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--through",
                "2026-06-30");
        assertTrue(summary.startsWith("public release 2026-06-03..2026-06-30, k=5: "), summary);
        assertEquals("2026-06-03", Files.readAllLines(out.resolve("public_day.csv")).get(1).split(",")[2]);
        assertEquals(List.of("2026-06-08", "2026-06-15", "2026-06-22"),
                Files.readAllLines(out.resolve("public_week.csv")).stream().skip(1).map(l -> l.split(",")[2])
                        .distinct().toList());
        assertEquals(1, Files.readAllLines(out.resolve("public_month.csv")).size(), "only the header");
        assertTrue(Files.readString(out.resolve("SUPPRESSION_POLICY.md"))
                .contains("Release period 2026-06-03 to 2026-06-30."));
    }

    /** The period only grows with the ledger, so the ledger can push it past the bound: then start a new one. */
    @Test
    void aLedgerThatWouldMakeThePeriodTooLongIsOneLine() throws Exception {
        Path db = database(PARAMEDIC);
        Path out = tmp.resolve("public");
        run("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--from", "2021-06-01",
                "--through", "2026-06-01");
        Path ledger = tmp.resolve(ExportCommand.LEDGER_FILE_NAME);
        assertEquals("the earlier releases in " + ledger + " start on 2021-06-01, so the release period"
                        + " 2021-06-01..2026-06-08 would be 1834 days long, more than 1830: start a new release ledger",
                error("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--through", "2026-06-08"));
    }

    @Test
    void differentiallyPrivateCountsSpendTheBudgetAndNeverShowASmallCount() throws Exception {
        Path db = database(PARAMEDIC);
        Path out = tmp.resolve("public");
        String summary = run("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--through", "2026-06-07",
                "--coroner-lag", "0", "--dp-epsilon", "0.75", "--dp-budget", "1");
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

    /**
     * Epsilon is an exact fraction: 1e-300 failed as "ArithmeticException" after the snapshot was read, 1e99999999
     * (with a budget as large) ran for ever.
     */
    @Test
    void anEpsilonOrBudgetTheSamplerCannotUseIsOneLineAndSpendsNothing() throws Exception {
        Path db = database(PARAMEDIC);
        Path out = tmp.resolve("public");
        for (String[] dp : new String[][] {{"1e-300", "5"}, {"0.0000001", "5"}, {"1e99999999", "1e999999999"},
                {"1001", "5000"}, {"1", "1e999999999"}, {"1", "0.0000001"}}) {
            String refused = error("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--through",
                    "2026-06-07", "--dp-epsilon", dp[0], "--dp-budget", dp[1]);
            assertTrue(refused.matches("--dp-(epsilon|budget) must be a positive number of at most 1000 with at most 6"
                    + " decimal places"), refused);
        }
        assertTrue(Files.notExists(tmp.resolve(ExportCommand.LEDGER_FILE_NAME)));
        assertTrue(Files.notExists(out));
        run("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--through", "2026-06-07",
                "--dp-epsilon", "0.000001", "--dp-budget", "1000.000000");
        run("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--through", "2026-06-07",
                "--dp-epsilon", "999.999999", "--dp-budget", "1000");
    }

    /** A snapshot without a signal the earlier releases published (its feed left out, say) publishes nothing. */
    @Test
    void aSnapshotWithoutASignalTheEarlierReleasesPublishedIsRefused() throws Exception {
        Path db = database(PARAMEDIC);
        Path ledger = tmp.resolve(ExportCommand.LEDGER_FILE_NAME);
        run("--tier", "public", "--db", db.toString(), "--out", tmp.resolve("first").toString(), "--through",
                "2026-06-07", "--coroner-lag", "0");
        byte[] before = Files.readAllBytes(ledger);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement st = c.createStatement()) {
            st.execute("DELETE FROM area_counts WHERE signal = 'coroner'");
        }
        Path second = tmp.resolve("second");
        assertEquals("cannot publish safely: the earlier releases published coroner counts for 2026-06-01..2026-06-07,"
                + " but this snapshot holds none: release from the snapshot they came from or a later one",
                error("--tier", "public", "--db", db.toString(), "--out", second.toString(), "--through",
                        "2026-06-07"));
        assertArrayEquals(before, Files.readAllBytes(ledger));
        assertTrue(Files.notExists(second));
    }

    /** A release that cannot be written is refused before the ledger records it or its budget is spent. */
    @Test
    void anUnwritableOutputLeavesTheLedgerAndTheBudgetUntouched() throws Exception {
        Path db = database(PARAMEDIC);
        Path ledger = tmp.resolve(ExportCommand.LEDGER_FILE_NAME);
        Path file = Files.writeString(tmp.resolve("regular-file"), "x");
        assertEquals("cannot write the public release to " + file, error("--tier", "public", "--db", db.toString(),
                "--out", file.toString(), "--through", "2026-06-07", "--dp-epsilon", "2"));
        assertTrue(Files.notExists(ledger));

        run("--tier", "public", "--db", db.toString(), "--out", tmp.resolve("public").toString(), "--through",
                "2026-06-07", "--dp-epsilon", "1");
        byte[] before = Files.readAllBytes(ledger);
        Path under = file.resolve("exp");
        Map<List<String>, String> failures = Map.of(
                List.of("--out", file.toString()), "cannot write the public release to " + file,
                List.of("--out", under.toString()), "cannot write the public release to " + under,
                List.of("--open-data", under.toString()), "cannot write to the open-data directory " + under);
        for (Map.Entry<List<String>, String> failure : failures.entrySet()) {
            for (List<String> dp : List.of(List.<String>of(), List.of("--dp-epsilon", "2"))) {
                List<String> args = new ArrayList<>(List.of("--tier", "public", "--db", db.toString(), "--through",
                        "2026-06-07"));
                args.addAll(failure.getKey());
                args.addAll(dp);
                assertEquals(failure.getValue(), error(args.toArray(String[]::new)));
                assertArrayEquals(before, Files.readAllBytes(ledger), String.join(" ", args));
            }
        }
        assertEquals(new java.math.BigDecimal("1"), ReleaseLedger.readOrEmpty(ledger).dpEpsilonSpent());
    }

    /**
     * Every cell a release suppresses stays suppressed in every later release of its ledger: "--k 1000000" published
     * a release of nothing but suppressed cells, and the next release at k = 5 kept them all suppressed.
     */
    @Test
    void aKAboveTwentyIsOneLineAndWritesNoLedger() throws Exception {
        Path db = database(PARAMEDIC);
        Path ledger = tmp.resolve("k-ledger.csv");
        for (String k : List.of("21", "50", "1000000")) {
            assertEquals("--k must be a whole number from 2 to 20", error("--tier", "public", "--db", db.toString(),
                    "--out", tmp.resolve("k-out").toString(), "--ledger", ledger.toString(), "--k", k));
        }
        assertFalse(Files.exists(ledger));
        assertFalse(Files.exists(tmp.resolve("k-out")));
        String twenty = run("--tier", "public", "--db", db.toString(), "--out", tmp.resolve("k-out").toString(),
                "--ledger", ledger.toString(), "--k", "20");
        assertTrue(twenty.contains(", k=20:"), "20 is still a k: " + twenty);
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
        assertEquals("give one of --out DIR and --open-data DIR", error("--tier", "public", "--db", db.toString()));
        assertEquals("--k must be a whole number from 2 to 20", error("--tier", "public", "--k", "1"));
        assertEquals("--k needs a value", error("--tier", "public", "--k"));
        assertEquals("unknown option --format (see ./lookout export --help)", error("--format", "csv"));
        assertEquals("unknown option --bogus (see ./lookout export --help)", error("--tier", "public", "--bogus"));
        assertEquals("--through is given twice; give it once (see ./lookout export --help)", error("--tier", "public",
                "--through", "2026-06-01", "--through", "2026-06-07"));
        Path notLookout = tmp.resolve("other.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + notLookout); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (x INT)");
        }
        assertEquals(notLookout + " is not a Lookout database (no area_counts table)",
                error("--tier", "public", "--db", notLookout.toString(), "--out", tmp.toString()));
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not a database\n");
        assertEquals("cannot read " + text + " read-only (open a published snapshot, not the file the pipeline is"
                + " writing)", error("--tier", "public", "--db", text.toString(), "--out", tmp.toString()));
    }

    /**
     * Beta's outreach account sees Beta's counts, so the rectangle that hides Alpha's 2 on June 3 behind Beta's
     * cells would not hide it from them (all-areas 9 minus their own 7): with the users file Alpha's withheld days
     * are hidden behind two of its own days and their all-areas totals instead, and the analyst changes nothing.
     */
    @Test
    void anOutreachAccountOfTheUsersFileCannotSubtractItsOwnAreaFromTheTotals() throws Exception {
        Path db = database(PARAMEDIC);
        Path users = tmp.resolve("users");
        Files.writeString(users, "beta-outreach outreach " + "a".repeat(64) + " A02\n"
                + "ana analyst " + "b".repeat(64) + "\n");
        Path out = tmp.resolve("public");
        String summary = run("--tier", "public", "--db", db.toString(), "--out", out.toString(),
                "--through", "2026-06-07", "--users", users.toString(), "--coroner-lag", "0");

        assertEquals("public release 2026-06-01..2026-06-07, k=5: 48 cells, 30 suppressed, 8 files in " + out + "\n"
                + "  paramedic: 24 cells, 2 below k, 0 kept from earlier releases, 4 to protect others"
                + " (2 of them from outreach accounts)\n"
                + "  coroner: 24 cells, 24 below k, 0 kept from earlier releases, 0 to protect others"
                + " (0 of them from outreach accounts)\n"
                + "  outreach profiles whose areas' counts were treated as known: 1\n", summary);
        List<String> rows = Files.readAllLines(out.resolve("public_day.csv"));
        for (String day : List.of("2026-06-03", "2026-06-05")) {
            assertTrue(rows.contains("paramedic,day," + day + "," + day + ",ALL,All areas,,true"),
                    () -> String.join("\n", rows));
        }
        assertTrue(Files.readString(out.resolve("SUPPRESSION_POLICY.md")).contains(
                "so this release was also protected from\n   each outreach account"));
    }

    /**
     * The first release, without the users file, hid Alpha's June 3 and 5 behind Beta's and published both days'
     * totals, which with Beta's own counts give Alpha's. The second, with the file, cannot take that back: it is
     * made, changes no cell, warns, and the ledger keeps the account.
     */
    @Test
    void anAccountGivenAfterAReleaseThatItCanUndoIsAWarningAndTheReleaseIsMade() throws Exception {
        Path db = database(PARAMEDIC);
        Path users = tmp.resolve("users");
        Files.writeString(users, "beta-outreach outreach " + "a".repeat(64) + " A02\n");
        Path out = tmp.resolve("public");
        run("--tier", "public", "--db", db.toString(), "--out", out.toString(), "--through", "2026-06-07");
        List<String> before = Files.readAllLines(out.resolve("public_day.csv"));
        String summary = run("--tier", "public", "--db", db.toString(), "--out", out.toString(),
                "--through", "2026-06-07", "--users", users.toString());

        assertTrue(summary.endsWith("  outreach profiles whose areas' counts were treated as known: 1\n"
                + "  warning: earlier releases, made before outreach account beta-outreach was given its present"
                + " areas, may let it work out up to 2 withheld paramedic cell(s) from its own counts; this release"
                + " tells it nothing more\n"), summary);
        assertEquals(before, Files.readAllLines(out.resolve("public_day.csv")));
        assertTrue(Files.readAllLines(tmp.resolve(ExportCommand.LEDGER_FILE_NAME))
                .contains("# insider=beta-outreach A02:2026-06-10:current"));
    }

    @Test
    void anUnreadableUsersFileIsOneLine() throws Exception {
        Path db = database(PARAMEDIC);
        Path missing = tmp.resolve("no-users");
        assertEquals("cannot read users file " + missing + ": " + missing, error("--tier", "public",
                "--db", db.toString(), "--out", tmp.resolve("public").toString(), "--users", missing.toString()));
    }

    /**
     * A period past what the snapshot has counted went into the ledger and refused every later export; a ledger
     * inside the release's directory was overwritten by one of its files.
     */
    @Test
    void aPeriodBeyondTheSnapshotOrALedgerInsideThePublishedDirectoryIsOneLineAndWritesNothing() throws Exception {
        Path db = database(PARAMEDIC);
        Path out = tmp.resolve("public");
        String refused = error("--tier", "public", "--db", db.toString(), "--out", out.toString(),
                "--through", "9999-12-31");
        assertTrue(refused.matches("--through 9999-12-31 is after \\d{4}-\\d{2}-\\d{2}, the last day "
                + java.util.regex.Pattern.quote(db.toString()) + " has counted whole"), refused);
        assertFalse(Files.exists(tmp.resolve(ExportCommand.LEDGER_FILE_NAME)));
        assertFalse(Files.exists(out));
        Path inside = out.resolve("public_day.csv");
        assertEquals("the release ledger " + inside + " is inside --out " + out + ", which is published: keep it"
                + " with the restricted database", error("--tier", "public", "--db", db.toString(), "--out",
                out.toString(), "--ledger", inside.toString()));
        assertFalse(Files.exists(out));
    }

    private String error(String... args) {
        return assertThrows(UsageException.class, () -> new ExportCommand().run(List.of(args),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))).getMessage();
    }
}
