package lookout.dashboards;

import java.util.Optional;

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
    @Override
    public void routes(JavalinConfig config, Site site) {
        config.routes.get("/login", ctx -> site.render(ctx, form("")));
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
        if (user.isEmpty()) {
            ctx.status(401).html(form("That token is not valid. Check it and try again.").render(Optional.empty()));
            return;
        }
        Cookie cookie = new Cookie(Sessions.COOKIE, site.sessions().start(user.get()), "/",
                (int) Sessions.LIFETIME.toSeconds(), ctx.scheme().equals("https"), true, null, SameSite.LAX);
        ctx.cookie(cookie);
        ctx.redirect("/");
    }

    private static Page form(String problem) {
        return new Page("Sign in", null).html((problem.isEmpty() ? "" : "<p class=\"problem\" role=\"alert\">"
                + Html.text(problem) + "</p>")
                + """
                <p>Outreach workers and analysts sign in with the token their administrator gave them. Everyone else
                can use the map, the public alerts and the open data without signing in.</p>
                <form method="post" action="/login" class="signin">
                <label for="token">Token</label>
                <input id="token" name="token" type="password" autocomplete="current-password" required maxlength="200">
                <button type="submit">Sign in</button>
                </form>""");
    }
}
