package lookout.dashboards;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.event.HandlerMetaInfo;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import lookout.kernel.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboards' HTTP server: the JSON API under {@code /api/} over the published snapshot. Restricted routes
 * check the bearer token (none: 401; a role that may not: 403), then validate every parameter, then write the
 * audit line, then query; every refusal is a JSON {@code {"error": ...}} without a stack trace.
 */
public final class DashboardServer implements AutoCloseable {
    /** Longest query string accepted; the API's parameters are short words. */
    static final int MAX_QUERY_CHARS = 1024;
    private static final Pattern AREA_ID = Users.AREA;
    private static final Set<String> GRANULARITIES = Set.of("hour", "day");
    private static final String OPENAPI = "/lookout/dashboards/openapi.json";

    /** Marks a request a handler refused, whose JSON error the status-code handlers must keep. */
    private static final String REFUSED = "lookout.refused";
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

    private final Snapshot snapshot;
    private final Users users;
    private final AuditLog audit;
    private final OpenDataRoutes openData;
    private final Javalin app;

    /** @param openData the open-data directory to publish, or null for none */
    public DashboardServer(Snapshot snapshot, Users users, AuditLog audit, OpenData openData,
            Consumer<HandlerMetaInfo> onRoute) {
        this.snapshot = snapshot;
        this.users = users;
        this.audit = audit;
        this.openData = new OpenDataRoutes(openData);
        this.app = Javalin.create(config -> configure(config, onRoute));
    }

    private void configure(JavalinConfig config, Consumer<HandlerMetaInfo> onRoute) {
        config.jsonMapper(new JavalinJackson());
        config.startup.showJavalinBanner = false;
        config.events.handlerAdded(onRoute);
        // Requests Jetty refuses before any route sees them (a NUL in the path, say) get a JSON error too, not its HTML page.
        config.jetty.modifyServer(server -> server.setErrorHandler((request, response, callback) -> {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            String reason = HttpStatus.getMessage(response.getStatus()).toLowerCase(Locale.ROOT);
            Content.Sink.write(response, true, "{\"error\":\"" + reason + "\"}", callback);
            return true;
        }));
        config.routes.before(ctx -> {
            String q = ctx.queryString();
            if (q != null && q.length() > MAX_QUERY_CHARS) {
                throw new ApiError(414, "query string longer than " + MAX_QUERY_CHARS + " characters");
            }
        });
        config.routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi()));
        config.routes.get("/api/areas", ctx -> ctx.json(read(Queries::areas)));
        config.routes.get("/api/public/alerts", ctx -> ctx.json(read(Queries::publicAlerts)));
        config.routes.get("/api/alerts", this::alerts);
        config.routes.get("/api/areas/{id}/series", this::series);
        openData.add(config.routes);
        config.routes.exception(ApiError.class, (e, ctx) -> {
            ctx.attribute(REFUSED, true);
            ctx.status(e.status).json(Map.of("error", e.getMessage()));
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} failed", ctx.endpoint().path, e);
            ctx.status(500).json(Map.of("error", "internal error"));
        });
        // Refusals thrown by a handler already carry their JSON; these cover paths and methods no route matches.
        config.routes.error(404, ctx -> {
            if (ctx.attribute(REFUSED) == null) {
                ctx.json(Map.of("error", "no such resource"));
            }
        });
        config.routes.error(405, ctx -> ctx.json(Map.of("error", "method not allowed")));
    }

    private void alerts(Context ctx) throws SQLException {
        User user = authorise(ctx, Role.OUTREACH, Role.ANALYST);
        audit.record(user, "granted", "GET /api/alerts", "");
        ctx.json(read(c -> Queries.alerts(c, user::maySee)));
    }

    private void series(Context ctx) throws SQLException {
        User user = authorise(ctx, Role.OUTREACH, Role.ANALYST);
        String areaId = ctx.pathParam("id");
        if (!AREA_ID.matcher(areaId).matches()) {
            throw new ApiError(400, "an area id is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        Signal signal = Signal.fromCode(Optional.ofNullable(ctx.queryParam("signal")).orElse(""))
                .orElseThrow(() -> new ApiError(400, "signal must be one of " + Signal.sources().stream()
                        .map(Signal::code).toList() + " or combined"));
        String granularity = Optional.ofNullable(ctx.queryParam("granularity")).orElse("day");
        if (!GRANULARITIES.contains(granularity)) {
            throw new ApiError(400, "granularity must be hour or day");
        }
        String params = "area=" + areaId + " signal=" + signal.code() + " granularity=" + granularity;
        if (!user.maySee(areaId)) {
            audit.record(user, "refused", "GET /api/areas/{id}/series", params);
            throw new ApiError(403, "this area is not in your profile");
        }
        audit.record(user, "granted", "GET /api/areas/{id}/series", params);
        ctx.json(read(c -> {
            if (!Queries.areaExists(c, areaId)) {
                throw new ApiError(404, "no such area");
            }
            return Queries.series(c, areaId, signal, granularity);
        }));
    }

    /** The caller, if the bearer token names a user whose role is one of {@code allowed}; else 401 or 403. */
    private User authorise(Context ctx, Role... allowed) {
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            throw new ApiError(401, "this resource needs a bearer token");
        }
        User user = users.byToken(header.substring("Bearer ".length()).strip())
                .orElseThrow(() -> new ApiError(401, "unknown token"));
        if (!Set.of(allowed).contains(user.role())) {
            audit.record(user, "refused", ctx.method() + " " + ctx.endpoint().path, "");
            throw new ApiError(403, "your role may not see this resource");
        }
        return user;
    }

    private interface Read<T> {
        T from(Connection c) throws SQLException;
    }

    private <T> T read(Read<T> query) throws SQLException {
        try (Connection c = snapshot.connect()) {
            return query.from(c);
        }
    }

    private static String openApi() {
        try (InputStream in = DashboardServer.class.getResourceAsStream(OPENAPI)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts listening on {@code host}:{@code port} (0: a free port) and returns the port. */
    public int start(String host, int port) {
        app.start(host, port);
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
