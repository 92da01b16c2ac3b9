package lookout.dashboards;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;

import io.javalin.http.Context;

import lookout.kernel.BearerToken;

/**
 * What every feature of the site shares: the published snapshot, who is calling (a bearer token, or the session
 * cookie a browser got by signing in), the refusal of a role that may not, the audit log, and the city's time zone
 * (the job's {@code zone}), in which pages show times.
 */
final class Site {
    private final Snapshot snapshot;
    private final Users users;
    private final Sessions sessions;
    private final AuditLog audit;
    private final ZoneId zone;

    Site(Snapshot snapshot, Users users, Sessions sessions, AuditLog audit, ZoneId zone) {
        this.snapshot = snapshot;
        this.users = users;
        this.sessions = sessions;
        this.audit = audit;
        this.zone = zone;
    }

    interface Read<T> {
        T from(Connection c) throws SQLException;
    }

    /** Runs {@code query} on the newest published snapshot; a failed read is refused as the file's (503). */
    <T> T read(Read<T> query) throws SQLException {
        try (Connection c = snapshot.connect()) {
            return query.from(c);
        } catch (SQLException e) {
            throw snapshot.failed(e);
        }
    }

    /**
     * The signed-in caller, or empty for the public. A bearer token that names nobody is refused (401) rather
     * than served as public, so a mistyped token is noticed; an expired session cookie is simply the public.
     */
    Optional<User> user(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null) {
            String token = BearerToken.of(header)
                    .orElseThrow(() -> new ApiError(401, "the Authorization header must be 'Bearer TOKEN'"));
            return Optional.of(users.byToken(token).orElseThrow(() -> new ApiError(401, "unknown token")));
        }
        String session = ctx.cookie(Sessions.COOKIE);
        return session == null ? Optional.empty() : sessions.user(session);
    }

    /** The caller, if signed in with one of the {@code allowed} roles; else 401 (not signed in) or 403. */
    User authorise(Context ctx, Role... allowed) {
        User user = user(ctx).orElseThrow(() -> new ApiError(401, "sign in or send a bearer token to see this"));
        if (!Set.of(allowed).contains(user.role())) {
            audit.record(user, "refused", ctx.method() + " " + ctx.endpoint().path, "");
            throw new ApiError(403, "your role may not see this");
        }
        return user;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    ZoneId zone() {
        return zone;
    }

    AuditLog audit() {
        return audit;
    }

    Users users() {
        return users;
    }

    Sessions sessions() {
        return sessions;
    }

    /** Answers with {@code page} rendered for the caller. */
    void render(Context ctx, Page page) {
        ctx.html(page.render(user(ctx)));
    }
}
