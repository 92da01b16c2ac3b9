package lookout.dashboards;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import lookout.kernel.Signal;

/**
 * The JSON API under {@code /api/} (the alerts' routes are in {@link Alerts}). Restricted routes check the caller
 * (none: 401; a role that may not: 403), then validate every parameter, then write the audit line, then query.
 */
final class ApiRoutes implements Feature {
    private static final Pattern AREA_ID = Users.AREA;
    private static final Set<String> GRANULARITIES = Set.of("hour", "day");
    private static final String OPENAPI = "/lookout/dashboards/openapi.json";

    private Site site;
    private final Answers series = new Answers();

    @Override
    public void routes(JavalinConfig config, Site site) {
        this.site = site;
        config.routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi()));
        config.routes.get("/api/areas/{id}/series", this::series);
    }

    private void series(Context ctx) throws SQLException {
        User user = site.authorise(ctx, Role.OUTREACH, Role.ANALYST);
        String areaId = areaId(ctx);
        Signal signal = Signal.fromCode(Optional.ofNullable(ctx.queryParam("signal")).orElse(""))
                .orElseThrow(() -> new ApiError(400, "signal must be one of " + Signal.sources().stream()
                        .map(Signal::code).toList() + " or combined"));
        String granularity = Optional.ofNullable(ctx.queryParam("granularity")).orElse("day");
        if (!GRANULARITIES.contains(granularity)) {
            throw new ApiError(400, "granularity must be hour or day");
        }
        String params = "area=" + areaId + " signal=" + signal.code() + " granularity=" + granularity;
        if (!user.maySee(areaId)) {
            site.audit().record(user, "refused", "GET /api/areas/{id}/series", params);
            throw new ApiError(403, "this area is not in your profile");
        }
        site.audit().record(user, "granted", "GET /api/areas/{id}/series", params);
        ctx.contentType("application/json").result(series.get(site, areaId + "|" + signal.code() + "|" + granularity,
                s -> s.read(c -> {
            if (!Queries.areaExists(c, areaId)) {
                throw new ApiError(404, "no such area");
            }
            return Queries.series(c, areaId, signal, granularity);
        })));
    }

    /** The {@code id} path parameter, refused (400) unless it has the shape of an area id. */
    static String areaId(Context ctx) {
        String areaId = ctx.pathParam("id");
        if (!AREA_ID.matcher(areaId).matches()) {
            throw new ApiError(400, "an area id is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return areaId;
    }

    private static String openApi() {
        try (InputStream in = ApiRoutes.class.getResourceAsStream(OPENAPI)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
