package lookout.dashboards;

import java.net.URLEncoder;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.event.HandlerMetaInfo;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import lookout.kernel.BodyCharset;

/**
 * The dashboards' HTTP server: the pages and the JSON API over the published snapshot, each a {@link Feature}.
 * Front-end libraries are WebJars served under {@code /webjars/}, the site's own files under {@code /static/};
 * nothing is fetched from elsewhere, and the Content-Security-Policy says so. Every refusal is a JSON
 * {@code {"error": ...}} under {@code /api/} and a short HTML page elsewhere, never a stack trace.
 */
public final class DashboardServer implements AutoCloseable {
    /** The job's default {@code zone}: the city whose times the pages show unless told otherwise. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("America/Toronto");

    /** Longest query string accepted; the site's parameters are short words. */
    static final int MAX_QUERY_CHARS = 1024;
    /** Scripts and styles only from this server; inline styles are allowed for the libraries' positioning. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /** Marks a request a handler refused, whose error body the status-code handlers must keep. */
    private static final String REFUSED = "lookout.refused";
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);

    private final Javalin app;
    private final AuditLog audit;

    /** Shows times in {@link #DEFAULT_ZONE}, with the default limits of the live alert streams. */
    public DashboardServer(Snapshot snapshot, Users users, AuditLog audit, Consumer<HandlerMetaInfo> onRoute) {
        this(snapshot, users, audit, DEFAULT_ZONE, AlertStreams.Limits.DEFAULT, null, null, FeedbackStore.inMemory(),
                null, onRoute);
    }

    /** @param zone the city's time zone (the job's {@code zone}), in which pages show times */
    public DashboardServer(Snapshot snapshot, Users users, AuditLog audit, ZoneId zone, Consumer<HandlerMetaInfo> onRoute) {
        this(snapshot, users, audit, zone, AlertStreams.Limits.DEFAULT, null, null, FeedbackStore.inMemory(), null,
                onRoute);
    }

    /** @param openData the open-data directory to publish at /open-data/, or null for none */
    public DashboardServer(Snapshot snapshot, Users users, AuditLog audit, ZoneId zone, OpenData openData,
            Consumer<HandlerMetaInfo> onRoute) {
        this(snapshot, users, audit, zone, AlertStreams.Limits.DEFAULT, openData, null, FeedbackStore.inMemory(), null,
                onRoute);
    }

    /**
     * @param notifier the notifier's subscriptions API for /notifications, or null when there is none
     * @param feedback where the answers to "was this useful?" are counted
     * @param alertFeeds the notifier's {@code feed.dir}, whose CAP and Atom feeds are served under /feeds/, or null
     */
    public DashboardServer(Snapshot snapshot, Users users, AuditLog audit, ZoneId zone, OpenData openData,
            NotifierClient notifier, FeedbackStore feedback, Path alertFeeds, Consumer<HandlerMetaInfo> onRoute) {
        this(snapshot, users, audit, zone, AlertStreams.Limits.DEFAULT, openData, notifier, feedback, alertFeeds,
                onRoute);
    }

    DashboardServer(Snapshot snapshot, Users users, AuditLog audit, ZoneId zone, AlertStreams.Limits streams,
            OpenData openData, NotifierClient notifier, FeedbackStore feedbackStore, Path alertFeeds,
            Consumer<HandlerMetaInfo> onRoute) {
        this.audit = audit;
        Site site = new Site(snapshot, users, new Sessions(Clock.systemUTC()), audit, zone);
        Feedback feedback = new Feedback(feedbackStore, Clock.systemUTC());
        AlertFeedFiles feeds = new AlertFeedFiles(alertFeeds);
        List<Feature> features = List.of(
                new ApiRoutes(),
                new SignIn(),
                new AreaMap(),
                new Alerts(streams, feedback, feeds.published()),
                feeds,
                new OpenDataRoutes(openData),
                new AreaPage(),
                new Notifications(notifier),
                feedback);
        this.app = Javalin.create(config -> configure(config, site, features, onRoute));
    }

    private static void configure(JavalinConfig config, Site site, List<Feature> features, Consumer<HandlerMetaInfo> onRoute) {
        config.jsonMapper(new JavalinJackson());
        config.startup.showJavalinBanner = false;
        config.events.handlerAdded(onRoute);
        // Requests Jetty refuses before any route sees them (a NUL in the path, say) get the site's refusal too.
        config.jetty.modifyServer(server -> server.setErrorHandler((request, response, callback) -> {
            String message = statusWords(response.getStatus());
            boolean api = Request.getPathInContext(request).startsWith("/api/");
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, api ? "application/json" : "text/html;charset=utf-8");
            String body = api ? "{\"error\":\"" + message + "\"}"
                    : refusalPage(response.getStatus(), message, Request.getPathInContext(request));
            Content.Sink.write(response, true, body, callback);
            return true;
        }));
        config.http.compressionStrategy = CompressionStrategy.GZIP;
        config.http.prefer405over404 = true;
        config.staticFiles.enableWebjars();
        config.staticFiles.add(files -> {
            files.hostedPath = "/static";
            files.directory = "/lookout/dashboards/static";
            files.location = Location.CLASSPATH;
        });
        config.routes.before(ctx -> {
            ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Referrer-Policy", "no-referrer");
            String q = ctx.queryString();
            if (q != null && q.length() > MAX_QUERY_CHARS) {
                throw new ApiError(414, "query string longer than " + MAX_QUERY_CHARS + " characters");
            }
            if (!BodyCharset.isKnown(ctx.characterEncoding())) {
                throw new ApiError(415, BodyCharset.UNKNOWN);
            }
            refuseRepeatedParameters(ctx);
            requireReadableForm(ctx);
            refuseHead(ctx);
        });
        features.forEach(f -> f.routes(config, site));
        config.routes.exception(ApiError.class, (e, ctx) -> {
            ctx.attribute(REFUSED, true);
            refuse(ctx, e.status, e.getMessage());
        });
        // Javalin's own refusals (a body over its size limit, say) would otherwise be plain text.
        config.routes.exception(HttpResponseException.class, (e, ctx) -> {
            if (e instanceof MethodNotAllowedResponse) {
                ctx.header("Allow", String.join(", ", e.getDetails().values()));
            }
            refuse(ctx, e.getStatus(), statusWords(e.getStatus()));
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} failed", ctx.endpoint().path, e);
            refuse(ctx, 500, "internal error");
        });
        // Refusals thrown by a handler already carry their body; these cover paths and methods no route matches.
        config.routes.error(404, ctx -> {
            if (ctx.attribute(REFUSED) == null) {
                refuse(ctx, 404, "no such page");
            }
        });
        config.routes.error(405, ctx -> refuse(ctx, 405, "method not allowed"));
    }

    /**
     * Refuses a query parameter given twice (400), as the commands refuse an option given twice: read as its first
     * value, {@code ?signal=paramedic&signal=coroner} answered paramedic's counts without a word.
     */
    private static void refuseRepeatedParameters(Context ctx) {
        ctx.queryParamMap().forEach((name, values) -> {
            if (values.size() > 1) {
                throw new ApiError(400, "the query gives " + name + " more than once; give it once");
            }
        });
    }

    /**
     * Refuses HEAD (405) except for open-data files: Javalin would answer it 200 with no headers of the GET it
     * stands for, whether or not the caller may see the resource or it exists.
     */
    private static void refuseHead(Context ctx) {
        if (ctx.method() == HandlerType.HEAD && !OpenDataRoutes.answersHead(ctx.path())) {
            throw new ApiError(405, "HEAD is not answered here; send GET");
        }
    }

    /**
     * Parses a multipart form before any handler reads it: a body that does not match its declared boundary is the
     * client's fault (400), not a failure of the handler that happens to read it first.
     */
    private static void requireReadableForm(Context ctx) {
        if (!ctx.isMultipartFormData()) {
            return;
        }
        try {
            ctx.formParamMap();
        } catch (Exception e) {
            // The body was not read to its end, so the connection cannot carry another request.
            ctx.header("Connection", "close");
            throw new ApiError(400, "the form cannot be read: its body does not match its multipart boundary");
        }
    }

    /** The status's reason phrase as a refusal's message: "payload too large". */
    private static String statusWords(int status) {
        return HttpStatus.getMessage(status).toLowerCase(Locale.ROOT);
    }

    private static void refuse(Context ctx, int status, String message) {
        ctx.status(status);
        if (ctx.path().startsWith("/api/")) {
            ctx.json(Map.of("error", message));
        } else {
            ctx.html(refusalPage(status, message, signInReturnsTo(ctx)));
        }
    }

    /**
     * Where signing in from a refusal leads: the page itself, or, for a form posted after signing out, the page the
     * form is on. A form's posts go to its page's path ({@code /notifications}, {@code /notifications/delete}), so
     * that is the path's first segment; going back to the post's own path would be a GET the route does not answer.
     */
    private static String signInReturnsTo(Context ctx) {
        if (ctx.method() == HandlerType.GET) {
            return ctx.path();
        }
        int end = ctx.path().indexOf('/', 1);
        return end < 0 ? ctx.path() : ctx.path().substring(0, end);
    }

    /**
     * A refused page: the reason, and the way on. A page that needs signing in (a message's "change or stop these
     * alerts" link, a form left open after signing out) says so in a reader's words, not an API's, and its sign-in
     * comes back to it.
     */
    private static String refusalPage(int status, String message, String signInNext) {
        String problem = status == 401 ? "Sign in to see this page" : capitalised(message);
        String hint = status == 401
                ? "<p><a href=\"/login?next=" + Html.text(URLEncoder.encode(signInNext, StandardCharsets.UTF_8))
                        + "\">Sign in</a></p>"
                : "<p><a href=\"/\">Back to the map</a></p>";
        return new Page("Sorry", null).html("<p class=\"problem\">" + Html.text(problem) + ".</p>" + hint)
                .render(Optional.empty());
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Starts listening on {@code host}:{@code port} (0: a free port) and returns the port. */
    public int start(String host, int port) {
        app.start(host, port);
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
        audit.close();
    }
}
