package lookout.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.dashboards.ReleaseManifest;
import lookout.kernel.UsageException;
import lookout.release.PublicReleaseWriter.Row;

/** {@code export --open-data}: releases by last day, manifests with hashes, no overwrite, revision logs. */
class OpenDataPublisherTest {
    private static final ZoneId TORONTO = ZoneId.of("America/Toronto");
    private static final Instant NOW = Instant.parse("2026-07-02T09:30:00Z");
    private static final String BETA = "Beta, \"North\"";

    @TempDir
    Path tmp;

    /**
     * June 2026: paramedic counts in two busy areas and a small one (A03, 1 or 2 events on four days, so its days
     * are withheld), and 5 to 7 coroner deaths a day in each area (all published). {@code lateCoroner} more deaths
     * on June 10 in A02 and {@code lateParamedic} more paramedic calls on June 6 in A03 arrive late.
     */
    private Path database(String name, int lateCoroner, int lateParamedic) throws Exception {
        Path db = tmp.resolve(name);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE areas (area_id VARCHAR PRIMARY KEY, name VARCHAR)");
            st.execute("INSERT INTO areas VALUES ('A01', 'Alpha'), ('A02', '" + BETA + "'), ('A03', 'Gamma')");
            st.execute("CREATE TABLE area_counts (granularity VARCHAR, bucket_start TIMESTAMPTZ, area_id VARCHAR,"
                    + " signal VARCHAR, count BIGINT, updated_at TIMESTAMPTZ, PRIMARY KEY (granularity, bucket_start, area_id, signal))");
            for (int d = 1; d <= 30; d++) {
                LocalDate day = LocalDate.of(2026, 6, d);
                insert(st, day, "A01", "paramedic", 8 + (d * 7) % 5);
                insert(st, day, "A02", "paramedic", 6 + (d * 3) % 4);
                for (String area : List.of("A01", "A02", "A03")) {
                    insert(st, day, area, "coroner", coroner(d) + (d == 10 && area.equals("A02") ? lateCoroner : 0));
                }
            }
            for (int d : new int[] {6, 10, 17, 24}) {
                insert(st, LocalDate.of(2026, 6, d), "A03", "paramedic", (d == 10 ? 2 : 1) + (d == 6 ? lateParamedic : 0));
            }
        }
        return db;
    }

    private static int coroner(int day) {
        return 5 + day % 3;
    }

    private static void insert(Statement st, LocalDate day, String area, String signal, long count) throws Exception {
        st.execute("INSERT INTO area_counts VALUES ('day', '" + day.atStartOfDay(TORONTO).toOffsetDateTime() + "', '" + area
                + "', '" + signal + "', " + count + ", TIMESTAMPTZ '2026-07-01 12:00:00+00')");
    }

    /** Publishes through {@code through}, the coroner's counts a week earlier. */
    private String export(Path db, Path openData, String through) throws Exception {
        return export(db, openData, through, 7);
    }

    private String export(Path db, Path openData, String through, int coronerLag) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = new ExportCommand(Clock.fixed(NOW, ZoneOffset.UTC)).run(List.of("--tier", "public", "--db", db.toString(),
                "--open-data", openData.toString(), "--through", through, "--ledger",
                tmp.resolve("ledger.csv").toString(), "--coroner-lag", Integer.toString(coronerLag)),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aReleaseIsNamedByItsLastDayAndItsManifestHoldsEveryFilesSizeAndSha256() throws Exception {
        Path openData = tmp.resolve("open-data");
        String summary = export(database("june.duckdb", 0, 0), openData, "2026-06-21");

        Path release = openData.resolve("2026-06-21");
        assertTrue(summary.endsWith("  open data: release 2026-06-21, the first in " + openData + "\n"), summary);
        assertTrue(summary.contains(" 12 files in " + release + "\n"), summary);
        assertEquals(List.of("2026-06-21"), names(openData), "no staging directory is left behind");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(release)), "everyone may read it");
        ReleaseManifest m = ReleaseManifest.read(release.resolve(ReleaseManifest.FILE_NAME), "2026-06-21");
        assertEquals(NOW, m.published());
        assertEquals(LocalDate.of(2026, 6, 1), m.periodStart());
        assertEquals(LocalDate.of(2026, 6, 21), m.periodEnd());
        LocalDate june1 = LocalDate.of(2026, 6, 1);
        assertEquals(List.of(new ReleaseManifest.SignalPeriod("paramedic", june1, LocalDate.of(2026, 6, 21)),
                new ReleaseManifest.SignalPeriod("coroner", june1, LocalDate.of(2026, 6, 14))),
                m.signalPeriods(), "the coroner's counts end a week (--coroner-lag 7) before the others'");
        assertEquals(5, m.k());
        assertNull(m.previous());
        assertEquals(OpenDataPublisher.LICENCE, m.licence());
        List<String> listed = new ArrayList<>();
        for (ReleaseManifest.ReleaseFile f : m.files()) {
            listed.add(f.name() + " " + f.kind().code() + " " + f.granularity() + " " + f.format().code());
            byte[] content = Files.readAllBytes(release.resolve(f.name()));
            assertEquals(content.length, f.bytes(), f.name());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), f.sha256(), f.name());
        }
        assertEquals(List.of("public_day.csv counts day csv", "public_day.parquet counts day parquet",
                "public_week.csv counts week csv", "public_week.parquet counts week parquet",
                "public_month.csv counts month csv", "public_month.parquet counts month parquet",
                "DATA_DICTIONARY.md dictionary null markdown", "SUPPRESSION_POLICY.md policy null markdown",
                "REVISIONS.csv revisions null csv", "REVISIONS.md revision_summary null markdown",
                "LICENCE.md licence null markdown"), listed);
        List<String> onDisk = new ArrayList<>(m.files().stream().map(ReleaseManifest.ReleaseFile::name).toList());
        onDisk.add(ReleaseManifest.FILE_NAME);
        assertEquals(onDisk.stream().sorted().toList(), names(release), "the manifest lists every file of the release");
        assertEquals(Revisions.HEADER + "\n", Files.readString(release.resolve("REVISIONS.csv")));
        assertEquals(List.of(), m.pendingSignals());
        assertEquals("# What changed since the previous release\n\nThis is the first release, so there is nothing to"
                + " compare it with. This release covers 1 June 2026 to 21 June 2026. Counts of suspected overdose"
                + " deaths run to 14 June 2026 only: later ones are still being reported.\n",
                Files.readString(release.resolve("REVISIONS.md")));
        assertTrue(Files.readString(release.resolve("LICENCE.md")).contains("\"Lookout open data, release 2026-06-21, CC-BY-4.0\""));
    }

    /**
     * A coroner's report of a June 10 death in A02 arrives after the first release: the second lists exactly the
     * four numbers it raised (the area's day and week, the all-areas day and week). A late paramedic call in A03
     * on June 6, a withheld day, changes no number and so appears nowhere.
     */
    @Test
    void aLateCoronerReportIsListedCellByCellAgainstThePreviousRelease() throws Exception {
        Path openData = tmp.resolve("open-data");
        export(database("first.duckdb", 0, 0), openData, "2026-06-21");
        Map<String, byte[]> firstFiles = contents(openData.resolve("2026-06-21"));

        String summary = export(database("second.duckdb", 1, 1), openData, "2026-06-28");

        Path second = openData.resolve("2026-06-28");
        assertTrue(summary.endsWith("  open data: release 2026-06-28 in " + openData
                + "; 4 published numbers changed since release 2026-06-21\n"), summary);
        int day = coroner(10) * 3;
        int week = 0;
        for (int d = 8; d <= 14; d++) {
            week += coroner(d);
        }
        assertEquals(List.of(Revisions.HEADER,
                "coroner,day,2026-06-10,2026-06-10,A02,\"Beta, \"\"North\"\"\",raised," + coroner(10) + "," + (coroner(10) + 1),
                "coroner,day,2026-06-10,2026-06-10,ALL,All areas,raised," + day + "," + (day + 1),
                "coroner,week,2026-06-08,2026-06-14,A02,\"Beta, \"\"North\"\"\",raised," + week + "," + (week + 1),
                "coroner,week,2026-06-08,2026-06-14,ALL,All areas,raised," + 3 * week + "," + (3 * week + 1)),
                Files.readAllLines(second.resolve("REVISIONS.csv")));

        Set<ReleaseLedger.Key> before = new HashSet<>();
        List<Row> rows = new ArrayList<>();
        for (String g : List.of("day", "week", "month")) {
            PublicReleaseWriter.read(openData.resolve("2026-06-21").resolve("public_" + g + ".csv"))
                    .forEach(r -> before.add(r.key()));
            rows.addAll(PublicReleaseWriter.read(second.resolve("public_" + g + ".csv")));
        }
        List<Row> added = rows.stream().filter(r -> !before.contains(r.key())).toList();
        assertEquals(7 * 8 + 8, added.size(), "seven new days and one new week, of two signals in three areas and all");
        assertEquals(List.of(LocalDate.of(2026, 6, 15)), added.stream()
                .filter(r -> r.signal().equals("coroner") && r.granularity() == Granularity.WEEK).map(Row::periodStart)
                .distinct().toList(), "the coroner's new week is the one before the paramedics' (--coroner-lag 7)");
        long addedWithheld = added.stream().filter(Row::suppressed).count();
        assertEquals("""
                # What changed since the previous release

                This release covers 1 June 2026 to 28 June 2026. Counts of suspected overdose deaths run to 21 June \
                2026 only: later ones are still being reported. The previous release, 2026-06-21, covered 1 June \
                2026 to 21 June 2026, its suspected overdose deaths to 14 June 2026, so those from 15 to 21 June \
                2026 are published for the first time.

                - 4 numbers went up, most often because reports arrived late (coroner reports can take weeks). Among them are the counts of single areas and days: 1 coroner; the week, month and all-areas numbers that include those days went up with them.
                - Every number withheld before is still withheld, and every number published before is still published: comparing the two releases cannot reveal a withheld count.
                - 64 numbers are new, for days, weeks and months the previous release did not cover; %d of them are withheld.

                `REVISIONS.csv` lists every changed number with its previous and new value.
                """.formatted(addedWithheld), Files.readString(second.resolve("REVISIONS.md")));
        assertEquals("2026-06-21", ReleaseManifest.read(second.resolve(ReleaseManifest.FILE_NAME), "2026-06-28").previous());
        Map<String, byte[]> after = contents(openData.resolve("2026-06-21"));
        assertEquals(firstFiles.keySet(), after.keySet());
        firstFiles.forEach((name, bytes) -> assertTrue(java.util.Arrays.equals(bytes, after.get(name)), name + " unchanged"));
    }

    /**
     * Three weeks of June with the default 91-day lag: the release holds no coroner day, and its manifest, revision
     * summary and data dictionary say from which release on it will (the one through August 31, 91 days after June 1).
     */
    @Test
    void aReleaseShorterThanTheCoronerLagSaysFromWhichReleaseOnItWillHoldCoronerCounts() throws Exception {
        Path openData = tmp.resolve("open-data");
        export(database("june.duckdb", 0, 0), openData, "2026-06-21", CoronerLag.DEFAULT_DAYS);

        Path release = openData.resolve("2026-06-21");
        ReleaseManifest m = ReleaseManifest.read(release.resolve(ReleaseManifest.FILE_NAME), "2026-06-21");
        assertEquals(List.of(new ReleaseManifest.SignalPeriod("paramedic", LocalDate.of(2026, 6, 1),
                LocalDate.of(2026, 6, 21))), m.signalPeriods());
        assertEquals(List.of(new ReleaseManifest.PendingSignal("coroner", 91, LocalDate.of(2026, 8, 31))),
                m.pendingSignals());
        String notYet = "This release has no counts of suspected overdose deaths yet: their reports come weeks or"
                + " months late, so each day's count is published 91 days after it, once most reports are in. They will"
                + " appear in releases of counts through 31 August 2026 and later.";
        assertEquals("# What changed since the previous release\n\nThis is the first release, so there is nothing to"
                + " compare it with. This release covers 1 June 2026 to 21 June 2026. " + notYet + "\n",
                Files.readString(release.resolve("REVISIONS.md")));
        assertTrue(Files.readString(release.resolve("DATA_DICTIONARY.md")).endsWith(" " + notYet + "\n"));
    }

    /**
     * The release after one without coroner counts (the default lag), made with a lag of a week, publishes the
     * coroner's first three weeks: its revision summary says that all of them are new.
     */
    @Test
    void theReleaseAfterOneWithoutCoronerCountsSaysAllItsDeathsArePublishedForTheFirstTime() throws Exception {
        assertTrue(secondRevisionSummary(CoronerLag.DEFAULT_DAYS, 7).contains(" Counts of suspected overdose deaths"
                + " run to 21 June 2026 only: later ones are still being reported. The previous release, 2026-06-21,"
                + " covered 1 June 2026 to 21 June 2026, with no suspected overdose deaths yet, so those from 1 to 21"
                + " June 2026 are published for the first time.\n\n"));
    }

    /**
     * A lag made a week longer keeps the coroner's counts where the previous release ended them (one ledger never
     * publishes fewer days): the revision summary says that no day of them is new.
     */
    @Test
    void aReleaseWhoseDeathsEndWhereThePreviousOnesDidSaysNoDayOfThemIsNew() throws Exception {
        assertTrue(secondRevisionSummary(7, 14).contains(" Counts of suspected overdose deaths run to 14 June 2026"
                + " only: later ones are still being reported. The previous release, 2026-06-21, covered 1 June 2026"
                + " to 21 June 2026, its suspected overdose deaths to 14 June 2026, so no day of them is published for"
                + " the first time.\n\n"));
    }

    /** The revision summary of June's release through the 28th after one through the 21st, with these lags. */
    private String secondRevisionSummary(int firstLag, int secondLag) throws Exception {
        Path openData = tmp.resolve("open-data");
        Path db = database("june.duckdb", 0, 0);
        export(db, openData, "2026-06-21", firstLag);
        export(db, openData, "2026-06-28", secondLag);
        return Files.readString(openData.resolve("2026-06-28").resolve(OpenDataPublisher.REVISIONS_MD));
    }

    @Test
    void aPublishedReleaseIsNeverReplacedNorFollowedByAnOlderOne() throws Exception {
        Path openData = tmp.resolve("open-data");
        Path db = database("june.duckdb", 0, 0);
        export(db, openData, "2026-06-21");
        Map<String, byte[]> before = contents(openData.resolve("2026-06-21"));
        byte[] ledger = Files.readAllBytes(tmp.resolve("ledger.csv"));

        assertEquals("release 2026-06-21 is already published in " + openData + " and is never replaced; a new release"
                + " needs a later --through", error(db, openData, "2026-06-21"));
        assertEquals("release 2026-06-14 would be older than release 2026-06-21 in " + openData + "; a new release needs"
                + " a --through after 2026-06-21", error(db, openData, "2026-06-14"));

        assertEquals(List.of("2026-06-21"), names(openData));
        Map<String, byte[]> after = contents(openData.resolve("2026-06-21"));
        before.forEach((name, bytes) -> assertTrue(java.util.Arrays.equals(bytes, after.get(name)), name));
        assertTrue(java.util.Arrays.equals(ledger, Files.readAllBytes(tmp.resolve("ledger.csv"))),
                "a refused release records nothing in the ledger");

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertEquals("--open-data " + file + " is not a directory", error(db, file, "2026-06-28"));
        assertEquals("give one of --out DIR and --open-data DIR", assertThrows(UsageException.class, () -> new ExportCommand()
                .run(List.of("--tier", "public", "--db", db.toString(), "--out", tmp.toString(), "--open-data", openData.toString()),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))).getMessage());
    }

    /** Releases made with different ledgers can disagree on a cell's status; the log says so cell by cell. */
    @Test
    void statusChangesAndWithdrawnCellsAreListedToo() {
        LocalDate june1 = LocalDate.of(2026, 6, 1);
        List<Row> before = List.of(
                new Row("coroner", Granularity.DAY, june1, "A01", "Alpha", null),
                new Row("coroner", Granularity.DAY, june1, "A02", "Beta", 9L),
                new Row("coroner", Granularity.DAY, june1, "A03", "Gamma", 8L),
                new Row("coroner", Granularity.DAY, june1, "A04", "Delta", 7L),
                new Row("coroner", Granularity.DAY, june1, "A05", "Epsilon", null));
        List<Row> after = List.of(
                new Row("coroner", Granularity.DAY, june1, "A01", "Alpha", 6L),
                new Row("coroner", Granularity.DAY, june1, "A02", "Beta", null),
                new Row("coroner", Granularity.DAY, june1, "A03", "Gamma", 7L),
                new Row("coroner", Granularity.DAY, june1, "A05", "Epsilon", null));
        Revisions r = Revisions.between(before, after);
        assertEquals(Revisions.HEADER + "\n"
                + "coroner,day,2026-06-01,2026-06-01,A01,Alpha,now published,,6\n"
                + "coroner,day,2026-06-01,2026-06-01,A02,Beta,now withheld,9,\n"
                + "coroner,day,2026-06-01,2026-06-01,A03,Gamma,lowered,8,7\n"
                + "coroner,day,2026-06-01,2026-06-01,A04,Delta,withdrawn,7,\n", r.csv());
        String summary = r.summary("The previous release, 2026-05-31, covered 1 June 2026 to 1 June 2026.", june1,
                june1, "", "REVISIONS.csv");
        assertTrue(summary.contains("- 1 number went down (a report was corrected or withdrawn).\n"
                + "- 1 number withheld before is now published.\n- 1 number published before is now withheld.\n"
                + "- 1 number of the previous release is no longer in this one.\n"), summary);
        assertTrue(!summary.contains("Every number withheld before is still withheld"), summary);
    }

    private String error(Path db, Path openData, String through) {
        return assertThrows(UsageException.class, () -> export(db, openData, through)).getMessage();
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Map<String, byte[]> contents(Path dir) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        for (String name : names(dir)) {
            out.put(name, Files.readAllBytes(dir.resolve(name)));
        }
        return out;
    }
}
