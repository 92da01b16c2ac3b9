package lookout.dashboards;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import lookout.kernel.Signal;

/**
 * One neighbourhood: its page ({@code /areas/{id}}) and the API routes its charts read (series, alarms,
 * substances), each answer kept per snapshot ({@link Answers}). The public sees the area's public status and public alerts; outreach (for areas in their profile) and
 * analysts see the hourly and daily counts with the usual range and alarms, the recent counts with the reports
 * still to come (nowcast), and the drug-checking panel. Analysts
 * also see every detector's alarms and the numbers of samples behind each share.
 */
final class AreaPage implements Feature {
    /** The signals the page offers first, in this order: the overdoses, the combined signal beside its feeds. */
    private static final List<Signal> FIRST = List.of(Signal.PARAMEDIC, Signal.NALOXONE, Signal.COMBINED);
    /** Every signal the page offers: those of {@link #FIRST}, then the others in {@link Signal}'s order. */
    static final List<Signal> SIGNALS = Stream.concat(FIRST.stream(),
            Arrays.stream(Signal.values()).filter(s -> !FIRST.contains(s))).toList();

    private static final Set<String> GRANULARITIES = Set.of("hour", "day");
    /**
     * A chart's download, which area.js fills with the very numbers it drew (a CSV per chart, so a download matches
     * its chart); hidden until then.
     */
    private static final String DOWNLOAD = "<p class=\"download\" hidden><a>Download these numbers (CSV)</a></p>";

    /**
     * The daily chart's periods, each a button (keyboard-usable as it is) with the number of days it shows, ending
     * with the last day counted; area.js presses the one it draws (aria-pressed) and redraws on a press.
     */
    private static final String PERIODS = """
            <div class="period" role="group" aria-labelledby="period-label"><span id="period-label">Period shown:</span>
            <button type="button" data-days="56" aria-pressed="false">Last 8 weeks</button>
            <button type="button" data-days="182" aria-pressed="false">Last 6 months</button>
            <button type="button" data-days="all" aria-pressed="false">Everything</button></div>
            """;

    private Site site;
    private final Answers answers = new Answers();

    @Override
    public void routes(JavalinConfig config, Site site) {
        this.site = site;
        config.routes.get("/areas/{id}", this::page);
        config.routes.get("/api/areas/{id}/series", this::series);
        config.routes.get("/api/areas/{id}/alarms", this::alarms);
        config.routes.get("/api/areas/{id}/substances", this::substances);
        config.routes.get("/api/areas/{id}/nowcast", this::nowcast);
    }

    /** Refuses (403) a caller whose profile does not hold the area; audits the request either way. */
    private void permit(User user, String route, String areaId, String params) {
        if (!user.maySee(areaId)) {
            site.audit().record(user, "refused", route, params);
            throw new ApiError(403, "this area is not in your profile");
        }
        site.audit().record(user, "granted", route, params);
    }

    private void series(Context ctx) throws SQLException {
        User user = site.authorise(ctx, Role.OUTREACH, Role.ANALYST);
        String areaId = ApiRoutes.areaId(ctx);
        Signal signal = signal(ctx);
        String granularity = Optional.ofNullable(ctx.queryParam("granularity")).orElse("day");
        if (!GRANULARITIES.contains(granularity)) {
            throw new ApiError(400, "granularity must be hour or day");
        }
        permit(user, "GET /api/areas/{id}/series", areaId,
                "area=" + areaId + " signal=" + signal.code() + " granularity=" + granularity);
        answer(ctx, "series|" + areaId + "|" + signal.code() + "|" + granularity, c -> {
            requireArea(c, areaId);
            return Queries.series(c, areaId, signal, granularity);
        });
    }

    private void alarms(Context ctx) throws SQLException {
        User user = site.authorise(ctx, Role.OUTREACH, Role.ANALYST);
        String areaId = ApiRoutes.areaId(ctx);
        Signal signal = signal(ctx);
        permit(user, "GET /api/areas/{id}/alarms", areaId, "area=" + areaId + " signal=" + signal.code());
        answer(ctx, "alarms|" + areaId + "|" + signal.code() + "|" + user.role().code(), c -> {
            requireArea(c, areaId);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("signal", signal.code());
            // The detectors judge the source signals only; combined is counted but never judged (DETECTION.md),
            // so it has no usual range, and saying "too little history" would be false.
            out.put("band_method", signal.isSource() ? AreaQueries.BAND_METHOD : null);
            List<FeedGaps.Episode> gaps = FeedGaps.forSignal(c, signal);
            out.put("days", AreaQueries.days(c, areaId, signal, site.zone(), gaps));
            out.put("alerts", AreaQueries.alerts(c, areaId, signal));
            out.put("incomplete", gaps.stream().map(FeedGaps.Episode::json).toList());
            if (user.role() == Role.ANALYST) {
                out.put("detector_alarms", AreaQueries.detectorAlarms(c, areaId, signal));
            }
            return out;
        });
    }

    private void substances(Context ctx) throws SQLException {
        User user = site.authorise(ctx, Role.OUTREACH, Role.ANALYST);
        String areaId = ApiRoutes.areaId(ctx);
        int weeks = weeks(ctx);
        permit(user, "GET /api/areas/{id}/substances", areaId, "area=" + areaId + " weeks=" + weeks);
        answer(ctx, "substances|" + areaId + "|" + weeks + "|" + user.role().code(), c -> {
            requireArea(c, areaId);
            return AreaQueries.substances(c, areaId, weeks, user.role() == Role.ANALYST, site.zone());
        });
    }

    private void nowcast(Context ctx) throws SQLException {
        User user = site.authorise(ctx, Role.OUTREACH, Role.ANALYST);
        String areaId = ApiRoutes.areaId(ctx);
        Signal signal = signal(ctx);
        permit(user, "GET /api/areas/{id}/nowcast", areaId, "area=" + areaId + " signal=" + signal.code());
        answer(ctx, "nowcast|" + areaId + "|" + signal.code(), c -> {
            requireArea(c, areaId);
            return Nowcasts.of(c, areaId, signal);
        });
    }

    /** Answers with the JSON of {@code query}, kept for this snapshot under {@code key}. */
    private void answer(Context ctx, String key, Site.Read<Object> query) throws SQLException {
        ctx.contentType("application/json").result(answers.get(site, key, s -> s.read(query)));
    }

    private static Signal signal(Context ctx) {
        return Signal.fromCode(Optional.ofNullable(ctx.queryParam("signal")).orElse(""))
                .orElseThrow(() -> new ApiError(400, "signal must be one of " + SIGNALS.stream()
                        .map(Signal::code).toList()));
    }

    private static int weeks(Context ctx) {
        String text = ctx.queryParam("weeks");
        if (text == null) {
            return AreaQueries.DEFAULT_WEEKS;
        }
        if (!text.matches("[0-9]{1,2}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > AreaQueries.MAX_WEEKS) {
            throw new ApiError(400, "weeks must be a whole number from 1 to " + AreaQueries.MAX_WEEKS);
        }
        return Integer.parseInt(text);
    }

    private static void requireArea(Connection c, String areaId) throws SQLException {
        if (!Queries.areaExists(c, areaId)) {
            throw new ApiError(404, "no such area");
        }
    }

    private void page(Context ctx) throws SQLException {
        String areaId = ApiRoutes.areaId(ctx);
        Optional<User> user = site.user(ctx);
        AreaStatus.Area area = site.read(c -> AreaStatus.read(c).stream().filter(a -> areaId.equals(a.id())).findFirst()
                .orElseThrow(() -> new ApiError(404, "no such area")));
        boolean access = user.isPresent() && user.get().maySee(areaId);
        // Those who may see the area get its alerts as the alerts page shows them to them (AlertQueries.asSeenBy).
        List<Map<String, Object>> alerts = site.read(c -> access ? AlertQueries.alerts(c, user.get()::maySee)
                : AlertQueries.publicAlerts(c)).stream().filter(a -> areaId.equals(a.get("area_id"))).toList();
        if (access) {
            site.audit().record(user.get(), "granted", "GET /areas/{id}", "area=" + areaId);
        }
        Optional<LocalDate> newestDay = site.read(c -> AreaStatus.newestDay(c, site.zone()));
        Page page = new Page(area.name(), Page.Section.MAP).style("/static/area.css")
                .html(status(AreaStatus.Label.of(area.seenBy(user)), newestDay)
                        + alertList(alerts, access, site.zone()));
        if (access) {
            page.style("/webjars/uplot/1.6.30/dist/uPlot.min.css")
                    .script("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").script("/static/time.js")
                    .script("/static/area.js").drawnByScript()
                    .html(charts(areaId, user.get().role() == Role.ANALYST, site.zone(),
                            site.read(AreaQueries::newestHour)));
        } else {
            page.html(user.isPresent()
                    ? "<p class=\"hint\">This neighbourhood is not in your profile, so its counts are not shown to you.</p>"
                    : "<p class=\"hint\">Outreach workers and analysts can <a href=\"/login\">sign in</a> to see this"
                            + " neighbourhood's counts, the usual range and the drug-checking results.</p>");
        }
        page.html("<p><a href=\"/open-data/\">Open data</a>: the public counts for every neighbourhood, to download.</p>");
        site.render(ctx, page);
    }

    /** The area's status as the map shows it to this caller, in the map's words, and the days it is of. */
    private static String status(AreaStatus.Label label, Optional<LocalDate> newestDay) {
        return "<p class=\"status\" data-status=\"" + label.css + "\"><span class=\"dot\"></span>Status over "
                + AreaStatus.days(newestDay) + ": " + Html.text(label.words) + ".</p>\n";
    }

    /** @param restricted whether the list holds every alert of the area, not only the public ones */
    private static String alertList(List<Map<String, Object>> alerts, boolean restricted, ZoneId zone) {
        StringBuilder out = new StringBuilder("<section id=\"area-alerts\"><h2>Open and recent alerts</h2>\n");
        if (!restricted) {
            out.append("<p class=\"hint\">").append(Html.text(AlertWords.NOT_PUBLIC)).append("</p>\n");
        }
        if (alerts.isEmpty()) {
            return out.append("<p>No open or recent alerts for this neighbourhood.</p></section>\n").toString();
        }
        out.append("<ul class=\"alerts\">\n");
        for (Map<String, Object> a : alerts) {
            out.append("<li><strong>").append(Html.text(a.get("severity"))).append("</strong>: ")
                    .append(Html.text(AlertWords.capitalised(String.valueOf(a.get("signal_name")))))
                    .append(Html.text(place(a))).append(", opened ")
                    .append(Html.text(local(a.get("opened_at"), zone)))
                    .append(a.get("closed_at") == null ? " (open)" : ", closed " + Html.text(local(a.get("closed_at"), zone)))
                    .append("</li>\n");
        }
        return out.append("</ul></section>\n").toString();
    }

    /**
     * For a cluster alert, where (its count is the whole zone's, not this area's); for another, how many were
     * counted where the caller may know (the public view has no count).
     */
    private static String place(Map<String, Object> a) {
        if (a.containsKey("zone_name")) {
            return " in " + a.get("zone_name");
        }
        return a.get("observed") == null ? "" : ", " + a.get("observed") + " counted";
    }

    private static String local(Object instant, ZoneId zone) {
        return AlertWords.local(Instant.parse(String.valueOf(instant)), zone);
    }

    /**
     * @param newestHour the start of the newest hour counted anywhere in the city (empty before any), where the
     *     hourly chart ends: an area's own last count may be weeks old, and its chart would show that fortnight
     *     as if it were the last
     */
    private static String charts(String areaId, boolean analyst, ZoneId zone, Optional<Instant> newestHour) {
        StringBuilder options = new StringBuilder();
        SIGNALS.forEach(signal -> options.append("<option value=\"").append(signal.code()).append("\">")
                .append(Html.text(AlertWords.capitalised(AlertWords.signal(signal.code())))).append("</option>"));
        return """
                <section id="area-charts" data-area="%s" data-analyst="%s" data-zone="%s" data-newest-hour="%s">
                <h2>Counts</h2>
                <p><label for="signal">Show</label> <select id="signal">%s</select></p>
                <figure class="chart" id="chart-day"><figcaption>Each day. Line: the day's count. Shaded: the usual
                range for this day of the week (from the expected count up to the most that would not raise an alarm).
                Orange dots: days the alerting detector raised an alarm. Grey: data incomplete, a feed these counts
                come from was silent or sent unreadable records. With a mouse, drag across the chart to zoom in,
                double-click to zoom out.</figcaption>
                %s<div class="plot"></div>
                <p class="summary"></p>%s</figure>
                <figure class="chart" id="chart-hour"><figcaption>Each hour, last 14 days, in the city's time. There is
                no usual range for single hours. Orange shading: an alert's time window; orange dots: counts inside
                it. Grey: data incomplete.</figcaption>
                <div class="plot"></div>
                <p class="summary"></p>%s</figure>
                <section id="alert-windows"><h3>Every alert here on this signal</h3><ul></ul></section>
                %s
                %s
                </section>
                <section id="drug-checking"><h2>Drug checking</h2>
                %s
                %s
                </section>
                """.formatted(Html.text(areaId), analyst, Html.text(zone.getId()),
                newestHour.map(Instant::toString).orElse(""), options, PERIODS, DOWNLOAD,
                DOWNLOAD, nowcastPanel(), analyst ? detectorAlarms() : "",
                findings("findings-area", "In this neighbourhood"), findings("findings-city", "Across the city"));
    }

    /** The recent counts with the reports still to come (drawn by area.js from {@code /api/areas/{id}/nowcast}). */
    private static String nowcastPanel() {
        return """
                <section id="nowcast"><h3>Reports still to come</h3>
                <p class="summary">Loading…</p>
                <figure class="chart" id="chart-nowcast"><figcaption>Each whole day of the last 8 weeks (not the day in
                progress). Solid line: reported so far. Dashed line: the count expected once all reports are in;
                shaded: where it will likely end up (9 times in 10).
                Some reports, such as coroners', come weeks late.</figcaption><div class="plot"></div>%s</figure>
                <table id="nowcast-weeks"><thead><tr><th scope="col">7 days</th><th scope="col">Reported so far</th>
                <th scope="col">Expected in the end</th><th scope="col">Likely range</th></tr></thead><tbody></tbody></table>
                </section>""".formatted(DOWNLOAD);
    }

    private static String detectorAlarms() {
        return """
                <section id="detector-alarms"><h3>Detector alarms</h3>
                <p>Days on which any detector found more than it would expect. The alerting detector is %s.</p>
                <table class="scrolls"><thead><tr><th scope="col">Day</th><th scope="col">Detector</th>
                <th scope="col">Count</th><th scope="col">Expected</th><th scope="col">Most without alarm</th></tr>
                </thead><tbody></tbody></table>
                <p class="more" hidden><button type="button">Show all</button></p>
                </section>""".formatted(AreaQueries.BAND_METHOD);
    }

    private static String findings(String id, String heading) {
        return """
                <div class="findings" id="%s"><h3>%s</h3><p class="summary">Loading…</p>
                <table class="substances"><thead><tr><th scope="col">Substance</th><th scope="col">Share of samples</th>
                <th scope="col">Note</th></tr></thead><tbody></tbody></table></div>""".formatted(id, heading);
    }
}
