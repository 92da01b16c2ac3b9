package lookout.dashboards;

import java.util.Optional;
import java.util.regex.Pattern;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

/**
 * Signing in from a browser: the form takes the token {@code ./lookout users add} printed, and a valid one sets
 * the session cookie: HttpOnly, so no script can read it, and SameSite=Lax, so the browser sends it when a link in an
 * alert's email or a webmail page opens the alerts (SameSite=Strict left an outreach lead signed out there, shown
 * the public alerts without the one the email was about), but never with another site's forms, scripts or frames.
 * Every route a link can reach only reads. Signing out ends the session on the server, not only in the browser.
 */
final class SignIn implements Feature {
    /**
     * A path of this site: one slash, then letters, digits and the path's own punctuation, nothing else; and maybe a
     * fragment of the same characters, such as the alert a message links to ({@code /alerts#alert-SPIKE}).
     */
    private static final Pattern SITE_PATH =
            Pattern.compile("/(?![/\\\\])[A-Za-z0-9/_.~-]{0,200}(#[A-Za-z0-9_-]{1,100})?");

    @Override
    public void routes(JavalinConfig config, Site site) {
        config.routes.get("/login", ctx -> site.render(ctx, form("", next(ctx.queryParam("next")))));
        config.routes.post("/login", ctx -> signIn(ctx, site));
        config.routes.post("/logout", ctx -> {
            String id = ctx.cookie(Sessions.COOKIE);
            if (id != null) {
                site.sessions().end(id);
            }
            ctx.removeCookie(Sessions.COOKIE, "/");
            ctx.redirect("/");
        });
    }

    private static void signIn(Context ctx, Site site) {
        String token = ctx.formParam("token");
        Optional<User> user = token == null ? Optional.empty() : site.users().byToken(token.strip());
        String next = next(ctx.formParam("next"));
        if (user.isEmpty()) {
            ctx.status(401).html(form("That token is not valid. Check it and try again.", next)
                    .render(Optional.empty()));
            return;
        }
        Cookie cookie = new Cookie(Sessions.COOKIE, site.sessions().start(user.get()), "/",
                (int) Sessions.LIFETIME.toSeconds(), ctx.scheme().equals("https"), true, null, SameSite.LAX);
        ctx.cookie(cookie);
        ctx.redirect(next);
    }

    /**
     * Where signing in leads: the page the reader came from (an alert's email links to the alerts, whose restricted
     * ones need signing in), if it is a path of this site; else the map. Never another site: "//host" and "/\\host"
     * are other sites to a browser.
     */
    private static String next(String requested) {
        boolean local = requested != null && SITE_PATH.matcher(requested).matches();
        return local ? requested : "/";
    }

    private static Page form(String problem, String next) {
        return new Page("Sign in", null).html((problem.isEmpty() ? "" : "<p class=\"problem\" role=\"alert\">"
                + Html.text(problem) + "</p>")
                + """
                <p>Outreach workers and analysts sign in with the token their administrator gave them. Everyone else
                can use the map, the public alerts and the open data without signing in.</p>
                <form method="post" action="/login" class="signin">
                <input type="hidden" name="next" value="%s">
                <label for="token">Token</label>
                <input id="token" name="token" type="password" autocomplete="current-password" required maxlength="200">
                <button type="submit">Sign in</button>
                </form>""".formatted(Html.text(next)));
    }
}
