package lookout.dashboards;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;

import lookout.kernel.AreaId;

/**
 * The API's description ({@code /api/openapi.json}) and the area id every area route validates alike; the routes
 * themselves belong to their features ({@link AreaMap}, {@link AreaPage}, {@link Alerts}, {@link OpenDataRoutes}).
 * Restricted routes check the caller (none: 401; a role that may not: 403), then validate every parameter, then
 * write the audit line, then query.
 */
final class ApiRoutes implements Feature {
    private static final Pattern AREA_ID = AreaId.PATTERN;
    private static final String OPENAPI = "/lookout/dashboards/openapi.json";


    @Override
    public void routes(JavalinConfig config, Site site) {
        config.routes.get("/api/openapi.json", ctx -> ctx.contentType("application/json").result(openApi()));
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
