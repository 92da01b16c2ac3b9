package lookout.dashboards;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import lookout.kernel.Disclosure;
import lookout.kernel.Signal;

/**
 * The map at {@code /}: every area drawn from its published shape and coloured by its status
 * ({@link AreaStatus}), with a legend in words and, below, the same statuses as a table that works without
 * JavaScript and with a screen reader; and {@code GET /api/areas}, the GeoJSON the map draws. What a snapshot
 * gives is computed once per snapshot; the public's answer is kept ready as text.
 */
final class AreaMap implements Feature {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The public signals in words: "paramedic, coroner, naloxone, drug checking". */
    private static final String PUBLIC_SIGNALS = String.join(", ",
            Signal.publicSignals().stream().map(s -> s.code().replace('_', ' ')).toList());

    /**
     * The areas of one snapshot, their geometries parsed, and the public's GeoJSON, also gzipped: compressing
     * 200 KB anew for each of many concurrent callers would cost more than the rest of the request.
     */
    private record Snapshot(List<AreaStatus.Area> areas, List<JsonNode> shapes, String publicGeoJson, byte[] publicGzip,
            List<FeedGaps.Episode> openGaps, Optional<LocalDate> newestDay) {}

    private final PerSnapshot<Snapshot> current = new PerSnapshot<>();
    private final Answers signedInViews = new Answers();
    private Site site;

    @Override
    public void routes(JavalinConfig config, Site site) {
        this.site = site;
        config.routes.get("/", this::page);
        config.routes.get("/api/areas", this::geoJson);
    }

    private Snapshot snapshot() throws Exception {
        return current.get(site, c -> {
            List<AreaStatus.Area> areas = AreaStatus.read(c);
            List<JsonNode> shapes = areas.stream().map(AreaMap::shape).toList();
            String geoJson = featureCollection(areas, shapes, Optional.empty()).toString();
            return new Snapshot(areas, shapes, geoJson, gzip(geoJson), FeedGaps.open(c),
                    AreaStatus.newestDay(c, site.zone()));
        });
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static JsonNode shape(AreaStatus.Area area) {
        try {
            return area.shape() == null ? null : JSON.readTree(area.shape());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("area_shapes holds a shape of " + area.id() + " that is not JSON", e);
        }
    }

    private void geoJson(Context ctx) throws Exception {
        Optional<User> user = signedIn(ctx, "GET /api/areas");
        Snapshot s = snapshot();
        ctx.contentType("application/geo+json");
        ctx.header("Vary", "Accept-Encoding, Authorization, Cookie");
        if (user.isPresent()) {
            ctx.result(signedInViews.get(site, user.get().view(), unused -> featureCollection(s.areas, s.shapes, user)));
        } else if (Optional.ofNullable(ctx.header("Accept-Encoding")).orElse("").contains("gzip")) {
            ctx.header("Content-Encoding", "gzip");
            ctx.result(s.publicGzip);
        } else {
            ctx.result(s.publicGeoJson);
        }
    }

    private static ObjectNode featureCollection(List<AreaStatus.Area> areas, List<JsonNode> shapes, Optional<User> user) {
        ObjectNode collection = JSON.createObjectNode().put("type", "FeatureCollection");
        ArrayNode features = collection.putArray("features");
        for (int i = 0; i < areas.size(); i++) {
            AreaStatus.Area a = areas.get(i);
            AreaStatus.Tier tier = a.seenBy(user);
            ObjectNode feature = features.addObject().put("type", "Feature");
            feature.putObject("properties").put("area_id", a.id()).put("name", a.name()).put("status", tier.status())
                    .put("severity", tier.severity());
            feature.set("geometry", shapes.get(i));
        }
        return collection;
    }

    /**
     * The title of the map's downloads, which travel without the page: whose statuses, of which days and, for a
     * signed-in caller's map (which shows restricted signals), that it is not for publication.
     */
    private static String caption(Optional<LocalDate> newestDay, boolean signedIn) {
        return "Lookout: neighbourhood status over " + AreaStatus.days(newestDay) + ", from " + (signedIn
                ? "every signal in the areas the downloading account may see and public reports elsewhere. Restricted:"
                        + " not for publication."
                : "public reports (" + PUBLIC_SIGNALS + ").");
    }

    /** A status's colour, as the map draws it. */
    private static String swatch(AreaStatus.Label l) {
        return "<svg class=\"swatch\" viewBox=\"0 0 16 16\" aria-hidden=\"true\"><rect class=\"status-" + l.css
                + "\" x=\"1\" y=\"1\" width=\"14\" height=\"14\"/></svg>";
    }

    /**
     * An outreach user's own areas above the map, alerts first, each with its status and a link to its page: on a
     * phone the city's map draws them a few pixels wide, and they are what the user came for.
     */
    private static String yourAreas(List<AreaStatus.Area> areas, Optional<User> user) {
        if (user.isEmpty() || user.get().role() != Role.OUTREACH) {
            return "";
        }
        StringBuilder items = new StringBuilder();
        areas.stream().filter(a -> user.get().maySee(a.id()))
                .sorted(Comparator.comparing((AreaStatus.Area a) -> AreaStatus.Label.of(a.seenBy(user)))
                        .thenComparing(AreaStatus.Area::name))
                .forEach(a -> {
                    AreaStatus.Label l = AreaStatus.Label.of(a.seenBy(user));
                    items.append("<li data-area=\"").append(Html.text(a.id())).append("\">").append(swatch(l))
                            .append("<span><a href=\"/areas/").append(Html.text(a.id())).append("\">")
                            .append(Html.text(a.name())).append("</a>: ").append(Html.text(l.words))
                            .append("</span></li>\n");
                });
        return "<section class=\"your-areas\"><h2>Your areas</h2>\n<ul class=\"your-areas\">\n" + items
                + "</ul></section>\n";
    }

    /** The caller; a signed-in one sees statuses from restricted signals, which the audit log records. */
    private Optional<User> signedIn(Context ctx, String what) {
        Optional<User> user = site.user(ctx);
        user.ifPresent(u -> site.audit().record(u, "granted", what, ""));
        return user;
    }

    private void page(Context ctx) throws Exception {
        Optional<User> user = signedIn(ctx, "GET /");
        Snapshot snapshot = snapshot();
        List<AreaStatus.Area> areas = snapshot.areas;
        StringBuilder legend = new StringBuilder();
        for (AreaStatus.Label l : AreaStatus.Label.values()) {
            legend.append("<li data-status=\"").append(l.status).append("\" data-severity=\"")
                    .append(l.severity == null ? "" : l.severity).append("\" data-css=\"status-").append(l.css)
                    .append("\">").append(swatch(l)).append(Html.text(l.words)).append("</li>");
        }
        StringBuilder rows = new StringBuilder();
        for (AreaStatus.Area a : areas) {
            rows.append("<tr><td><a href=\"/areas/").append(Html.text(a.id())).append("\">").append(Html.text(a.name()))
                    .append("</a></td><td>").append(Html.text(AreaStatus.Label.of(a.seenBy(user)).words)).append("</td></tr>\n");
        }
        String scope = user.isEmpty() ? "public reports (" + PUBLIC_SIGNALS + ")"
                : "every signal for the areas you may see, public reports elsewhere";
        site.render(ctx, new Page("Neighbourhoods", Page.Section.MAP)
                .style("/webjars/leaflet/1.9.4/dist/leaflet.css")
                .script("/webjars/leaflet/1.9.4/dist/leaflet.js")
                .script("/static/map.js")
                .drawnByScript()
                .html("""
                        <svg class="defs" aria-hidden="true" focusable="false"><defs>
                        <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                        <rect width="6" height="6" fill="#ffffff"/><rect width="2.5" height="6" fill="#8a8a8a"/></pattern>
                        <pattern id="incomplete" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">
                        <rect width="8" height="8" fill="#ffffff"/><rect width="4" height="8" fill="#56b4e9"/></pattern>
                        </defs></svg>
                        %s%s
                        <div id="map" class="map" role="img" aria-label="Map of the neighbourhoods coloured by status;\
                         the same statuses are listed in the table below" data-caption="%s" data-as-of="%s"></div>
                        <ul class="legend" aria-label="Legend">%s</ul>
                        <p class="download" hidden>Download this map with its legend:
                        <button type="button" id="map-svg">SVG</button> (drawings, print) or
                        <button type="button" id="map-png">PNG</button> (documents, slides)\
                        <span class="problem" role="status"></span></p>
                        <p class="note">Status of %s, from %s. <b>Higher than usual</b>: of one kind
                        of report (paramedic calls, say), at least %d and at least %d times an average week of the %d
                        weeks before. <b>Data incomplete</b>:
                        a source's feed has stopped or sends unreadable records, so what would look usual may not be.
                        <b>Too few to show</b>:
                        fewer than %d reports, not shown so that nobody can be recognised. <b>No data</b>: nothing reported
                        for this area. Select an area to open it.</p>
                        <details class="areas"><summary>All neighbourhoods as a table</summary>
                        <table class="areas"><thead><tr><th scope="col">Neighbourhood</th><th scope="col">Status</th></tr></thead>
                        <tbody>
                        %s</tbody></table></details>""".formatted(FeedGaps.banner(snapshot.openGaps, site.zone()),
                        yourAreas(areas, user),
                        Html.text(caption(snapshot.newestDay, user.isPresent())),
                        snapshot.newestDay.map(LocalDate::toString).orElse(""),
                        legend, AreaStatus.days(snapshot.newestDay), scope, Disclosure.K,
                        AreaStatus.ABOVE_FACTOR, AreaStatus.BASELINE_WEEKS, Disclosure.K, rows)));
    }
}
