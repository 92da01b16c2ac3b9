package lookout.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the browser tests share: the Toronto snapshot, a dashboards server on it, and the browsers a test class
 * starts (its own {@code @BeforeAll} runs after this one). Everything is closed after the class.
 */
abstract class OnTorontoDashboards {
    static TorontoSnapshot toronto;
    static LiveDashboards dashboards;
    static Browsers browsers;
    /** The dashboards {@link #onACopy} started, closed after the class. */
    private static final List<LiveDashboards> copies = new ArrayList<>();

    /** Where {@link #onACopy} copies the Toronto snapshot. */
    @TempDir
    static Path copyDir;

    /** What a test class changes in its copy of the Toronto snapshot. */
    interface Change {
        void apply(Connection c) throws Exception;
    }

    /** A change of one SQL statement. */
    static Change sql(String statement) {
        return c -> {
            try (Statement s = c.createStatement()) {
                s.execute(statement);
            }
        };
    }

    /** Dashboards on a copy of the Toronto snapshot that {@code change} changed first. */
    static LiveDashboards onACopy(Change change) throws Exception {
        Path db = copyDir.resolve("lookout-" + copies.size() + ".duckdb");
        Files.copy(toronto.db, db);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
            change.apply(c);
        }
        LiveDashboards copy = new LiveDashboards(db, toronto.users);
        copies.add(copy);
        return copy;
    }

    @BeforeAll
    static void startDashboards() throws Exception {
        toronto = TorontoSnapshot.get();
        dashboards = LiveDashboards.toronto();
    }

    @AfterAll
    static void stopDashboards() throws Exception {
        for (LiveDashboards copy : copies) {
            copy.close();
        }
        copies.clear();
        if (browsers != null) {
            browsers.close();
            browsers = null;
        }
        if (dashboards != null) {
            dashboards.close();
            dashboards = null;
        }
    }
}
