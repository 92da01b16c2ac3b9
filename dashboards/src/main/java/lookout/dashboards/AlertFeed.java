package lookout.dashboards;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The alert lists of the newest published snapshot, read once per snapshot for every page and live stream. The
 * watcher calls {@link #refresh} about once a second: it compares the published file's identity with the one last
 * read (a stat, no query) and re-reads both views only when the pipeline has renamed a new snapshot over it. Only
 * the newest lists are kept, so nothing here grows with time.
 */
final class AlertFeed {
    private final Snapshot snapshot;
    private Object identity;
    private AlertLists current;
    /** The identity of the file whose alerts could not be read, e.g. a truncated file whose catalogue opens. */
    private Object unreadable;

    AlertFeed(Snapshot snapshot) {
        this.snapshot = snapshot;
    }

    /** The alerts that are new or changed in a snapshot, and the snapshot's whole lists. */
    record Update(AlertLists before, AlertLists changes, AlertLists current) {}

    /**
     * Reads the snapshot if it is new and returns what changed in it; empty when the file is the one already read
     * or no alert changed (the first read only sets the lists). Throws {@link ApiError} (503) while no published
     * file is there.
     */
    synchronized Optional<Update> refresh() throws SQLException {
        Object seen = snapshot.identity();
        if (current != null && seen.equals(identity)) {
            return Optional.empty();
        }
        AlertLists read = read(seen);
        identity = seen;
        if (current == null) {
            current = read;
            return Optional.empty();
        }
        AlertLists before = current;
        AlertLists changes = AlertLists.changes(before, read);
        current = read;
        return changes.isEmpty() ? Optional.empty() : Optional.of(new Update(before, changes, read));
    }

    /**
     * The lists of the newest snapshot read, reading it first if none was. When another file has been published
     * since and the watcher has not read it yet, it is read here too, so a file that cannot be read is refused as on
     * every other route; its changes are left to the watcher's {@link #refresh}, which sends them to the streams.
     */
    synchronized AlertLists current() throws SQLException {
        if (current == null) {
            refresh();
        } else {
            Object seen = snapshot.identity();
            if (!seen.equals(identity)) {
                read(seen);
            }
        }
        return current;
    }

    /**
     * Reads both lists of the file of identity {@code seen}, or refuses (503) when they cannot be read: a file
     * that failed once is not read again.
     */
    private AlertLists read(Object seen) throws SQLException {
        if (seen.equals(unreadable)) {
            throw Snapshot.cannotRead();
        }
        try (Connection c = snapshot.connect()) {
            return new AlertLists(AlertQueries.alerts(c, area -> true), AlertQueries.publicAlerts(c));
        } catch (SQLException e) {
            unreadable = seen;
            throw snapshot.failed(e);
        }
    }
}
