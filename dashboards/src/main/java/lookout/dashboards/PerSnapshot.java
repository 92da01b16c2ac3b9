package lookout.dashboards;

import java.sql.SQLException;

/**
 * A value derived from the published snapshot, kept until the pipeline publishes a new one: the snapshot is
 * read-only, so the same file always gives the same answer.
 */
final class PerSnapshot<T> {
    private Object version;
    private T value;

    synchronized T get(Site site, Site.Read<T> query) throws SQLException {
        Object now = site.snapshot().identity();
        if (value == null || !now.equals(version)) {
            value = site.read(query);
            version = now;
        }
        return value;
    }
}
