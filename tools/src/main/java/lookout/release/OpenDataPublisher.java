package lookout.release;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import lookout.dashboards.OpenData;
import lookout.dashboards.ReleaseManifest;
import lookout.dashboards.ReleaseManifest.Format;
import lookout.dashboards.ReleaseManifest.Kind;
import lookout.dashboards.ReleaseManifest.Licence;
import lookout.dashboards.ReleaseManifest.PendingSignal;
import lookout.dashboards.ReleaseManifest.ReleaseFile;
import lookout.dashboards.ReleaseManifest.SignalPeriod;
import lookout.dashboards.ReleaseWords;
import lookout.kernel.Sha256;
import lookout.kernel.UsageException;

/**
 * Publishes public releases into an open-data directory that {@code serve --open-data} serves: each release in
 * {@code DIR/<id>/}, its id the release's last day, never overwritten, with a revision log against the release
 * before it and a {@link ReleaseManifest} listing every file's size and SHA-256. A release is written in a hidden
 * staging directory and renamed into place when complete, so a reader never sees half a release.
 */
final class OpenDataPublisher {
    static final String REVISIONS_CSV = "REVISIONS.csv";
    static final String REVISIONS_MD = "REVISIONS.md";
    static final String LICENCE_MD = "LICENCE.md";
    /**
     * CC BY 4.0 (see docs/OPEN_DATA.md): open in the Open Definition's sense, covers database rights, and its
     * attribution requirement keeps the source (and with it the suppression policy) attached to the numbers.
     */
    static final Licence LICENCE = new Licence("CC-BY-4.0", "Creative Commons Attribution 4.0 International",
            "https://creativecommons.org/licenses/by/4.0/");
    private static final String STAGING = ".staging-";

    private final Path dir;

    OpenDataPublisher(Path dir) {
        this.dir = dir;
    }

    /** The id of a release whose last day is {@code last}. */
    static String id(LocalDate last) {
        return last.toString();
    }

    /**
     * Refuses, before anything is written, a release whose id is taken or not newer than every release already in
     * the directory (the feed and "latest" follow the ids, and a release may only extend the ones before it).
     */
    void requirePublishable(String id) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException("--open-data " + dir + " is not a directory");
        }
        if (Files.exists(dir.resolve(id))) {
            throw new UsageException("release " + id + " is already published in " + dir + " and is never replaced;"
                    + " a new release needs a later --through");
        }
        Optional<String> newest = releaseIds().stream().max(Comparator.naturalOrder());
        if (newest.isPresent() && newest.get().compareTo(id) > 0) {
            throw new UsageException("release " + id + " would be older than release " + newest.get() + " in " + dir
                    + "; a new release needs a --through after " + newest.get());
        }
    }

    private List<String> releaseIds() {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (ReleaseManifest.ID.matcher(name).matches()) {
                    ids.add(name);
                }
            }
        } catch (IOException e) {
            throw new UsageException("cannot read the open-data directory " + dir);
        }
        return ids;
    }

    /** A fresh hidden directory inside DIR to write the release into; {@link #publish} moves it into place. */
    Path staging(String id) {
        try {
            Files.createDirectories(dir);
            Path staging = Files.createTempDirectory(dir, STAGING + id + "-");
            // A temporary directory is private to its owner; a published release is for everyone to read.
            if (Files.getFileStore(staging).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            return staging;
        } catch (IOException e) {
            throw new UsageException("cannot write to the open-data directory " + dir);
        }
    }

    /**
     * What {@link #publish} did, for the command's summary.
     *
     * @param files how many files the release holds, its manifest included
     */
    record Published(Path dir, String previous, Revisions revisions, int files) {}

    /**
     * Adds the revision log, the licence and the manifest to the files {@code written} in {@code staging}, then
     * renames it to {@code DIR/<id>}. The manifest gives each signal's period from {@code figures} and the signals
     * with no counts yet, {@code pending}; the revision summary says where a signal's counts end earlier.
     */
    Published publish(String id, Path staging, List<PublicReleaseWriter.Written> written, LocalDate first, LocalDate last,
            List<PublicRelease.SignalFigures> figures, List<PendingSignal> pending, int k, Instant now) {
        Path target = dir.resolve(id);
        List<SignalPeriod> periods = figures.stream()
                .map(f -> new SignalPeriod(f.signal(), f.first(), f.last())).toList();
        try {
            Optional<ReleaseManifest> previous = OpenData.in(dir).releases().stream().findFirst();
            List<PublicReleaseWriter.Row> after = counts(written.stream()
                    .filter(w -> w.kind() == Kind.COUNTS && Format.of(w.path().toString()).orElse(null) == Format.CSV)
                    .map(PublicReleaseWriter.Written::path).toList());
            List<PublicReleaseWriter.Row> before = previous.isEmpty() ? List.of() : counts(previous.get()
                    .files(Kind.COUNTS).stream().filter(f -> f.format() == Format.CSV)
                    .map(f -> dir.resolve(previous.get().id()).resolve(f.name())).toList());
            Revisions revisions = Revisions.between(before, after);
            List<PublicReleaseWriter.Written> files = new ArrayList<>(written);
            Path csv = staging.resolve(REVISIONS_CSV);
            Files.writeString(csv, revisions.csv(), StandardCharsets.UTF_8);
            files.add(new PublicReleaseWriter.Written(csv, Kind.REVISIONS, null));
            Path md = staging.resolve(REVISIONS_MD);
            Files.writeString(md, revisions.summary(previous.map(p -> ReleaseWords.previousRelease(p, periods))
                    .orElse(null), first, last, ReleaseWords.signalPeriods(last, periods, pending), REVISIONS_CSV),
                    StandardCharsets.UTF_8);
            files.add(new PublicReleaseWriter.Written(md, Kind.REVISION_SUMMARY, null));
            Path licence = staging.resolve(LICENCE_MD);
            Files.writeString(licence, licenceText(id), StandardCharsets.UTF_8);
            files.add(new PublicReleaseWriter.Written(licence, Kind.LICENCE, null));

            List<ReleaseFile> listed = new ArrayList<>();
            for (PublicReleaseWriter.Written w : files) {
                String name = w.path().getFileName().toString();
                listed.add(new ReleaseFile(name, w.kind(), w.granularity() == null ? null : w.granularity().code(),
                        Format.of(name).orElseThrow(), Files.size(w.path()), sha256(w.path())));
            }
            new ReleaseManifest(id, now, first, last, periods, pending, k,
                    previous.map(ReleaseManifest::id).orElse(null), LICENCE, listed)
                    .write(staging.resolve(ReleaseManifest.FILE_NAME));
            // Without REPLACE_EXISTING the rename fails rather than replace a release published meanwhile.
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return new Published(target, previous.map(ReleaseManifest::id).orElse(null), revisions, listed.size() + 1);
        } catch (IOException e) {
            delete(staging);
            throw new UsageException(Files.exists(target) ? "release " + id + " appeared in " + dir + " while it was"
                    + " being written; it was left as it is" : "cannot write release " + id + " to " + dir);
        }
    }

    private static List<PublicReleaseWriter.Row> counts(List<Path> csvFiles) throws IOException {
        List<PublicReleaseWriter.Row> rows = new ArrayList<>();
        for (Path p : csvFiles) {
            rows.addAll(PublicReleaseWriter.read(p));
        }
        return rows;
    }

    static String licenceText(String id) {
        return """
                # Licence

                This release is published under the [%s](%s) licence (%s).

                You may copy, share, adapt and build on the data for any purpose, even commercially, as long as you
                credit the source, link to the licence and say whether you changed the data. Suggested credit:
                "Lookout open data, release %s, %s".

                Please keep the suppression policy with the numbers: a withheld count is not a zero.
                """.formatted(LICENCE.name(), LICENCE.url(), LICENCE.id(), id, LICENCE.id());
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = Sha256.digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Removes a staging directory a failed release left (never anything else: it is named by {@link #staging}). */
    static void delete(Path staging) {
        try (Stream<Path> files = Files.walk(staging)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A staging directory left behind is hidden and never served; the next release uses a fresh one.
        }
    }
}
