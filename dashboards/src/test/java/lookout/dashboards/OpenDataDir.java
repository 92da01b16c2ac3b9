package lookout.dashboards;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import lookout.dashboards.ReleaseManifest.Format;
import lookout.dashboards.ReleaseManifest.Kind;
import lookout.dashboards.ReleaseManifest.Licence;
import lookout.dashboards.ReleaseManifest.PendingSignal;
import lookout.dashboards.ReleaseManifest.ReleaseFile;
import lookout.dashboards.ReleaseManifest.SignalPeriod;

/**
 * An open-data directory written by hand the way {@code export --open-data} lays it out (the dashboards module
 * does not depend on the tools module that publishes): two releases of small files, and a file beside the
 * directory that must never be served. The coroner's counts wait 21 days: the first release has none yet, the
 * second has its first week.
 */
final class OpenDataDir {
    static final Licence LICENCE = new Licence("CC-BY-4.0", "Creative Commons Attribution 4.0 International",
            "https://creativecommons.org/licenses/by/4.0/");
    static final String FIRST = "2026-06-21";
    static final String SECOND = "2026-06-28";
    static final String DICTIONARY = """
            # Lookout public counts: data dictionary

            | column | type | meaning |
            |---|---|---|
            | count | integer | number of events; empty when suppressed |

            A <script>alert(1)</script> in a file stays text.
            """;

    private OpenDataDir() {}

    /** The directory {@code root/open-data} with releases {@link #FIRST} and {@link #SECOND}. */
    static Path create(Path root) throws Exception {
        Path dir = root.resolve("open-data");
        Files.writeString(root.resolve("secret.txt"), "outside the open-data directory");
        String changes = "# What changed since the previous release\n\n";
        LocalDate june1 = LocalDate.of(2026, 6, 1);
        release(dir, FIRST, null, "signal,count\ncoroner,6\n", changes + "This is the first release.\n",
                List.of(new SignalPeriod("paramedic", june1, LocalDate.of(2026, 6, 21))),
                List.of(new PendingSignal("coroner", 21, LocalDate.of(2026, 6, 22))));
        release(dir, SECOND, FIRST, "signal,count\ncoroner,7\n",
                changes + "- 1 number went up, most often because reports arrived late.\n",
                List.of(new SignalPeriod("paramedic", june1, LocalDate.of(2026, 6, 28)),
                        new SignalPeriod("coroner", june1, LocalDate.of(2026, 6, 7))), List.of());
        return dir;
    }

    /**
     * @param periods each signal's period
     * @param pending the signals with no counts yet
     */
    private static void release(Path dir, String id, String previous, String dayCsv, String revisions,
            List<SignalPeriod> periods, List<PendingSignal> pending) throws Exception {
        Path r = Files.createDirectories(dir.resolve(id));
        List<ReleaseFile> files = new ArrayList<>();
        files.add(write(r, "public_day.csv", dayCsv, Kind.COUNTS, "day"));
        files.add(write(r, "public_day.parquet", "PAR1 not really parquet PAR1", Kind.COUNTS, "day"));
        files.add(write(r, "public_week.csv", "signal,count\n", Kind.COUNTS, "week"));
        files.add(write(r, "DATA_DICTIONARY.md", DICTIONARY, Kind.DICTIONARY, null));
        files.add(write(r, "SUPPRESSION_POLICY.md", "# Policy\n\nMinimum cell size k = 5.\n", Kind.POLICY, null));
        files.add(write(r, "REVISIONS.csv", "signal,change\n", Kind.REVISIONS, null));
        files.add(write(r, "REVISIONS.md", revisions, Kind.REVISION_SUMMARY, null));
        Files.writeString(r.resolve("unlisted.csv"), "not in the manifest");
        LocalDate last = LocalDate.parse(id);
        new ReleaseManifest(id, Instant.parse(id + "T12:00:00Z").plusSeconds(86400), LocalDate.of(2026, 6, 1), last,
                periods, pending, 5, previous, LICENCE, files).write(r.resolve(ReleaseManifest.FILE_NAME));
    }

    private static ReleaseFile write(Path dir, String name, String content, Kind kind, String granularity) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(name), bytes);
        return new ReleaseFile(name, kind, granularity, Format.of(name).orElseThrow(), bytes.length,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }
}
