package lookout.notify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;

import lookout.kernel.PublishedDatabase;

/**
 * The job's published DuckDB snapshot, read again only when the job has published a new one (the file's identity,
 * time and size changed). The job renames each new snapshot over the old, so a read sees one whole snapshot.
 */
final class PublishedSnapshot {
    /** Reads what a reader needs from the snapshot, whose tables a query names alone. */
    interface Read<T> {
        T from(Statement published) throws SQLException;
    }

    private final Path file;
    private Object identity;

    PublishedSnapshot(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /**
     * What {@code read} finds in a snapshot newer than the last one read, or empty when there is none: the file is
     * unchanged, absent, or being replaced (then the next call tries again).
     */
    <T> Optional<T> readIfNew(Read<T> read) {
        Object now;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            now = Arrays.asList(a.fileKey(), a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (now.equals(identity)) {
            return Optional.empty();
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            PublishedDatabase.attach(c, file);
            try (Statement s = c.createStatement()) {
                T value = read.from(s);
                identity = now;
                return Optional.of(value);
            }
        } catch (SQLException e) {
            return Optional.empty();
        }
    }
}
