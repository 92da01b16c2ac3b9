package lookout.dashboards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

/**
 * The public open-data routes: the page, the Atom feed, each release's page and files at stable URLs, and the
 * JSON list of releases. They need no login: everything under an open-data directory is the public tier. Without
 * {@code --open-data} the page says so, the list is empty and the rest answers 404.
 */
final class OpenDataRoutes implements Feature {
    static final String PAGE = OpenData.PAGE;
    static final String FEED = "/open-data/feed.atom";
    static final String RELEASES = "/open-data/releases/";
    static final String API = "/api/public/releases";
    /** Release files never change once published, so clients and proxies may keep them for good. */
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    static final String STYLE = "/static/open-data.css";

    private final OpenData openData;
    private final OpenDataPage page;
    private Site site;

    /** @param openData null when the server publishes no open data */
    OpenDataRoutes(OpenData openData) {
        this.openData = openData;
        this.page = new OpenDataPage(openData);
    }

    static String releaseUrl(String id) {
        return RELEASES + id + "/";
    }

    static String fileUrl(String id, String name) {
        return RELEASES + id + "/" + name;
    }

    @Override
    public void routes(JavalinConfig config, Site site) {
        this.site = site;
        config.routes.get(PAGE, this::latestPage);
        config.routes.get(FEED, this::feed);
        config.routes.get(RELEASES + "{id}/", this::releasePage);
        config.routes.get(RELEASES + "{id}/{file}", this::file);
        config.routes.head(RELEASES + "{id}/{file}", this::fileHead);
        config.routes.get(API, this::list);
    }

    private void latestPage(Context ctx) {
        List<ReleaseManifest> all = openData == null ? List.of() : openData.releases();
        html(ctx, all.isEmpty() ? page.emptyBody() : page.body(all.get(0), true, all, site.zone()));
    }

    private void releasePage(Context ctx) {
        ReleaseManifest r = release(ctx.pathParam("id"));
        List<ReleaseManifest> all = openData.releases();
        html(ctx, page.body(r, all.get(0).id().equals(r.id()), all, site.zone()));
    }

    private void html(Context ctx, String body) {
        ctx.header("Cache-Control", "no-cache");
        site.render(ctx, new Page("Open data", Page.Section.OPEN_DATA).style(STYLE)
                .alternate(AtomFeed.MEDIA_TYPE, "Lookout open-data releases", FEED).html(body));
    }

    private void feed(Context ctx) throws IOException {
        if (openData == null) {
            throw new ApiError(404, "this server publishes no open data");
        }
        ctx.contentType(AtomFeed.CONTENT_TYPE).header("Cache-Control", "no-cache")
                .result(AtomFeed.of(openData.releases(), Instant.EPOCH));
    }

    private void file(Context ctx) throws IOException {
        ctx.result(Files.newInputStream(served(ctx)));
    }

    /** What a downloader asks before fetching: the file's type, length and date, as GET would send them. */
    private void fileHead(Context ctx) throws IOException {
        ctx.header("Content-Length", Long.toString(Files.size(served(ctx))));
    }

    /** The file a request names, its headers set; a 400 for a name that cannot be a file, a 404 for a missing one. */
    private Path served(Context ctx) throws IOException {
        ReleaseManifest r = release(ctx.pathParam("id"));
        String name = ctx.pathParam("file");
        if (!ReleaseManifest.FILE.matcher(name).matches()) {
            throw new ApiError(400, "a file name is 1 to 100 letters, digits, '.', '_' or '-' and does not start with '.'");
        }
        Path p = openData.file(r, name).orElseThrow(() -> new ApiError(404, "no such file in this release"));
        String type = name.equals(ReleaseManifest.FILE_NAME) ? "application/json"
                : r.file(name).orElseThrow().format().contentType();
        FileTime modified = Files.getLastModifiedTime(p);
        ctx.contentType(type).header("Cache-Control", IMMUTABLE)
                .header("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.toInstant()
                        .atOffset(ZoneOffset.UTC)));
        return p;
    }

    /** Whether HEAD is answered at {@code path}: only for release files, which downloaders check before fetching. */
    static boolean answersHead(String path) {
        return path.startsWith(RELEASES) && !path.endsWith("/");
    }

    /** The release {@code id}, or a 400 for a name that cannot be a release and a 404 for one that is not. */
    private ReleaseManifest release(String id) {
        if (openData == null) {
            throw new ApiError(404, "this server publishes no open data");
        }
        if (!ReleaseManifest.ID.matcher(id).matches()) {
            throw new ApiError(400, "a release id is a date like 2026-06-30");
        }
        return openData.release(id).orElseThrow(() -> new ApiError(404, "no such release"));
    }

    private static Map<String, Object> period(ReleaseManifest.SignalPeriod p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("signal", p.signal());
        m.put("period_start", p.periodStart().toString());
        m.put("period_end", p.periodEnd().toString());
        return m;
    }

    private static Map<String, Object> pending(ReleaseManifest.PendingSignal p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("signal", p.signal());
        m.put("lag_days", p.lagDays());
        m.put("first_release", p.firstRelease().toString());
        return m;
    }

    private void list(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        List<ReleaseManifest> all = openData == null ? List.of() : openData.releases();
        for (ReleaseManifest r : all) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("url", releaseUrl(r.id()));
            m.put("published", r.published().toString());
            m.put("period_start", r.periodStart().toString());
            m.put("period_end", r.periodEnd().toString());
            m.put("signal_periods", r.signalPeriods().stream().map(OpenDataRoutes::period).toList());
            m.put("pending_signals", r.pendingSignals().stream().map(OpenDataRoutes::pending).toList());
            m.put("notes", ReleaseWords.notes(r, all));
            m.put("k", r.k());
            m.put("previous", r.previous());
            m.put("licence", Map.of("id", r.licence().id(), "name", r.licence().name(), "url", r.licence().url()));
            m.put("manifest", fileUrl(r.id(), ReleaseManifest.FILE_NAME));
            List<Map<String, Object>> files = new ArrayList<>();
            for (ReleaseManifest.ReleaseFile f : r.files()) {
                Map<String, Object> fm = new LinkedHashMap<>();
                fm.put("name", f.name());
                fm.put("url", fileUrl(r.id(), f.name()));
                fm.put("kind", f.kind().code());
                fm.put("granularity", f.granularity());
                fm.put("format", f.format().code());
                fm.put("bytes", f.bytes());
                fm.put("sha256", f.sha256());
                files.add(fm);
            }
            m.put("files", files);
            out.add(m);
        }
        ctx.json(out);
    }
}
