package lookout.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;

import lookout.dashboards.AuditLog;
import lookout.dashboards.DashboardServer;
import lookout.dashboards.FeedbackStore;
import lookout.dashboards.NotifierClient;
import lookout.dashboards.OpenData;
import lookout.dashboards.Snapshot;
import lookout.dashboards.Users;
import lookout.kernel.UsageException;

/**
 * The demo's dashboards: the server of {@code ./lookout serve} over the file the demo's job publishes, on loopback
 * only. Until the job's first checkpoint there is no file, and the pages say the data is not available yet.
 * Their /open-data/ page serves the release {@link DemoOpenData} publishes. Their /notifications page calls the
 * demo's notifier; the answers to "was this useful?" are counted in
 * {@code DB.feedback.json} (the default of {@code serve}), which every demo replaces, as it replaces the database.
 */
final class Dashboards implements AutoCloseable {
    static final String BIND = "127.0.0.1";

    private final Snapshot snapshot;
    private final DashboardServer server;
    final int port;
    private boolean closed;

    private Dashboards(Snapshot snapshot, DashboardServer server, int port) {
        this.snapshot = snapshot;
        this.server = server;
        this.port = port;
    }

    /**
     * Listens on {@code port}; when that is taken and {@code fallBack} (the user did not ask for that port), on a
     * free one. Prints the URL, and why the port is another, as the demo's first line.
     */
    static Dashboards start(Path db, Users users, int port, boolean fallBack, NotifierClient notifier, PrintStream out)
            throws SQLException, IOException {
        // First, as it may refuse: before any of the demo's files is replaced.
        OpenData openData = OpenData.in(DemoOpenData.replace(db));
        AuditLog audit = new AuditLog(Path.of(db + ".audit.log"), Clock.systemUTC());
        FeedbackStore feedback = newFeedback(feedbackFile(db));
        Dashboards d = listen(db, users, audit, openData, notifier, feedback, port);
        String note = "";
        if (d == null && fallBack) {
            d = listen(db, users, audit, openData, notifier, feedback, 0);
            note = " (port " + port + " is in use)";
        }
        if (d == null) {
            throw new UsageException("cannot listen on " + BIND + ":" + port + " (address in use)");
        }
        out.printf("lookout demo: dashboards at http://%s:%d/%s%n", BIND, d.port, note);
        out.flush();
        return d;
    }

    static Path feedbackFile(Path db) {
        return Path.of(db + ".feedback.json");
    }

    /**
     * An empty store in {@code file}: the answers of an earlier demo were about alerts of a database the demo has
     * replaced. Opened first, so that a file that is not a feedback file stops the demo rather than being deleted.
     */
    private static FeedbackStore newFeedback(Path file) throws IOException {
        FeedbackStore.open(file);
        Files.deleteIfExists(file);
        return FeedbackStore.open(file);
    }

    /** The dashboards listening on {@code port}, or null when it cannot be bound. */
    private static Dashboards listen(Path db, Users users, AuditLog audit, OpenData openData, NotifierClient notifier,
            FeedbackStore feedback, int port) throws SQLException {
        // Asked first, because the server logs a failed start as an error before it throws.
        if (port != 0 && !free(port)) {
            return null;
        }
        Snapshot snapshot = new Snapshot(db);
        DashboardServer server = new DashboardServer(snapshot, users, audit, DashboardServer.DEFAULT_ZONE, openData,
                notifier, feedback, DemoNotifier.feedDirectory(db), r -> {});
        try {
            return new Dashboards(snapshot, server, server.start(BIND, port));
        } catch (RuntimeException e) {
            server.close();
            snapshot.close();
            return null;
        }
    }

    private static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(BIND, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the server; called from the Ctrl-C hook and when the demo ends, so only the first call acts. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.close();
        try {
            snapshot.close();
        } catch (SQLException e) {
            // The process is ending; the read-only connection holds nothing to lose.
        }
    }
}
