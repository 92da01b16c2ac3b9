package lookout.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

import lookout.kernel.StopSignal;

/**
 * The one line a backfill stopped before its end (Ctrl-C, SIGTERM) says, from a shutdown hook: how it stopped and
 * what became of {@code --db}. The rebuilt database is renamed over {@code --db} only as the job ends, never once a
 * stop signal has come ({@code DuckDbRebuildWriter}), so comparing the file with what was there when the watch began
 * tells whether it had been replaced.
 */
final class StoppedBackfill implements AutoCloseable {
    /** A file's identity: a new file renamed over the path has another key, and the same path another time. */
    record Identity(Object key, FileTime modified) {
        static Optional<Identity> of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return Optional.of(new Identity(a.fileKey(), a.lastModifiedTime()));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    private final Thread hook;
    /** The progress on stderr once the job runs, which the line ends; before that the line is printed alone. */
    private volatile ProgressLine progress;

    private StoppedBackfill(Path db) {
        Optional<Identity> before = Identity.of(db);
        hook = new Thread(() -> say(line(db, before, Identity.of(db))), "lookout-backfill-stopped");
    }

    /** Says the line if the JVM stops before {@link #close()}. */
    static StoppedBackfill watch(Path db) {
        StoppedBackfill watch = new StoppedBackfill(db);
        Runtime.getRuntime().addShutdownHook(watch.hook);
        return watch;
    }

    /** From now on the line ends {@code progress}, and no progress follows it. */
    void showOn(ProgressLine progress) {
        this.progress = progress;
    }

    private void say(String line) {
        ProgressLine shown = progress;
        if (shown != null) {
            shown.finish(line);
        } else {
            System.err.println("lookout backfill: " + line);
        }
    }

    /**
     * Only the backfill's own rename puts a file there, and only its {@code --force} takes one away (a file that is
     * not a Lookout database), so what is there now says what it did.
     */
    static String line(Path db, Optional<Identity> before, Optional<Identity> now) {
        String outcome;
        if (now.isEmpty()) {
            outcome = "no database was written to " + db;
        } else if (now.equals(before)) {
            outcome = db + " is as it was";
        } else {
            outcome = "the rebuilt database had already been published to " + db;
        }
        return StopSignal.stopped() + " before its end; " + outcome;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is stopping: the hook is saying its line.
        }
    }
}
