package lookout.dashboards;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Browser sign-ins: a page cannot send a bearer token with a link or an {@code EventSource}, so signing in with
 * the token once sets a cookie holding a random session id instead. Sessions live in memory only (a restart
 * signs everyone out), expire after {@link #LIFETIME}, and are bounded in number: the oldest is dropped first.
 */
final class Sessions {
    static final String COOKIE = "lookout_session";
    static final Duration LIFETIME = Duration.ofHours(12);
    static final int MAX_SESSIONS = 10_000;

    private record Session(User user, Instant expires) {}

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byId = new LinkedHashMap<>();

    Sessions(Clock clock) {
        this.clock = clock;
    }

    /** Starts a session for {@code user} and returns its id. */
    synchronized String start(User user) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        if (byId.size() >= MAX_SESSIONS) {
            byId.remove(byId.keySet().iterator().next());
        }
        byId.put(id, new Session(user, clock.instant().plus(LIFETIME)));
        return id;
    }

    synchronized Optional<User> user(String id) {
        Session s = byId.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(s.expires())) {
            byId.remove(id);
            return Optional.empty();
        }
        return Optional.of(s.user());
    }

    synchronized void end(String id) {
        byId.remove(id);
    }
}
