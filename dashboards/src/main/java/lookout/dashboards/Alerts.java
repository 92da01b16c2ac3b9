package lookout.dashboards;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts: the page ({@code /alerts}), the lists ({@code /api/alerts}, {@code /api/public/alerts}) and their live
 * streams of server-sent events ({@code /api/alerts/stream}, {@code /api/public/alerts/stream}). One watcher thread
 * checks the published snapshot every {@link AlertStreams.Limits#poll} and pushes the alerts that are new or changed
 * in it to the open streams, each only what its caller may see.
 */
final class Alerts implements Feature {
    static final String STREAM = "/api/alerts/stream";
    static final String PUBLIC_STREAM = "/api/public/alerts/stream";
    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
    private final Answers answers = new Answers();

    private final AlertStreams streams;
    private Site site;
    private AlertFeed feed;
    /** The areas' names, for an outreach user's profile on the page: read once per snapshot, not per view. */
    private final PerSnapshot<Map<String, String>> areaNames = new PerSnapshot<>();
    private ScheduledExecutorService watcher;
    /** True while the snapshot cannot be read, so a missing file is logged once, not every poll. */
    private boolean failing;

    private final Feedback feedback;
    private final boolean feedsPublished;

    /**
     * @param feedback whose counts analysts see on the page
     * @param feedsPublished whether this server serves the notifier's public feeds, which the page then names
     */
    Alerts(AlertStreams.Limits limits, Feedback feedback, boolean feedsPublished) {
        this.streams = new AlertStreams(limits);
        this.feedback = feedback;
        this.feedsPublished = feedsPublished;
    }

    @Override
    public void routes(JavalinConfig config, Site site) {
        this.site = site;
        this.feed = new AlertFeed(site.snapshot());
        config.routes.get(AlertsPage.PATH, this::page);
        config.routes.get("/api/public/alerts", ctx -> ctx.contentType("application/json")
                .result(answers.get(site, "public", s -> s.read(AlertQueries::publicAlerts))));
        config.routes.get("/api/alerts", ctx -> {
            User user = site.authorise(ctx, Role.OUTREACH, Role.ANALYST);
            site.audit().record(user, "granted", "GET /api/alerts", "");
            ctx.contentType("application/json")
                    .result(answers.get(site, user.view(), s -> s.read(c -> AlertQueries.alerts(c, user::maySee))));
        });
        config.routes.get(STREAM, ctx -> stream(ctx, true));
        config.routes.get(PUBLIC_STREAM, ctx -> stream(ctx, false));
        config.events.serverStarted(this::startWatcher);
        config.events.serverStopping(this::stopWatcher);
    }

    private void page(Context ctx) throws Exception {
        Optional<User> user = site.user(ctx);
        user.ifPresent(u -> site.audit().record(u, "granted", "GET " + AlertsPage.PATH, ""));
        Map<String, String> names = user.isPresent() && user.get().role() == Role.OUTREACH
                ? areaNames.get(site, AlertQueries::areaNames) : Map.of();
        Page page = AlertsPage.page(feed.current(), user, names, site.zone(), Instant.now(),
                feedsPublished);
        if (user.isPresent() && user.get().role() == Role.ANALYST) {
            page.html(feedback.analystSection());
        }
        site.render(ctx, page);
    }

    /**
     * Opens a live stream: the caller first (401 or 403 for the restricted one), then the request's shape, then a
     * free place (503 when none); a restricted stream is audited once, when it opens.
     */
    private void stream(Context ctx, boolean restricted) throws Exception {
        Optional<User> user = restricted ? Optional.of(site.authorise(ctx, Role.OUTREACH, Role.ANALYST)) : Optional.empty();
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new ApiError(406, "this is an event stream: send 'Accept: text/event-stream'");
        }
        long since = since(ctx);
        streams.reserve(user);
        try {
            user.ifPresent(u -> site.audit().record(u, "granted", "GET " + STREAM, ""));
            streams.open(ctx, user, since, feed);
        } catch (Exception | Error e) {
            streams.release(user);
            throw e;
        }
    }

    /**
     * The version of the alerts the caller already holds: a reconnecting browser's {@code Last-Event-ID} (ignored
     * unless a number: the browser sends it unasked), else the {@code since} parameter the page wrote, else none (-1).
     */
    private static long since(Context ctx) {
        OptionalLong last = version(ctx.header("Last-Event-ID"));
        if (last.isPresent()) {
            return last.getAsLong();
        }
        String since = ctx.queryParam("since");
        if (since == null) {
            return -1;
        }
        return version(since).orElseThrow(() -> new ApiError(400,
                "since must be a whole number: the id of the last event received"));
    }

    /** {@code text} as a version: any whole number from 0 to {@link Long#MAX_VALUE}, else empty. */
    private static OptionalLong version(String text) {
        if (text == null || !text.matches("\\d{1,19}")) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException beyondLong) {
            return OptionalLong.empty();
        }
    }

    private synchronized void startWatcher() {
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lookout-alert-watcher");
            t.setDaemon(true);
            return t;
        });
        long poll = streams.limits().poll().toMillis();
        long heartbeat = streams.limits().heartbeat().toMillis();
        watcher.scheduleWithFixedDelay(this::poll, 0, poll, TimeUnit.MILLISECONDS);
        watcher.scheduleWithFixedDelay(streams::heartbeat, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            feed.refresh().ifPresent(update -> streams.publish(update.before(), update.current()));
            failing = false;
        } catch (ApiError notPublishedYet) {
            // No snapshot yet (the job has not completed its first checkpoint): the pages say so; nothing to warn of.
        } catch (Exception e) {
            if (!failing) {
                LOG.warn("cannot read the alerts of the published snapshot (will keep trying): {}", e.getMessage());
            }
            failing = true;
        }
    }

    private synchronized void stopWatcher() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
        streams.closeAll();
    }
}
