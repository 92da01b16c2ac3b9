package lookout.dashboards;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import lookout.kernel.AlertSignals;
import lookout.kernel.Severity;
import lookout.kernel.Sha256;

/**
 * {@code /notifications}: a signed-in outreach user sees and edits their own alert subscription (areas of their
 * profile, signals, minimum severity, immediate or a daily digest, quiet hours, language, an email address and a
 * phone number), which lives in the notifier: every read and change goes through the notifier's subscriptions API
 * ({@link NotifierClient}), and nothing of it is stored or logged here. Analysts see how many subscribers each
 * area has, never who. The same is {@code /api/notifications/...} for API callers.
 *
 * <p>The page's forms are protected twice against cross-site requests: the session cookie is SameSite=Lax, and
 * each form carries a token derived from the session id (which no other site can read), checked on every POST.
 */
final class Notifications implements Feature {
    static final String PAGE = "/notifications";
    static final String API = "/api/notifications/subscription";
    static final String COUNTS = "/api/notifications/counts";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The form's two ways of delivery, the values of its {@code delivery} choice. */
    private static final String AT_ONCE = "immediate";
    private static final String DIGEST = "digest";
    private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    /** Where in its subscriber record the notifier found a problem, which its refusals begin with. */
    private static final Pattern NOTIFIER_PLACE = Pattern.compile("^subscription \\([^)]*\\)(, channel [0-9]+)?: ");
    /**
     * The notifier's languages ({@code lookout.notify.Messages.LANGUAGES}; the first is the default), copied since the
     * dashboards may not depend on the notifier: tools' {@code lookout.dashboards.SubscriptionLanguagesTest} fails
     * when this list, the names below or the subscription's {@code language} enum in openapi.json differ from it.
     */
    static final List<String> LANGUAGES = List.of("en", "fr");
    /** Each language's name in itself, as the form offers it. */
    static final Map<String, String> LANGUAGE_NAMES = Map.of("en", "English", "fr", "Français");

    private final NotifierClient notifier;
    private Site site;

    /** @param notifier null: the page says notifications are not set up, and the API answers 503 */
    Notifications(NotifierClient notifier) {
        this.notifier = notifier;
    }

    @Override
    public void routes(JavalinConfig config, Site site) {
        this.site = site;
        config.routes.get(PAGE, this::page);
        config.routes.post(PAGE, this::save);
        config.routes.post(PAGE + "/delete", this::delete);
        config.routes.get(API, ctx -> {
            User user = site.authorise(ctx, Role.OUTREACH);
            ctx.json(notifier().subscription(user.name()).orElseThrow(() -> new ApiError(404, "you have no subscription")));
        });
        config.routes.put(API, ctx -> {
            User user = site.authorise(ctx, Role.OUTREACH);
            JsonNode body;
            try {
                body = JSON.readTree(ctx.body());
            } catch (JsonProcessingException e) {
                throw new ApiError(400, "the body is not valid JSON");
            }
            if (body == null || !body.isObject()) {
                throw new ApiError(400, "the subscription must be a JSON object");
            }
            ctx.json(notifier().put(user.name(), ownSubscription(user, (ObjectNode) body)));
            site.audit().record(user, "granted", "PUT " + API, "");
        });
        config.routes.delete(API, ctx -> {
            User user = site.authorise(ctx, Role.OUTREACH);
            if (!notifier().delete(user.name())) {
                throw new ApiError(404, "you have no subscription");
            }
            site.audit().record(user, "granted", "DELETE " + API, "");
            ctx.status(204);
        });
        config.routes.get(COUNTS, ctx -> {
            site.authorise(ctx, Role.ANALYST);
            ctx.json(notifier().counts());
        });
    }

    private NotifierClient notifier() {
        if (notifier == null) {
            throw new ApiError(503, "notifications are not set up on this server (serve --notifier)");
        }
        return notifier;
    }

    /**
     * What an outreach user may subscribe to: their name, and areas of their own profile only. The rest (channels,
     * signals, severities, times) the notifier checks, and its refusal comes back as a 400 with its reason.
     */
    private static ObjectNode ownSubscription(User user, ObjectNode body) {
        JsonNode areas = body.get("areas");
        if (areas == null || !areas.isArray() || areas.isEmpty()) {
            throw new ApiError(400, "choose at least one area");
        }
        for (JsonNode a : areas) {
            if (!user.areas().contains(a.asText())) {
                throw new ApiError(403, "this area is not in your profile");
            }
        }
        body.put("name", user.name());
        return body;
    }

    private void page(Context ctx) throws SQLException {
        User user = site.authorise(ctx, Role.OUTREACH, Role.ANALYST);
        if (notifier == null) {
            site.render(ctx, new Page("Notifications", Page.Section.NOTIFICATIONS).html(
                    "<p class=\"problem\">Notifications are not set up on this server.</p>"));
            return;
        }
        if (user.role() == Role.ANALYST) {
            site.render(ctx, counts(names(), notifier.counts()));
            return;
        }
        String message = switch (Optional.ofNullable(ctx.queryParam("done")).orElse("")) {
            case "saved" -> "Saved. Alerts for your areas will reach you as set below.";
            case "deleted" -> "Your subscription and your contact details are deleted.";
            default -> "";
        };
        Optional<JsonNode> current = notifier.subscription(user.name());
        ctx.html(form(user, csrf(ctx), current.orElse(null), current.isPresent(), message, "").render(Optional.of(user)));
    }

    private void save(Context ctx) throws SQLException {
        User user = site.authorise(ctx, Role.OUTREACH);
        checkCsrf(ctx);
        ObjectNode subscription = JSON.createObjectNode();
        try {
            fromForm(ctx, notifier().channelKinds(), subscription);
            notifier().put(user.name(), ownSubscription(user, subscription));
        } catch (ApiError e) {
            if (e.status != 400) {
                throw e;
            }
            // The form shows what was typed; deleting is offered only for a subscription the notifier holds.
            boolean stored = notifier().subscription(user.name()).isPresent();
            ctx.status(400).html(form(user, csrf(ctx), subscription, stored, "", formProblem(e.getMessage()))
                    .render(Optional.of(user)));
            return;
        }
        site.audit().record(user, "granted", "POST " + PAGE, "");
        ctx.redirect(PAGE + "?done=saved", HttpStatus.SEE_OTHER);
    }

    private void delete(Context ctx) {
        User user = site.authorise(ctx, Role.OUTREACH);
        checkCsrf(ctx);
        notifier().delete(user.name());
        site.audit().record(user, "granted", "POST " + PAGE + "/delete", "");
        ctx.redirect(PAGE + "?done=deleted", HttpStatus.SEE_OTHER);
    }

    /**
     * Fills {@code s} with the subscription the form describes, in the notifier's format, then refuses what the
     * notifier could not send: {@code s} then holds what was typed, for the form to show again.
     *
     * @param kinds the kinds of channel the notifier can send to, which the form offered
     */
    private static void fromForm(Context ctx, Set<String> kinds, ObjectNode s) {
        String language = Optional.ofNullable(ctx.formParam("language")).orElse(LANGUAGES.get(0));
        s.put("language", language);
        ArrayNode channels = s.putArray("channels");
        String email = Optional.ofNullable(ctx.formParam("email")).orElse("").strip();
        String sms = Optional.ofNullable(ctx.formParam("sms")).orElse("").replaceAll("[\\s().-]", "");
        if (!email.isEmpty()) {
            channels.addObject().put("email", email);
        }
        if (!sms.isEmpty()) {
            channels.addObject().put("sms", sms);
        }
        ArrayNode areas = s.putArray("areas");
        ctx.formParams("areas").forEach(areas::add);
        List<String> signals = ctx.formParams("signals");
        // The notifier reads no "signals" as every signal, so a form with every box unticked must not send none.
        if (!Set.copyOf(signals).containsAll(AlertSignals.raised())) {
            signals.forEach(s.putArray("signals")::add);
        }
        String severity = Optional.ofNullable(ctx.formParam("min_severity")).orElse("low");
        s.put("min_severity", severity);
        String delivery = Optional.ofNullable(ctx.formParam("delivery")).orElse(AT_ONCE);
        s.put("immediate", !DIGEST.equals(delivery));
        String from = Optional.ofNullable(ctx.formParam("quiet_from")).orElse("");
        String to = Optional.ofNullable(ctx.formParam("quiet_to")).orElse("");
        if (!from.isEmpty() || !to.isEmpty()) {
            s.putObject("quiet_hours").put("from", from).put("to", to);
        }
        // The form's own words for what it offers: the notifier's refusals name its record's fields (min_severity).
        if (Severity.fromCode(severity).isEmpty()) {
            throw new ApiError(400, "choose the lowest alert level from the list");
        }
        if (!Set.of(AT_ONCE, DIGEST).contains(delivery)) {
            throw new ApiError(400, "choose a message at once or a daily digest");
        }
        if ((!from.isEmpty() || !to.isEmpty()) && (!TIME.matcher(from).matches() || !TIME.matcher(to).matches())) {
            throw new ApiError(400, "quiet hours need a start and an end time, each from 00:00 to 23:59");
        }
        if (!from.isEmpty() && from.equals(to)) {
            throw new ApiError(400, "quiet hours need an end time other than their start");
        }
        if (channels.isEmpty()) {
            throw new ApiError(400, noContactField(kinds));
        }
        if (signals.isEmpty()) {
            throw new ApiError(400, "choose at least one kind of alert");
        }
    }

    /**
     * The notifier's refusal as the form's reader needs it: without the place in its subscriber record ("subscription
     * (sub-…), channel 1: "), which names nothing on the form, and with the SMS field named as the form names it.
     */
    private static String formProblem(String notifierMessage) {
        String problem = NOTIFIER_PLACE.matcher(notifierMessage).replaceFirst("");
        return problem.startsWith("sms ") ? "SMS" + problem.substring(3) : problem;
    }

    /** @param stored whether the notifier holds a subscription of the user's, which the form then offers to delete */
    private Page form(User user, String csrf, JsonNode s, boolean stored, String message, String problem)
            throws SQLException {
        Map<String, String> names = names();
        Set<String> kinds = notifier().channelKinds();
        Set<String> areas = s == null ? Set.copyOf(user.areas()) : texts(s.get("areas"));
        Set<String> signals = s == null || !s.has("signals") ? Set.copyOf(AlertSignals.raised())
                : texts(s.get("signals"));
        String language = s == null ? LANGUAGES.get(0) : s.path("language").asText(LANGUAGES.get(0));
        String severity = s == null ? "low" : s.path("min_severity").asText("low");
        boolean immediate = s == null || s.path("immediate").asBoolean(true);
        String email = "";
        String sms = "";
        if (s != null) {
            for (JsonNode c : s.path("channels")) {
                email = c.has("email") && email.isEmpty() ? c.get("email").asText() : email;
                sms = c.has("sms") && sms.isEmpty() ? c.get("sms").asText() : sms;
            }
        }
        StringBuilder h = new StringBuilder();
        if (!message.isEmpty()) {
            h.append("<p class=\"saved\" role=\"status\">").append(Html.text(message)).append("</p>\n");
        }
        if (!problem.isEmpty()) {
            h.append("<p class=\"problem\" role=\"alert\">").append(Html.text(AlertWords.capitalised(problem)))
                    .append("</p>\n");
        }
        h.append("<p class=\"note\">").append(s == null ? "You are not subscribed yet. " : "")
                .append("Choose where and how Lookout tells you of overdose alerts in your areas. Your ")
                .append(contactWords(kinds)).append(" kept only by the notifier, used only to send these alerts, and"
                        + " deleted when you delete your subscription.</p>\n")
                .append("<form method=\"post\" action=\"").append(PAGE).append("\" class=\"subscription\">\n")
                .append(hidden(csrf))
                .append("<fieldset><legend>Areas</legend>\n");
        for (String area : user.areas()) {
            h.append(check("areas", area, names.getOrDefault(area, "Area " + area), areas.contains(area)));
        }
        h.append("</fieldset>\n<fieldset><legend>Alerts about</legend>\n");
        // Only the kinds of alert Lookout opens: a box for coroner deaths would subscribe to nothing.
        for (String signal : AlertSignals.raised()) {
            h.append(check("signals", signal, AlertWords.capitalised(AlertWords.signal(signal)), signals.contains(signal)));
        }
        h.append("<p class=\"note\">Deaths reported by the coroner come in weeks later: they confirm these alerts"
                + " rather than open their own.</p>\n");
        h.append("</fieldset>\n<label for=\"min_severity\">Only alerts at least</label>\n<select id=\"min_severity\" name=\"min_severity\">");
        for (Severity v : Severity.values()) {
            h.append("<option value=\"").append(v.code()).append('"').append(v.code().equals(severity) ? " selected" : "")
                    .append('>').append(AlertWords.capitalised(v.code())).append("</option>");
        }
        h.append("</select>\n<fieldset><legend>When</legend>\n")
                .append(radio("delivery", AT_ONCE, "At once, as each alert opens, worsens or closes", immediate))
                .append(radio("delivery", DIGEST, "Once a day, in a digest", !immediate))
                .append("</fieldset>\n<fieldset><legend>Quiet hours (nothing is sent then; it waits until they end)</legend>\n")
                .append("<div class=\"times\"><label>From <input type=\"time\" name=\"quiet_from\" value=\"")
                .append(Html.text(s == null ? "" : s.path("quiet_hours").path("from").asText(""))).append("\"></label>")
                .append("<label>to <input type=\"time\" name=\"quiet_to\" value=\"")
                .append(Html.text(s == null ? "" : s.path("quiet_hours").path("to").asText(""))).append("\"></label></div>\n")
                .append("</fieldset>\n<label for=\"language\">Language of the messages</label>\n<select id=\"language\" name=\"language\">");
        for (String l : LANGUAGES) {
            h.append("<option value=\"").append(l).append('"').append(l.equals(language) ? " selected" : "").append('>')
                    .append(LANGUAGE_NAMES.get(l)).append("</option>");
        }
        h.append("</select>\n");
        if (kinds.contains("email")) {
            h.append("<label for=\"email\">Email address</label>\n<input id=\"email\" name=\"email\" type=\"email\""
                    + " autocomplete=\"email\" maxlength=\"254\" value=\"").append(Html.text(email)).append("\">\n");
        }
        if (kinds.contains("sms")) {
            h.append("<label for=\"sms\">Mobile number for text messages (international form, like"
                    + " +14165550100)</label>\n<input id=\"sms\" name=\"sms\" type=\"tel\" autocomplete=\"tel\""
                    + " maxlength=\"20\" value=\"")
                    .append(Html.text(sms)).append("\">\n");
        }
        h.append("<button type=\"submit\">Save</button>\n</form>\n");
        if (stored) {
            h.append("<form method=\"post\" action=\"").append(PAGE).append("/delete\" class=\"delete\">\n").append(hidden(csrf))
                    .append("<button type=\"submit\">Delete my subscription and contact details</button>\n</form>\n");
        }
        return new Page("Notifications", Page.Section.NOTIFICATIONS).style("/static/notifications.css").html(h.toString());
    }

    /** What to say of a form saved without a way to reach its user, by what the notifier can send to. */
    private static String noContactField(Set<String> kinds) {
        boolean email = kinds.contains("email");
        boolean sms = kinds.contains("sms");
        if (email && sms) {
            return "give an email address or a phone number (or both)";
        }
        if (email || sms) {
            return email ? "give an email address" : "give a phone number";
        }
        return "the notifier sends no email and no text messages (it has neither smtp.host nor sms.url): ask its"
                + " operator";
    }

    /**
     * The contact details the form asks for, as the subject of "… are kept only by the notifier": only those the
     * notifier can send to (one without an SMS gateway gets no phone field, whose messages it could not send).
     */
    private static String contactWords(Set<String> kinds) {
        boolean email = kinds.contains("email");
        boolean sms = kinds.contains("sms");
        if (email && sms) {
            return "email address and phone number are";
        }
        return email ? "email address is" : sms ? "phone number is" : "contact details are";
    }

    private Page counts(Map<String, String> names, JsonNode counts) {
        StringBuilder h = new StringBuilder("<p class=\"note\">How many people and teams are subscribed to alerts of each"
                + " area. Who they are and how they are reached is kept by the notifier only and is not shown here.</p>\n");
        int subscribers = counts.path("subscribers").asInt();
        int all = counts.path("all_areas").asInt();
        h.append("<p>").append(subscribers).append(subscribers == 1 ? " subscriber" : " subscribers").append(" in all; ")
                .append(all).append(all == 1 ? " of them gets" : " of them get").append(" alerts of every area.</p>\n")
                .append("<table class=\"counts\"><thead><tr><th>Area</th><th>Subscribers</th></tr></thead><tbody>\n");
        Map<String, Integer> perArea = new TreeMap<>();
        counts.path("areas").fields().forEachRemaining(e -> perArea.put(e.getKey(), e.getValue().asInt()));
        perArea.forEach((area, n) -> h.append("<tr><td>").append(Html.text(names.getOrDefault(area, "Area " + area)))
                .append("</td><td>").append(n).append("</td></tr>\n"));
        h.append("</tbody></table>\n");
        return new Page("Notifications", Page.Section.NOTIFICATIONS).style("/static/notifications.css").html(h.toString());
    }

    private Map<String, String> names() throws SQLException {
        return site.read(c -> {
            Map<String, String> names = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT area_id, name FROM areas ORDER BY name");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    names.put(rs.getString(1), rs.getString(2));
                }
            }
            return names;
        });
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new HashSet<>();
        if (array != null) {
            array.forEach(a -> out.add(a.asText()));
        }
        return out;
    }

    private static String check(String name, String value, String label, boolean checked) {
        return "<label class=\"choice\"><input type=\"checkbox\" name=\"" + name + "\" value=\"" + Html.text(value) + "\""
                + (checked ? " checked" : "") + "> " + Html.text(label) + "</label>\n";
    }

    private static String radio(String name, String value, String label, boolean checked) {
        return "<label class=\"choice\"><input type=\"radio\" name=\"" + name + "\" value=\"" + value + "\""
                + (checked ? " checked" : "") + "> " + Html.text(label) + "</label>\n";
    }

    private static String hidden(String csrf) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + Html.text(csrf) + "\">\n";
    }

    /**
     * The form token of the caller's session: a hash of the session id, which only this browser holds (the cookie is
     * HttpOnly), so another site can neither read nor compute it. A caller with a bearer token posts no form.
     */
    private static String csrf(Context ctx) {
        String session = ctx.cookie(Sessions.COOKIE);
        if (session == null) {
            return "";
        }
        byte[] hash = Sha256.of(("form|" + session).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    }

    private static void checkCsrf(Context ctx) {
        if (ctx.header("Authorization") != null) {
            return;
        }
        String given = ctx.formParam("csrf");
        String expected = csrf(ctx);
        if (given == null || expected.isEmpty() || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiError(403, "this form has expired; reload the page and try again");
        }
    }
}
