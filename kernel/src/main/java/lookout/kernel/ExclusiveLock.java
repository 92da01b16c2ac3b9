package lookout.kernel;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A lock on a file that one process at a time may hold, for a command that must not run twice on the same files:
 * two backfills of one database (they would meet only at the end, where the second waits for DuckDB's lock on the
 * writer's file and then replaces the first one's tables without a word), two notifiers on one store (each would
 * send what the other sent). The file stays, empty, between runs: removing it could let a third run lock a new file
 * while the second still holds the old one.
 */
public final class ExclusiveLock implements AutoCloseable {
    private final FileChannel channel;

    private ExclusiveLock(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Takes the lock of {@code file} for {@code purpose} (named if the file cannot be created), or stops with the
     * one line {@code busy} when another process holds it.
     */
    public static ExclusiveLock take(Path file, String purpose, String busy) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UsageException("cannot create the lock file " + file + " for " + purpose);
        }
        if (!locked(channel)) {
            closeQuietly(channel);
            throw new UsageException(busy);
        }
        return new ExclusiveLock(channel);
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
