package lookout.dashboards;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open-data directory of {@code serve --open-data DIR}: one subdirectory per release, named by its id and
 * holding a {@link ReleaseManifest}. It is read on every request, so a release the publisher adds (it renames a
 * finished directory into place) is listed without a restart. A file is served only when the release's manifest
 * lists it and it is a regular file inside DIR; names are checked against patterns before any path is built.
 */
public final class OpenData {
    /** Where the dashboards publish the releases: the page of the latest, with links to the others. */
    public static final String PAGE = "/open-data/";
    private static final Logger LOG = LoggerFactory.getLogger(OpenData.class);

    private final Path dir;

    private OpenData(Path dir) {
        this.dir = dir;
    }

    /** The directory's releases; {@code dir} need not exist yet (no release published so far). */
    public static OpenData in(Path dir) {
        return new OpenData(dir.toAbsolutePath().normalize());
    }

    /** Every release with a readable manifest, newest first. */
    public List<ReleaseManifest> releases() {
        List<ReleaseManifest> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String id = p.getFileName().toString();
                if (ReleaseManifest.ID.matcher(id).matches()) {
                    manifest(id).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new ApiError(503, "the open-data directory is not readable");
        }
        out.sort(Comparator.comparing(ReleaseManifest::id).reversed());
        return out;
    }

    /** The release {@code id}, if {@code id} is a release id and its manifest is readable. */
    public Optional<ReleaseManifest> release(String id) {
        return ReleaseManifest.ID.matcher(id).matches() ? manifest(id) : Optional.empty();
    }

    private Optional<ReleaseManifest> manifest(String id) {
        Path file = dir.resolve(id).resolve(ReleaseManifest.FILE_NAME);
        if (!insideDir(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ReleaseManifest.read(file, id));
        } catch (IOException e) {
            LOG.warn("release {} is not listed: its manifest is unreadable or damaged", id);
            return Optional.empty();
        }
    }

    /**
     * The file {@code name} of release {@code id} when the manifest lists it (or it is the manifest), as a path
     * checked to be a regular file inside DIR; empty for anything else.
     */
    public Optional<Path> file(ReleaseManifest release, String name) {
        if (!name.equals(ReleaseManifest.FILE_NAME) && release.file(name).isEmpty()) {
            return Optional.empty();
        }
        Path p = dir.resolve(release.id()).resolve(name);
        return insideDir(p) ? Optional.of(p) : Optional.empty();
    }

    /** A regular file (not a link) whose real path lies inside DIR's real path. */
    private boolean insideDir(Path p) {
        try {
            return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && p.toRealPath().startsWith(dir.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }
}
