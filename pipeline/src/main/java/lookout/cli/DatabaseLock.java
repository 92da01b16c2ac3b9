package lookout.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import lookout.kernel.UsageException;

/**
 * Keeps two backfills from rebuilding one database at once: each holds a lock on {@code DB.lock} while it runs.
 * Their writers would otherwise meet only at the end, where the second waits for DuckDB's lock on the writer's file
 * and then replaces the first one's tables without a word. The file stays, empty, between runs: removing it could
 * let a third run lock a new file while the second still holds the old one.
 */
final class DatabaseLock implements AutoCloseable {
    private final FileChannel channel;

    private DatabaseLock(FileChannel channel) {
        this.channel = channel;
    }

    static Path file(Path db) {
        return db.resolveSibling(db.getFileName() + ".lock");
    }

    /** Takes the lock of {@code db}, or stops with one line when another command holds it. */
    static DatabaseLock take(String option, Path db) {
        Path file = file(db.toAbsolutePath());
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UsageException("cannot create the lock file " + file + " for " + option);
        }
        if (!locked(channel)) {
            closeQuietly(channel);
            throw new UsageException(option + " " + db + " is being rebuilt by another backfill; wait for it to end");
        }
        return new DatabaseLock(channel);
    }

    private static boolean locked(FileChannel channel) {
        try {
            FileLock lock = channel.tryLock();
            return lock != null;
        } catch (OverlappingFileLockException e) {
            return false;
        } catch (IOException e) {
            throw new UsageException("cannot lock " + channel + ": " + e.getMessage());
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing was locked through it; the refusal is what the user needs to read.
        }
    }

    /** Releases the lock: closing the channel releases every lock taken through it. */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}
