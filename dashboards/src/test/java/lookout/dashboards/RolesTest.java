package lookout.dashboards;

import static lookout.dashboards.ApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Every restricted route refuses the public (401) and a role or profile that may not (403), and is audited. */
class RolesTest extends WithApiServer {
    /** The restricted routes, each with a request an analyst may make. */
    static final List<String> RESTRICTED = List.of("/api/alerts", "/api/areas/A1/series?signal=paramedic&granularity=day",
            "/api/areas/A1/alarms?signal=paramedic", "/api/areas/A1/substances?weeks=4");
    /** The restricted routes about one area, each for A1, which is not in the outreach profile. */
    static final List<String> AREA_ROUTES = List.of("/api/areas/A1/series?signal=paramedic&granularity=day",
            "/api/areas/A1/alarms?signal=paramedic", "/api/areas/A1/substances?weeks=4");
    /** The public routes. */
    static final List<String> PUBLIC = List.of("/api/areas", "/api/public/alerts", "/api/openapi.json");

    @Test
    void restrictedRoutesRefuseThePublicAndUnknownTokens() throws Exception {
        for (String route : RESTRICTED) {
            for (String token : new String[] {null, "not-a-token"}) {
                HttpResponse<String> r = api.get(route, token);
                assertEquals(401, r.statusCode(), route);
                assertEquals(token == null ? "sign in or send a bearer token to see this" : "unknown token",
                        json(r.body()).get("error").asText(), route);
            }
        }
        assertEquals(false, Files.exists(api.audit), "nobody was identified, so nothing was audited");
    }

    @Test
    void outreachIsRefusedAreasOutsideTheirProfile() throws Exception {
        for (String route : AREA_ROUTES) {
            HttpResponse<String> r = api.get(route, api.outreach);
            assertEquals(403, r.statusCode(), route);
            assertEquals("this area is not in your profile", json(r.body()).get("error").asText(), route);
            assertEquals(200, api.get(route.replace("/A1/", "/A2/"), api.outreach).statusCode(), route);
        }
    }

    @Test
    void theBearerSchemesNameIsCaseInsensitiveAndAnotherSchemeIsRefused() throws Exception {
        assertEquals(200, withAuthorization("bearer " + api.analyst).statusCode());
        HttpResponse<String> basic = withAuthorization("Basic YW5hbHlzdDpzZWNyZXQ=");
        assertEquals(401, basic.statusCode());
        assertEquals("the Authorization header must be 'Bearer TOKEN'", json(basic.body()).get("error").asText());
    }

    private HttpResponse<String> withAuthorization(String header) throws Exception {
        return api.client().send(HttpRequest.newBuilder(api.uri("/api/alerts")).header("Authorization", header).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theMapRefusesAnUnknownTokenRatherThanShowingThePublicStatus() throws Exception {
        HttpResponse<String> r = api.get("/api/areas", "not-a-token");
        assertEquals(401, r.statusCode());
        assertEquals("unknown token", json(r.body()).get("error").asText());
    }

    @Test
    void analystsReachEveryRouteAndThePublicEveryPublicOne() throws Exception {
        for (String route : RESTRICTED) {
            assertEquals(200, api.get(route, api.analyst).statusCode(), route);
        }
        for (String route : PUBLIC) {
            assertEquals(200, api.get(route, null).statusCode(), route);
        }
    }

    @Test
    void theAuditLogNamesWhoWhatAndWhenButNoCount() throws Exception {
        api.get("/api/alerts", api.analyst);
        api.get("/api/areas/A2/series?signal=naloxone&granularity=day", api.outreach);
        api.get("/api/areas/A1/series?signal=paramedic&granularity=hour", api.outreach);
        api.get("/api/areas", null);
        api.get("/api/areas", api.outreach);
        api.get("/api/areas/A1/alarms?signal=coroner", api.analyst);
        api.get("/api/areas/A1/substances", api.outreach);
        assertEquals(List.of(
                "2026-03-03T00:00:00Z\tana\tanalyst\tgranted\tGET /api/alerts\t",
                "2026-03-03T00:00:00Z\totto\toutreach\tgranted\tGET /api/areas/{id}/series\tarea=A2 signal=naloxone granularity=day",
                "2026-03-03T00:00:00Z\totto\toutreach\trefused\tGET /api/areas/{id}/series\tarea=A1 signal=paramedic granularity=hour",
                "2026-03-03T00:00:00Z\totto\toutreach\tgranted\tGET /api/areas\t",
                "2026-03-03T00:00:00Z\tana\tanalyst\tgranted\tGET /api/areas/{id}/alarms\tarea=A1 signal=coroner",
                "2026-03-03T00:00:00Z\totto\toutreach\trefused\tGET /api/areas/{id}/substances\tarea=A1 weeks=8"),
                Files.readAllLines(api.audit), "the map's statuses from restricted signals are audited for a user");
    }
}
