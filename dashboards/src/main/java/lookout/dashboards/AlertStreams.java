package lookout.dashboards;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;

import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;

/**
 * The open live alert streams (server-sent events) and what each may receive. A stream belongs to a caller: the
 * public receives the public view, a signed-in user the restricted view of the areas they may see
 * ({@link AlertLists#visibleTo}). Events:
 * <ul>
 *   <li>{@code current}: every alert the caller may see, sent on connecting when the caller's lists are not the
 *       newest (its {@code since} or {@code Last-Event-ID} names another version, or none);</li>
 *   <li>{@code changed}: the alerts that are new or changed in a newly published snapshot, only when there is one
 *       the caller may see;</li>
 * </ul>
 * each with the version of the caller's view as its id ({@link AlertLists#versionFor}: a digest of what that
 * caller sees, so it moves on nothing else), and a reconnecting browser asks for what it missed. Bounded: at most
 * {@link Limits#maxPublic} public and {@link Limits#maxRestricted} signed-in streams at once (more are refused), each from its own places so that anonymous clients holding every
 * public place cannot keep outreach from the alerts; a comment every {@link Limits#heartbeat} keeps proxies from
 * closing an idle stream and finds the clients that left (a failed write closes the stream and frees its place).
 * Events are sent under one lock, so a client never receives a snapshot's changes before its initial list.
 */
final class AlertStreams {
    /**
     * How many public and how many signed-in streams may be open at once, how often a heartbeat is sent, how often
     * the snapshot is checked.
     */
    record Limits(int maxPublic, int maxRestricted, Duration heartbeat, Duration poll) {
        static final Limits DEFAULT = new Limits(200, 100, Duration.ofSeconds(15), Duration.ofMillis(500));
    }

    private record Stream(SseClient client, Optional<User> user) {}

    private final Limits limits;
    private final Semaphore publicPlaces;
    private final Semaphore restrictedPlaces;
    private final Set<Stream> open = new LinkedHashSet<>();

    AlertStreams(Limits limits) {
        this.limits = limits;
        this.publicPlaces = new Semaphore(limits.maxPublic());
        this.restrictedPlaces = new Semaphore(limits.maxRestricted());
    }

    /**
     * Takes a place for a new stream of {@code user} (empty: the public), or refuses (503) when every place of its
     * kind is taken. The place is the caller's until the stream closes; a caller that cannot go on to {@link #open}
     * gives it back with {@link #release}.
     */
    void reserve(Optional<User> user) {
        if (!places(user).tryAcquire()) {
            int max = user.isPresent() ? limits.maxRestricted() : limits.maxPublic();
            throw new ApiError(503, "too many live alert streams are open (" + max + "); try again in a minute");
        }
    }

    void release(Optional<User> user) {
        places(user).release();
    }

    private Semaphore places(Optional<User> user) {
        return user.isPresent() ? restrictedPlaces : publicPlaces;
    }

    /**
     * Turns the request into an event stream for {@code user} (empty: the public) holding a reserved place. It
     * starts with the {@code current} event unless {@code since} is the version of what the caller sees now.
     */
    void open(Context ctx, Optional<User> user, long since, AlertFeed feed) throws Exception {
        new SseHandler(client -> {
            client.keepAlive();
            Stream stream = new Stream(client, user);
            client.onClose(() -> closed(stream));
            synchronized (this) {
                open.add(stream);
                try {
                    AlertLists lists = feed.current();
                    long version = lists.versionFor(user);
                    if (version != since) {
                        client.sendEvent("current", lists.visibleTo(user), Long.toString(version));
                    }
                } catch (Exception e) {
                    client.close();
                }
            }
        }).handle(ctx);
    }

    private synchronized void closed(Stream stream) {
        if (open.remove(stream)) {
            release(stream.user());
        }
    }

    /**
     * Sends each open stream the changes of its caller's own view between {@code before} and {@code current}, if
     * any, with the version of that view after them. Compared view by view, not from the changes of the whole list: a
     * change only another view shows (a cluster's count, withheld from an outreach user who does not see its whole
     * zone) must not reach a stream as an event, whose time would tell it.
     */
    synchronized void publish(AlertLists before, AlertLists current) {
        // Up to 200 public streams share one view: its changes and digest are taken once.
        Map<Optional<User>, List<Map<String, Object>>> changes = new HashMap<>();
        Map<Optional<User>, Long> versions = new HashMap<>();
        for (Stream s : List.copyOf(open)) {
            List<Map<String, Object>> visible = changes.computeIfAbsent(s.user(),
                    u -> AlertLists.changed(before.visibleTo(u), current.visibleTo(u)));
            if (!visible.isEmpty()) {
                long version = versions.computeIfAbsent(s.user(), current::versionFor);
                s.client().sendEvent("changed", visible, Long.toString(version));
            }
        }
    }

    /** A comment on every open stream; a stream whose client left fails the write and is closed. */
    synchronized void heartbeat() {
        for (Stream s : List.copyOf(open)) {
            s.client().sendComment("still here");
        }
    }

    /** Ends every stream (the server is stopping). */
    synchronized void closeAll() {
        for (Stream s : List.copyOf(open)) {
            s.client().close();
        }
    }

    Limits limits() {
        return limits;
    }
}
