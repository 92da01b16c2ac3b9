package lookout.dashboards;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import lookout.kernel.Command;
import lookout.kernel.ListenAddress;
import lookout.kernel.Options;
import lookout.kernel.SameFile;
import lookout.kernel.UsageException;

/** {@code ./lookout serve}: the dashboards' server over a published DuckDB snapshot, until interrupted. */
public final class ServeCommand implements Command {
    @Override
    public String name() {
        return "serve";
    }

    @Override
    public String summary() {
        return "the dashboards' web server (JSON API) over a published DuckDB snapshot";
    }

    @Override
    public String usage() {
        return """
                Usage: ./lookout serve --db FILE [--port N] [--bind ADDRESS] [--users FILE] [--audit FILE] [--zone ZONE]
                                     [--open-data DIR] [--alert-feeds DIR] [--notifier URL --notifier-token FILE]
                                     [--feedback FILE]

                Serves the pages and the JSON API under /api/ (described by /api/openapi.json) over the published
                DuckDB file, opened read-only; a snapshot the pipeline publishes later is picked up by the next
                request, and its new and changed alerts reach the open alerts pages (/alerts) and the live alert
                streams (/api/alerts/stream, /api/public/alerts/stream) within about a second.

                  --db FILE        the published DuckDB file (the job's `db`)
                  --port N         TCP port (default 8080; 0 picks a free one); the URL is printed first
                  --bind ADDRESS   address to listen on (default 127.0.0.1: this machine only)
                  --users FILE     outreach and analyst accounts (see ./lookout users --help); without it
                                   only the public routes answer
                  --audit FILE     where every access to restricted data is logged (default: DB.audit.log)
                  --zone ZONE      the city's time zone, in which pages show times: the job's `zone`
                                   (default America/Toronto)
                  --open-data DIR  publish the releases that `export --open-data DIR` wrote there at /open-data/
                                   (public, no login; a new release is listed without a restart)
                  --alert-feeds DIR  serve the notifier's public feeds of the alerts (its feed.dir) at
                                   /feeds/alerts.atom (Atom) and /feeds/cap/ (a CAP 1.2 message per change)
                  --notifier URL   the notifier's HTTP server (its http.port): signed-in outreach users manage
                                   their alert subscription at /notifications, analysts see subscriber counts
                  --notifier-token FILE  a file holding the notifier's http.token (the service token)
                  --feedback FILE  where the anonymous answers to "was this useful?" (the link in every
                                   notifier message) are counted (default: DB.feedback.json)
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Options o = Options.parse(name(), args, Set.of("db", "port", "bind", "users", "audit", "zone", "open-data",
                "alert-feeds", "notifier", "notifier-token", "feedback"),
                Set.of());
        Path db = o.existingPath("db");
        int port = o.integer("port", 8080);
        if (port < 0 || port > 65535) {
            throw new UsageException("--port must be between 0 and 65535");
        }
        String bind = o.has("bind") ? o.get("bind") : "127.0.0.1";
        Users users = o.has("users") ? Users.read(o.existingPath("users")) : Users.none();
        Path audit = Path.of(o.has("audit") ? o.get("audit") : db + ".audit.log");
        Path feedbackFile = Path.of(o.has("feedback") ? o.get("feedback") : db + ".feedback.json");
        Map<String, Path> read = new LinkedHashMap<>();
        read.put("--db", db);
        for (String option : List.of("users", "notifier-token", "open-data")) {
            if (o.has(option)) {
                read.put("--" + option, Path.of(o.get(option)));
            }
        }
        requireOwnFile("--audit", audit, read);
        read.put("--audit", audit);
        requireOwnFile("--feedback", feedbackFile, read);
        if (o.has("users") || o.has("audit")) {
            requireAppendable(audit);
        }
        ZoneId zone = o.has("zone") ? zone(o.get("zone")) : DashboardServer.DEFAULT_ZONE;
        OpenData openData = o.has("open-data") ? OpenData.in(directory("--open-data", o.get("open-data"))) : null;
        Path alertFeeds = o.has("alert-feeds") ? directory("--alert-feeds", o.get("alert-feeds")) : null;
        if (o.has("notifier") != o.has("notifier-token")) {
            throw new UsageException("--notifier and --notifier-token go together");
        }
        NotifierClient notifier = o.has("notifier") ? NotifierClient.of(o.get("notifier"), o.existingPath("notifier-token")) : null;
        FeedbackStore feedback = FeedbackStore.open(feedbackFile);
        try (Snapshot snapshot = readable(db);
             DashboardServer server = new DashboardServer(snapshot, users, new AuditLog(audit, Clock.systemUTC()), zone,
                     openData, notifier, feedback, alertFeeds, r -> {})) {
            unpublishedAreas(users, snapshot).forEach(w -> System.err.println("lookout serve: warning: " + w));
            int bound = start(server, bind, port);
            out.println("Dashboards at http://" + bind + ":" + bound + "/ (Ctrl-C stops)");
            if (openData != null) {
                out.println("Open data at http://" + bind + ":" + bound + OpenDataRoutes.PAGE);
            }
            if (alertFeeds != null) {
                out.println("Alert feeds at http://" + bind + ":" + bound + AlertFeedFiles.ATOM);
            }
            out.flush();
            new CountDownLatch(1).await();
        }
        return 0;
    }

    /**
     * Each outreach account's areas that the published snapshot does not hold, a line per account: a typo in the
     * users file ("X99") gave its holder an account that showed nothing, without a word. A warning, not a refusal:
     * an area may also have left the boundaries since the account was made.
     */
    static List<String> unpublishedAreas(Users users, Snapshot snapshot) throws SQLException {
        Set<String> published = new HashSet<>();
        try (Connection c = snapshot.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT area_id FROM areas")) {
            while (rs.next()) {
                published.add(rs.getString(1));
            }
        }
        List<String> warnings = new ArrayList<>();
        if (published.isEmpty()) {
            return warnings; // nothing published yet to judge by
        }
        users.outreachProfiles().forEach((name, areas) -> {
            List<String> unknown = areas.stream().filter(a -> !published.contains(a)).sorted().toList();
            if (!unknown.isEmpty()) {
                warnings.add("outreach account " + name + " names " + (unknown.size() == 1 ? "area " : "areas ")
                        + String.join(", ", unknown) + ", not among the published areas (a typo in the users file,"
                        + " or an area no longer in the boundaries)");
            }
        });
        return warnings;
    }

    /**
     * The published file, if it can be read as one: a file of another kind (the writer's own, a database of another
     * program, a text) would otherwise be served as a 503 on every page, the reason only in the log.
     */
    private static Snapshot readable(Path db) {
        Snapshot snapshot = new Snapshot(db);
        try {
            snapshot.requireReadable();
        } catch (SQLException e) {
            throw new UsageException("--db " + db + " cannot be read as the job's published database: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        return snapshot;
    }

    /**
     * A file {@code serve} writes to must be none it reads nor the other it writes: audit lines appended to the
     * database or the users file would damage them.
     */
    private static void requireOwnFile(String option, Path written, Map<String, Path> others) {
        for (Map.Entry<String, Path> other : others.entrySet()) {
            if (SameFile.as(written, other.getValue())) {
                throw new UsageException(option + " " + written + " is the " + other.getKey()
                        + " file; give " + option + " a file of its own");
            }
        }
    }

    /**
     * The log is first written at the first restricted request; a file that cannot be opened then made every such
     * request fail, so it is opened (and created) once before the server starts.
     */
    private static void requireAppendable(Path audit) {
        try {
            Files.newOutputStream(audit, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
        } catch (IOException e) {
            throw new UsageException("cannot append to the audit log " + audit + " (--audit FILE)");
        }
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new UsageException("--zone '" + id + "' is not a known time zone (e.g. America/Toronto)");
        }
    }

    /** A directory another command writes into (and creates when absent), never a file. */
    private static Path directory(String option, String given) {
        Path dir = Path.of(given);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException(option + " " + dir + " is not a directory");
        }
        return dir;
    }

    private static int start(DashboardServer server, String bind, int port) {
        if (ListenAddress.canListen(bind, port)) {
            try {
                return server.start(bind, port);
            } catch (RuntimeException e) {
                // Taken between the check and the start: the same answer.
            }
        }
        throw new UsageException("cannot listen on " + bind + ":" + port + " (address in use or not of this machine)");
    }
}
