package lookout.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lookout.dashboards.AuditLog;
import lookout.dashboards.DashboardServer;
import lookout.dashboards.FeedbackStore;
import lookout.dashboards.NotifierClient;
import lookout.dashboards.Snapshot;
import lookout.dashboards.Users;

/**
 * A real dashboards server on a free loopback port over a published snapshot, with its users file, an audit log
 * in a temporary directory, and a real HTTP client.
 */
public final class LiveDashboards implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Path audit;
    private final Snapshot snapshot;
    private final DashboardServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final int port;

    public LiveDashboards(Path db, Path users) throws Exception {
        this(db, users, null);
    }

    /** @param notifier the notifier's subscriptions API for /notifications, or null */
    public LiveDashboards(Path db, Path users, NotifierClient notifier) throws Exception {
        audit = Files.createTempFile("lookout-dashboards-", ".audit.log");
        snapshot = new Snapshot(db);
        server = new DashboardServer(snapshot, Users.read(users), new AuditLog(audit, Clock.systemUTC()),
                DashboardServer.DEFAULT_ZONE, null, notifier, FeedbackStore.inMemory(), null, r -> {});
        port = server.start("127.0.0.1", 0);
    }

    /** Over the shared Toronto snapshot. */
    public static LiveDashboards toronto() throws Exception {
        TorontoSnapshot s = TorontoSnapshot.get();
        return new LiveDashboards(s.db, s.users);
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** GET with the bearer token, if any. */
    public HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(pathAndQuery));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET that must answer 200, as JSON. */
    public JsonNode json(String pathAndQuery, String token) throws Exception {
        HttpResponse<String> r = get(pathAndQuery, token);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    @Override
    public void close() throws Exception {
        server.close();
        snapshot.close();
        Files.deleteIfExists(audit);
    }
}
