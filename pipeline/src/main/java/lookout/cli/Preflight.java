package lookout.cli;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.flink.runtime.checkpoint.Checkpoints;

import lookout.kernel.SameFile;
import lookout.kernel.UsageException;
import lookout.kernel.WritableDirectory;
import lookout.sink.DuckDbStore;
import lookout.sink.LookoutDatabase;

/**
 * Checks a command makes before it starts Flink, so that a user's mistake costs one line at once instead of a
 * stack trace after the cluster's start-up. Each check throws {@link UsageException} naming the option.
 */
public final class Preflight {
    private Preflight() {}

    /** Every input can be opened for reading. */
    static void readable(String option, List<Path> files) {
        for (Path p : files) {
            try (InputStream in = Files.newInputStream(p)) {
                in.read();
            } catch (IOException e) {
                throw new UsageException("cannot read " + option + " " + p + " (" + reason(e) + ")");
            }
        }
    }

    /** {@code dir} exists or can be created, and a file can be created in it. */
    static void writableDirectory(String option, Path dir) {
        Path d = dir.toAbsolutePath();
        try {
            WritableDirectory.probe(d);
        } catch (IOException e) {
            throw new UsageException("cannot write to " + d + " for " + option + " (" + reason(e) + ")");
        }
    }

    /**
     * The database path {@code db} and the files the pipeline keeps beside it may be replaced: each is absent or a
     * Lookout database, or {@code force} allows replacing it. A directory, a file another process has open or one
     * of {@code inputs} never is.
     *
     * @param inputs      the files and directories the command reads, each with the words that name it ("the input")
     * @param forceOption the command's option that sets {@code force}, named in the refusal; null if it has none
     */
    public static void replaceableDatabase(String option, Path db, Map<Path, String> inputs, boolean force,
            String forceOption) {
        Path abs = db.toAbsolutePath().normalize();
        for (Path f : LookoutDatabase.files(abs)) {
            if (Files.isDirectory(f)) {
                throw new UsageException(option + " " + (f.equals(abs) ? db : f) + " is a directory");
            }
        }
        for (Map.Entry<Path, String> input : inputs.entrySet()) {
            Path in = input.getKey().toAbsolutePath().normalize();
            for (Path f : LookoutDatabase.files(abs)) {
                if (f.startsWith(in) || SameFile.as(f, in)) {
                    throw new UsageException(option + " " + db + " would overwrite " + input.getValue() + " "
                            + input.getKey());
                }
            }
        }
        writableDirectory(option, abs.getParent());
        Optional<Path> inUse = LookoutDatabase.firstOfKind(abs, LookoutDatabase.Kind.IN_USE);
        if (inUse.isPresent()) {
            throw new UsageException(inUse.get() + " is open in another process (a running Lookout job?); stop it first");
        }
        Optional<Path> foreign = LookoutDatabase.firstOfKind(abs, LookoutDatabase.Kind.OTHER);
        if (foreign.isPresent() && !force) {
            throw new UsageException("refusing to replace " + foreign.get() + ": it is not a Lookout database"
                    + (forceOption == null ? "" : " (" + forceOption + " replaces it)"));
        }
    }

    /**
     * A streaming run goes on from where the database's counts are: {@code --from-checkpoint} needs the writer's
     * file that run wrote, and a run without it must not start on a file an earlier run wrote unless
     * {@code freshState} says so, since without the earlier run's state records read again (re-sent within the
     * dedupe horizon, or a topic read again by another consumer group) would be counted again and the detectors
     * would start without history.
     */
    static void continuesTheDatabase(Path db, boolean fromCheckpoint, boolean freshState, Path checkpointDir) {
        Path abs = db.toAbsolutePath().normalize();
        Optional<LookoutDatabase.Commits> commits = LookoutDatabase.commits(abs);
        Path writer = DuckDbStore.writerFile(abs);
        if (commits.isEmpty() && (fromCheckpoint || LookoutDatabase.isLookoutDatabase(abs))) {
            throw new UsageException(LookoutDatabase.missingWriter(abs));
        }
        long batches = commits.map(LookoutDatabase.Commits::batches).orElse(0L);
        if (!fromCheckpoint && !freshState && batches > 0) {
            // The newest checkpoint of the job that committed last: a job restored from an older one fails at its
            // first commit and commits nothing, and its own newer checkpoints would fail again.
            Path dir = commits.get().lastJob().map(checkpointDir::resolve).orElse(checkpointDir);
            throw new UsageException(writer + " holds the counts of an earlier run: resume it with --from-checkpoint "
                    + newestCheckpoint(dir).map(Path::toString).orElse("CHK (none is retained in "
                    + dir.toAbsolutePath() + ")") + ", or add --fresh-state to start afresh on top of them"
                    + " (records read again are then counted again, and the detectors start without history)");
        }
    }

    /** The retained checkpoint ({@code JOB/chk-N} with its {@code _metadata}) written last under {@code dir}. */
    static Optional<Path> newestCheckpoint(Path dir) {
        try (Stream<Path> files = Files.find(dir, 3, (p, a) -> a.isRegularFile()
                && p.getFileName().toString().equals("_metadata")
                && p.getParent().getFileName().toString().startsWith("chk-"))) {
            return files.max(Comparator.comparing(Preflight::modified)).map(Path::getParent)
                    .map(p -> p.toAbsolutePath().normalize());
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /**
     * A checkpoint to restore: a chk-N directory holding {@code _metadata}, or that file itself, which begins as
     * Flink's checkpoint metadata does. Any other file went on to Flink, whose restore failed in the job.
     */
    static void checkpoint(String option, String location) {
        Path p = Path.of(location.startsWith("file:") ? URI.create(location).getPath() : location);
        boolean directory = Files.isDirectory(p);
        Path metadata = directory ? p.resolve("_metadata") : p;
        if (!Files.isRegularFile(metadata)) {
            throw new UsageException(option + " " + location + " is not a checkpoint (no _metadata in it)");
        }
        readable(option, List.of(metadata));
        if (!isCheckpointMetadata(metadata)) {
            throw new UsageException(option + " " + location + " is not a checkpoint ("
                    + (directory ? "its _metadata is" : "it is") + " not Flink's checkpoint metadata)");
        }
    }

    private static boolean isCheckpointMetadata(Path file) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            return in.readInt() == Checkpoints.HEADER_MAGIC_NUMBER;
        } catch (IOException e) {
            return false;
        }
    }

    private static String reason(IOException e) {
        String name = e.getClass().getSimpleName();
        return switch (name) {
            case "AccessDeniedException" -> "permission denied";
            case "NoSuchFileException" -> "no such file or directory";
            case "FileSystemException" -> e.getMessage().contains("Not a directory") ? "a parent is not a directory"
                    : e.getMessage().contains("Read-only") ? "read-only file system" : "file system error";
            case "FileAlreadyExistsException" -> "a parent is not a directory";
            default -> name;
        };
    }
}
