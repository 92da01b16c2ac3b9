package lookout.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

import lookout.ingest.Source;
import lookout.sink.DuckDbStore;

/**
 * Reads the published DuckDB file the way an analyst would, each time the pipeline publishes a new one
 * (it replaces the file by rename, so a new file identity means new data), and records per signal how
 * many events the hourly counts include. A version counts as visible from the moment its file appeared,
 * which is checked to be the file actually read.
 */
final class DuckDbWatcher implements AutoCloseable {
    private static final long POLL_NANOS = 2_000_000;

    private final Path db;
    private final Visibility visibility;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Exception failure;

    DuckDbWatcher(Path db, Visibility visibility) {
        this.db = db.toAbsolutePath();
        this.visibility = visibility;
        this.thread = new Thread(this::watch, "bench-duckdb-watcher");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void watch() {
        Object lastKey = null;
        long lastModified = 0;
        try {
            while (running) {
                long detected = System.nanoTime();
                BasicFileAttributes a = attributes();
                if (a != null && (!Objects.equals(a.fileKey(), lastKey) || a.lastModifiedTime().toMillis() != lastModified)) {
                    Object key = a.fileKey();
                    long[] counts = read(key);
                    if (counts != null) {
                        visibility.observed(detected, counts);
                        lastKey = key;
                        lastModified = a.lastModifiedTime().toMillis();
                        continue;
                    }
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        } catch (IOException | SQLException e) {
            failure = e;
        }
    }

    private BasicFileAttributes attributes() throws IOException {
        try {
            return Files.readAttributes(db, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The counts of the file whose identity is {@code key}, or null when it was replaced before being opened. */
    private long[] read(Object key) throws IOException, SQLException {
        try (Connection c = DuckDbStore.openPublished(db)) {
            BasicFileAttributes now = attributes();
            if (now == null || !Objects.equals(now.fileKey(), key)) {
                return null;
            }
            long[] counts = new long[Source.values().length];
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT signal, sum(count) FROM area_counts WHERE granularity = 'hour' GROUP BY signal")) {
                while (rs.next()) {
                    Optional<Source> source = Source.fromCode(rs.getString(1));
                    if (source.isPresent()) {
                        counts[source.get().ordinal()] = rs.getLong(2);
                    }
                }
            }
            return counts;
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join(10_000);
        if (failure != null) {
            throw failure;
        }
    }
}
