package lookout.dashboards;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.event.HandlerMetaInfo;

/**
 * A real server on a free loopback port over {@link PublishedDb}, with an analyst and an outreach account (for
 * A2 unless told otherwise), and a real HTTP client.
 */
final class ApiServer implements AutoCloseable {
    static final Instant NOW = Instant.parse("2026-03-03T00:00:00Z");
    static final ZoneId ZONE = ZoneId.of("America/Toronto");
    static final ObjectMapper JSON = new ObjectMapper();

    final Path db;
    final Path audit;
    /** The dashboards' feedback file ("was this useful?"). */
    final Path feedback;
    final String analyst;
    final String outreach;
    final List<HandlerMetaInfo> routes = new ArrayList<>();
    private final Snapshot snapshot;
    private final DashboardServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final int port;

    ApiServer(Path dir) throws Exception {
        this(dir, PublishedDb.ROWS, Set.of("A2"), AlertStreams.Limits.DEFAULT, null, null);
    }

    /** @param alertFeeds the notifier's feed directory to serve under /feeds/ */
    ApiServer(Path dir, Path alertFeeds) throws Exception {
        this(dir, PublishedDb.ROWS, Set.of("A2"), AlertStreams.Limits.DEFAULT, null, alertFeeds);
    }

    /** With {@code streams} for the live alert streams (a small cap, a short heartbeat). */
    ApiServer(Path dir, AlertStreams.Limits streams) throws Exception {
        this(dir, PublishedDb.ROWS, Set.of("A2"), streams, null, null);
    }

    /** @param openData the open-data directory to publish, or null for none */
    ApiServer(Path dir, OpenData openData) throws Exception {
        this(dir, PublishedDb.ROWS, Set.of("A2"), AlertStreams.Limits.DEFAULT, openData, null);
    }

    /** A server over the published tables holding {@code rows}, with an outreach account for {@code outreachAreas}. */
    ApiServer(Path dir, List<String> rows, Set<String> outreachAreas) throws Exception {
        this(dir, rows, outreachAreas, AlertStreams.Limits.DEFAULT, null, null);
    }

    private ApiServer(Path dir, List<String> rows, Set<String> outreachAreas, AlertStreams.Limits streams,
            OpenData openData, Path alertFeeds) throws Exception {
        db = PublishedDb.create(dir.resolve("lookout.duckdb"), rows);
        audit = dir.resolve("audit.log");
        feedback = dir.resolve("feedback.json");
        Path users = dir.resolve("users.txt");
        analyst = Users.add(users, "ana", Role.ANALYST, Set.of());
        outreach = Users.add(users, "otto", Role.OUTREACH, outreachAreas);
        snapshot = new Snapshot(db);
        server = new DashboardServer(snapshot, Users.read(users), new AuditLog(audit, Clock.fixed(NOW, ZoneOffset.UTC)),
                ZONE, streams, openData, null, FeedbackStore.open(feedback), alertFeeds, routes::add);
        port = server.start("127.0.0.1", 0);
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    HttpClient client() {
        return client;
    }

    HttpResponse<String> get(String pathAndQuery, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(pathAndQuery));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Override
    public void close() throws Exception {
        server.close();
        snapshot.close();
    }
}
