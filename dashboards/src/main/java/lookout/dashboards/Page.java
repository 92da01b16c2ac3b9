package lookout.dashboards;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shell every HTML page shares: the header with the site's navigation and who is signed in, one main
 * column, the shared style sheet, and the page's own style sheets and scripts (served by the application: WebJars
 * under {@code /webjars/}, the site's own files under {@code /static/}). Scripts are files, never inline, so the
 * Content-Security-Policy can forbid inline script. A page whose content is drawn by a script sets
 * {@code document.documentElement.dataset.ready = "true"} once drawn (browser tests and the bench wait on it);
 * a page rendered on the server is ready when it loads.
 */
final class Page {
    /** The site's sections, in navigation order. */
    enum Section {
        MAP("Map", "/"),
        ALERTS("Alerts", "/alerts"),
        OPEN_DATA("Open data", "/open-data/"),
        /** Only for the signed-in: their alert subscription (outreach), subscriber counts (analysts). */
        NOTIFICATIONS("Notifications", "/notifications");

        final String label;
        final String path;

        Section(String label, String path) {
            this.label = label;
            this.path = path;
        }
    }

    private final String title;
    private final Section section;
    private final List<String> styles = new ArrayList<>();
    private final List<String> scripts = new ArrayList<>();
    private final List<String> alternates = new ArrayList<>();
    private final StringBuilder body = new StringBuilder();
    private boolean drawnByScript;

    Page(String title, Section section) {
        this.title = title;
        this.section = section;
    }

    Page style(String href) {
        styles.add(href);
        return this;
    }

    /** Names another form of the page (a feed, say) in the head, where browsers and feed readers find it. */
    Page alternate(String type, String title, String href) {
        alternates.add("<link rel=\"alternate\" type=\"" + Html.text(type) + "\" title=\"" + Html.text(title)
                + "\" href=\"" + Html.text(href) + "\">\n");
        return this;
    }

    /** Adds a script file; a page with scripts that draw its content marks itself ready from them. */
    Page script(String src) {
        scripts.add(src);
        return this;
    }

    /** The page's content is drawn by its scripts, which set {@code data-ready} themselves. */
    Page drawnByScript() {
        drawnByScript = true;
        return this;
    }

    /** Appends HTML to the main column; the caller escapes every value with {@link Html#text}. */
    Page html(String html) {
        body.append(html);
        return this;
    }

    String render(Optional<User> user) {
        StringBuilder out = new StringBuilder(4096 + body.length());
        out.append("<!DOCTYPE html>\n<html lang=\"en\"").append(drawnByScript ? "" : " data-ready=\"true\"").append(">\n")
                .append("<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.text(title)).append(" · Lookout</title>\n")
                .append("<link rel=\"stylesheet\" href=\"/static/lookout.css\">\n");
        styles.forEach(s -> out.append("<link rel=\"stylesheet\" href=\"").append(Html.text(s)).append("\">\n"));
        alternates.forEach(out::append);
        out.append("</head>\n<body data-role=\"").append(user.map(u -> u.role().code()).orElse(Role.PUBLIC.code()))
                .append("\">\n<header class=\"site\">\n<a class=\"brand\" href=\"/\">Lookout</a>\n<nav>");
        for (Section s : Section.values()) {
            if (s == Section.NOTIFICATIONS && user.isEmpty()) {
                continue;
            }
            out.append("<a href=\"").append(s.path).append('"').append(s == section ? " aria-current=\"page\"" : "")
                    .append('>').append(s.label).append("</a>");
        }
        out.append("</nav>\n<div class=\"who\">");
        if (user.isPresent()) {
            out.append("<span>").append(Html.text(user.get().name())).append(" (").append(user.get().role().code())
                    .append(")</span><form method=\"post\" action=\"/logout\"><button type=\"submit\">Sign out</button></form>");
        } else {
            // Signing in comes back to this page (the map, the default, needs no "next").
            boolean back = section != null && !section.path.equals("/");
            out.append("<a href=\"/login").append(back ? "?next=" + section.path : "").append("\">Sign in</a>");
        }
        out.append("</div>\n</header>\n<main>\n<h1>").append(Html.text(title)).append("</h1>\n").append(body)
                .append("\n</main>\n");
        scripts.forEach(s -> out.append("<script src=\"").append(Html.text(s)).append("\"></script>\n"));
        return out.append("</body>\n</html>\n").toString();
    }
}
