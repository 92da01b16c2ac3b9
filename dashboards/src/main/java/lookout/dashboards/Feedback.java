package lookout.dashboards;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/**
 * "Was this useful?": every message the notifier sends about an alert links to {@value #PAGE} (the same link for
 * every recipient, so it cannot tell who answered). Anyone may answer there, without signing in, yes or no and
 * optionally one reason from a fixed list; the answer is counted in the {@link FeedbackStore} and nothing else is
 * kept. Analysts read the counts per alert on the alerts page and at {@value #COUNTS}. A client address may
 * answer {@value #MAX_ANSWERS} times per {@link #WINDOW} (counted in memory only), so a script cannot stuff the
 * counts, and ask about {@value #MAX_UNKNOWN} alerts that do not exist: spike ids are derived from the area, the
 * signal and the hour, so without that limit the 404s would let anyone probe for alerts of signals the public may
 * not see.
 */
final class Feedback implements Feature {
    static final String PAGE = "/alerts/{id}/feedback";
    static final String ANSWER = "/api/public/alerts/{id}/feedback";
    static final String COUNTS = "/api/alerts/feedback";
    static final String STYLE = "/static/feedback.css";
    static final int MAX_ANSWERS = 20;
    static final int MAX_UNKNOWN = 20;
    static final Duration WINDOW = Duration.ofHours(1);
    /** Spike ids are UUIDs (the job's), or short codes in test snapshots. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    private static final int MAX_BODY_CHARS = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FeedbackStore store;
    private final ClientRateLimit limit;
    private final ClientRateLimit unknown;
    private Site site;

    Feedback(FeedbackStore store, Clock clock) {
        this.store = store;
        this.limit = new ClientRateLimit(MAX_ANSWERS, WINDOW, clock);
        this.unknown = new ClientRateLimit(MAX_UNKNOWN, WINDOW, clock);
    }

    static String pageUrl(String spikeId) {
        return PAGE.replace("{id}", spikeId);
    }

    @Override
    public void routes(JavalinConfig config, Site site) {
        this.site = site;
        config.routes.get(PAGE, this::form);
        config.routes.post(PAGE, this::formAnswer);
        config.routes.post(ANSWER, this::apiAnswer);
        config.routes.get(COUNTS, this::counts);
    }

    private void form(Context ctx) throws Exception {
        String id = knownAlert(ctx);
        site.render(ctx, new Page("Was this useful?", Page.Section.ALERTS).style(STYLE).html(formHtml(id)));
    }

    private void formAnswer(Context ctx) throws Exception {
        String id = knownAlert(ctx);
        record(ctx, id, ctx.formParam("answer"), emptyToNull(ctx.formParam("reason")));
        site.render(ctx, new Page("Thank you", Page.Section.ALERTS).style(STYLE)
                .html("<p class=\"intro\" id=\"thanks\">Your answer was counted. It helps us judge when an alert is"
                        + " worth sending.</p>\n<p><a href=\"/alerts\">See the alerts</a></p>"));
    }

    private void apiAnswer(Context ctx) throws Exception {
        String id = knownAlert(ctx);
        if (ctx.body().length() > MAX_BODY_CHARS) {
            throw new ApiError(413, "the answer is at most " + MAX_BODY_CHARS + " characters of JSON");
        }
        JsonNode body;
        try {
            body = JSON.readTree(ctx.body());
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "send JSON: {\"answer\": \"yes\" or \"no\", \"reason\": optional}");
        }
        if (body == null || !body.isObject()) {
            throw new ApiError(400, "send JSON: {\"answer\": \"yes\" or \"no\", \"reason\": optional}");
        }
        for (var it = body.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!field.equals("answer") && !field.equals("reason")) {
                throw new ApiError(400, "unknown field; an answer has only \"answer\" and \"reason\"");
            }
        }
        String reason = body.hasNonNull("reason") ? body.get("reason").asText() : null;
        record(ctx, id, body.path("answer").asText(null), reason);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("spike_id", id);
        out.put("answer", body.path("answer").asText());
        out.put("reason", reason);
        ctx.status(201).json(out);
    }

    /** Checks where the answer comes from, the answer and the client's allowance, then counts it. */
    private void record(Context ctx, String id, String answerCode, String reasonCode) {
        refuseOtherSites(ctx);
        FeedbackStore.Answer answer = FeedbackStore.Answer.of(answerCode)
                .orElseThrow(() -> new ApiError(400, "answer must be yes or no"));
        FeedbackStore.Reason reason = null;
        if (reasonCode != null) {
            reason = FeedbackStore.Reason.of(reasonCode).filter(r -> r.answer == answer)
                    .orElseThrow(() -> new ApiError(400, "reason must be one of " + reasons(answer) + " for the answer "
                            + answer.code() + ", or left out"));
        }
        if (!limit.allow(ctx.ip())) {
            throw new ApiError(429, "too many answers from this address; try again in an hour");
        }
        store.add(id, answer, reason);
    }

    /**
     * Another site's page could post answers from its visitors' browsers, who never chose to answer, and stuff the
     * counts from as many addresses as it has visitors. Browsers say where a request comes from in
     * {@code Sec-Fetch-Site}; scripts and apps that answer through the API send no such header and are not refused.
     * The Origin header is not compared: behind a proxy the server cannot tell which origin is its own.
     */
    private static void refuseOtherSites(Context ctx) {
        if ("cross-site".equals(ctx.header("Sec-Fetch-Site"))) {
            throw new ApiError(403, "answers are taken from this site's own pages only");
        }
    }

    private static String reasons(FeedbackStore.Answer answer) {
        List<String> codes = new ArrayList<>();
        for (FeedbackStore.Reason r : FeedbackStore.Reason.values()) {
            if (r.answer == answer) {
                codes.add(r.code);
            }
        }
        return String.join(", ", codes);
    }

    /**
     * The path's id if it is an alert of the published snapshot; else 404, whatever the id looks like, counted
     * against the client's allowance of unknown alerts (429 once it is used up, for every id).
     */
    private String knownAlert(Context ctx) throws Exception {
        if (unknown.exhausted(ctx.ip())) {
            throw new ApiError(429, "too many requests about alerts that do not exist from this address; try again"
                    + " in an hour");
        }
        String id = ctx.pathParam("id");
        if (!ID.matcher(id).matches() || !site.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM spikes WHERE spike_id = ?")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next();
                }
            }
        })) {
            unknown.allow(ctx.ip());
            throw new ApiError(404, "no such alert");
        }
        return id;
    }

    private void counts(Context ctx) throws Exception {
        User user = site.authorise(ctx, Role.ANALYST);
        site.audit().record(user, "granted", "GET " + COUNTS, "");
        ctx.json(rows());
    }

    /** Per alert with an answer: where and what it was about (when the snapshot still holds it) and the counts. */
    List<Map<String, Object>> rows() throws Exception {
        List<FeedbackStore.Tally> tallies = store.tallies();
        return site.read(c -> {
            List<Map<String, Object>> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT s.area_id, a.name, s.signal, s.opened_at"
                    + " FROM spikes s LEFT JOIN areas a USING (area_id) WHERE s.spike_id = ?")) {
                for (FeedbackStore.Tally t : tallies) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("spike_id", t.spikeId());
                    s.setString(1, t.spikeId());
                    try (ResultSet rs = s.executeQuery()) {
                        boolean found = rs.next();
                        row.put("area_id", found ? rs.getString(1) : null);
                        row.put("area_name", found ? rs.getString(2) : null);
                        row.put("signal", found ? rs.getString(3) : null);
                        row.put("opened_at",
                                found ? rs.getObject(4, OffsetDateTime.class).toInstant().toString() : null);
                    }
                    row.put("yes", t.yes());
                    row.put("no", t.no());
                    Map<String, Long> reasons = new LinkedHashMap<>();
                    t.reasons().forEach((r, n) -> reasons.put(r.code, n));
                    row.put("reasons", reasons);
                    out.add(row);
                }
            }
            return out;
        });
    }

    /** The analysts' table on the alerts page: the answers per alert, or a line saying there are none yet. */
    String analystSection() throws Exception {
        StringBuilder out = new StringBuilder("\n<section class=\"alert-group\" id=\"feedback\">\n<h2>Was it useful?"
                + " What message recipients answered</h2>\n");
        List<Map<String, Object>> rows = rows();
        if (rows.isEmpty()) {
            return out.append("<p class=\"empty\">No answers yet.</p>\n</section>\n").toString();
        }
        out.append("<table class=\"feedback scrolls\">\n<thead><tr><th scope=\"col\">Alert</th>"
                + "<th scope=\"col\">Yes</th><th scope=\"col\">No</th><th scope=\"col\">Reasons given</th></tr>"
                + "</thead>\n<tbody>");
        for (Map<String, Object> r : rows) {
            StringBuilder reasons = new StringBuilder();
            @SuppressWarnings("unchecked")
            Map<String, Long> given = (Map<String, Long>) r.get("reasons");
            given.forEach((code, n) -> reasons.append(reasons.isEmpty() ? "" : "; ")
                    .append(FeedbackStore.Reason.of(code).orElseThrow().label).append(": ").append(n));
            out.append("<tr data-spike=\"").append(Html.text(r.get("spike_id"))).append("\"><td>")
                    .append(Html.text(alertLabel(r))).append("</td><td>").append(r.get("yes")).append("</td><td>")
                    .append(r.get("no")).append("</td><td>").append(Html.text(reasons.isEmpty() ? "none" : reasons))
                    .append("</td></tr>\n");
        }
        return out.append("</tbody></table>\n</section>\n").toString();
    }

    /** "Paramedic overdose calls in Moss Park, opened ...", or the id of an alert the snapshot no longer holds. */
    private String alertLabel(Map<String, Object> r) {
        if (r.get("area_name") == null) {
            return "Alert " + r.get("spike_id");
        }
        return AlertWords.capitalised(AlertWords.signal(String.valueOf(r.get("signal")))) + " in " + r.get("area_name")
                + ", opened " + AlertWords.local(Instant.parse(String.valueOf(r.get("opened_at"))), site.zone());
    }

    private static String formHtml(String id) {
        StringBuilder yes = new StringBuilder();
        StringBuilder no = new StringBuilder();
        for (FeedbackStore.Reason r : FeedbackStore.Reason.values()) {
            (r.answer == FeedbackStore.Answer.YES ? yes : no).append("<option value=\"").append(r.code).append("\">")
                    .append(Html.text(r.label)).append("</option>");
        }
        return "<p class=\"intro\">You received a message from Lookout about an overdose alert. Was it useful to you?"
                + " Your answer is counted anonymously: only how many people answered each way is kept, not who you are"
                + " or where you answered from.</p>\n"
                + "<form class=\"feedback\" method=\"post\" action=\"" + Html.text(pageUrl(id)) + "\">\n"
                + "<fieldset><legend>Was this alert useful?</legend>\n"
                + "<label><input type=\"radio\" name=\"answer\" value=\"yes\" required> Yes</label>\n"
                + "<label><input type=\"radio\" name=\"answer\" value=\"no\"> No</label>\n</fieldset>\n"
                + "<label for=\"reason\">Why? (optional)</label>\n<select id=\"reason\" name=\"reason\">"
                + "<option value=\"\">No reason given</option><optgroup label=\"If useful\">" + yes
                + "</optgroup><optgroup label=\"If not useful\">" + no + "</optgroup></select>\n"
                + "<button type=\"submit\">Send my answer</button>\n</form>";
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
