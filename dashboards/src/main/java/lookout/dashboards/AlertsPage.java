package lookout.dashboards;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import lookout.kernel.Disclosure;

/**
 * The alerts page ({@code /alerts}), rendered on the server so it reads without JavaScript: the open alerts, then
 * those closed in the last {@value AlertQueries#RECENT_DAYS} days, each newest change first, as cards that fit a
 * 375 px phone. Its script ({@code /static/alerts.js}) draws the cards of the live stream with the same markup,
 * keeps the relative times current and marks the page ready.
 */
final class AlertsPage {
    static final String PATH = "/alerts";
    /** How partners and feed readers follow the public alerts without an account. */
    private static final String FOLLOW = "\n<p class=\"follow\" id=\"follow\">Follow the public alerts, without counts,"
            + " in a feed reader or an alerting service: the <a href=\"" + AlertFeedFiles.ATOM + "\">Atom feed</a>"
            + " lists each change, with a link to it as a CAP 1.2 (Common Alerting Protocol) message.</p>";

    private AlertsPage() {}

    /**
     * @param areaNames area names by id, for an outreach user's profile in the page's introduction
     * @param feedsPublished whether this server serves the notifier's public feeds, which the page then names
     */
    static Page page(AlertLists lists, Optional<User> user, Map<String, String> areaNames, ZoneId zone, Instant now,
            boolean feedsPublished) {
        List<Map<String, Object>> alerts = lists.visibleTo(user);
        StringBuilder open = new StringBuilder();
        StringBuilder closed = new StringBuilder();
        int openCount = 0;
        for (Map<String, Object> a : alerts) {
            boolean isOpen = a.get("closed_at") == null;
            (isOpen ? open : closed).append(card(a, zone, now));
            openCount += isOpen ? 1 : 0;
        }
        String stream = user.isPresent() ? Alerts.STREAM : Alerts.PUBLIC_STREAM;
        Page page = new Page("Alerts", Page.Section.ALERTS);
        if (feedsPublished) {
            page.alternate(AtomFeed.MEDIA_TYPE, "Lookout public alerts", AlertFeedFiles.ATOM);
        }
        return page.style("/static/alerts.css").script("/static/time.js")
                .script("/static/alerts.js").drawnByScript()
                .html("<p class=\"intro\">" + Html.text(intro(user, areaNames)) + "</p>\n"
                        + "<div id=\"alerts\" data-zone=\"" + Html.text(zone.getId()) + "\" data-stream=\""
                        + stream + "\" data-version=\"" + lists.versionFor(user) + "\">\n"
                        + "<p id=\"live-status\" class=\"live\" role=\"status\">Reload the page to see newer alerts.</p>\n"
                        + "<p id=\"linked-alert\" class=\"linked-alert\" role=\"status\" hidden>"
                        + linkedAlertMissing(user) + "</p>\n"
                        + section("open", "Open now", openCount, open, "No open alerts.")
                        + section("closed", "Closed in the last " + AlertQueries.RECENT_DAYS + " days",
                                alerts.size() - openCount, closed, "No alert closed in that time.")
                        + "</div>" + (feedsPublished ? FOLLOW : ""));
    }


    /**
     * Shown by {@code alerts.js} when a message's link names an alert ({@code #alert-SPIKE}) that this list does not
     * hold: rather than leave the reader looking for it, say why, and on the public page lead to signing in, which
     * comes back to the alert.
     */
    private static String linkedAlertMissing(Optional<User> user) {
        if (user.isEmpty()) {
            return "The alert you were sent is not on this public page: it closed more than " + AlertQueries.RECENT_DAYS
                    + " days ago, or it is shown only to those who sign in. <a href=\"/login\">Sign in</a> to see it.";
        }
        return "The alert you were sent is not listed here: it closed more than " + AlertQueries.RECENT_DAYS
                + " days ago" + (user.get().role() == Role.OUTREACH ? ", or it is outside the areas in your profile."
                : ".");
    }

    private static String intro(Optional<User> user, Map<String, String> areaNames) {
        if (user.isEmpty()) {
            return "Alerts of at least " + Disclosure.K + " events on the public signals, newest change first. Counts"
                    + " are not shown here: the open data gives them by day, week and month. " + AlertWords.NOT_PUBLIC
                    + " Outreach workers and analysts sign in to see what each alert is based on.";
        }
        if (user.get().role() == Role.OUTREACH) {
            List<String> names = user.get().areas().stream().map(id -> areaNames.getOrDefault(id, id)).sorted()
                    .toList();
            return "Alerts for the areas in your profile (" + String.join(", ", names)
                    + "), newest change first, with what the detector saw.";
        }
        return "Alerts for every area, newest change first, with what the detector saw.";
    }

    private static String section(String id, String title, int count, CharSequence cards, String empty) {
        return "<section class=\"alert-group\">\n<h2>" + Html.text(title) + " <span class=\"count\" id=\"" + id
                + "-count\">(" + count + ")</span></h2>\n<ol class=\"alerts\" id=\"" + id + "-alerts\">" + cards
                + "</ol>\n<p class=\"empty\">" + Html.text(empty) + "</p>\n</section>\n";
    }

    /**
     * One alert's card; {@code alerts.js} builds the same markup for the alerts that arrive live. Its id,
     * {@code alert-SPIKE}, is what the notifier's messages link to ({@code /alerts#alert-SPIKE}).
     */
    static String card(Map<String, Object> a, ZoneId zone, Instant now) {
        String severity = String.valueOf(a.get("severity"));
        StringBuilder out = new StringBuilder(1024);
        out.append("<li class=\"alert sev-").append(Html.text(severity)).append("\" id=\"alert-")
                .append(Html.text(a.get("spike_id"))).append("\" data-key=\"")
                .append(Html.text(a.get("spike_id"))).append("\">\n<h3><span class=\"severity\">")
                .append(Html.text(AlertWords.capitalised(severity))).append("</span> <span class=\"signal\">")
                .append(Html.text(AlertWords.capitalised(String.valueOf(a.get("signal_name")))))
                .append("</span> in <a href=\"/areas/").append(Html.text(a.get("area_id"))).append("\">")
                .append(Html.text(a.getOrDefault("zone_name", a.get("area_name"))))
                .append("</a></h3>\n<dl class=\"facts\">");
        out.append(time("Opened", a.get("opened_at"), zone, now));
        if (a.containsKey("updated_at")) {
            out.append(time("Last changed", a.get("updated_at"), zone, now));
        }
        if (a.get("closed_at") != null) {
            out.append(time("Closed", a.get("closed_at"), zone, now));
        }
        if (!a.containsKey("explanation") && a.get("observed") != null) {
            out.append(fact("Count", String.valueOf(a.get("observed"))));
        }
        out.append("</dl>\n");
        if (a.get("explanation") != null) {
            out.append("<p class=\"explanation\">").append(Html.text(a.get("explanation"))).append("</p>\n");
        }
        if (a.get("evidence") instanceof List<?> lines && !lines.isEmpty()) {
            out.append("<h4>Evidence</h4>\n<dl class=\"evidence\">");
            for (Object line : lines) {
                Map<?, ?> l = (Map<?, ?>) line;
                out.append(fact(String.valueOf(l.get("label")), String.valueOf(l.get("value"))));
            }
            out.append("</dl>\n");
        }
        return out.append("</li>\n").toString();
    }

    private static String time(String label, Object iso, ZoneId zone, Instant now) {
        Instant at = Instant.parse(String.valueOf(iso));
        return "<div><dt>" + Html.text(label) + "</dt><dd><time datetime=\"" + Html.text(iso) + "\">"
                + Html.text(AlertWords.local(at, zone)) + "</time> <span class=\"ago\">("
                + Html.text(AlertWords.relative(at, now)) + ")</span></dd></div>";
    }

    private static String fact(String label, String value) {
        return "<div><dt>" + Html.text(label) + "</dt><dd>" + Html.text(value) + "</dd></div>";
    }
}
