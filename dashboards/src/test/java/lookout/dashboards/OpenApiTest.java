package lookout.dashboards;

import static lookout.dashboards.ApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written OpenAPI document names exactly the API routes the server registers (pages are not the API). */
class OpenApiTest {
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

    @Test
    void everyRegisteredRouteIsDocumentedAndEveryDocumentedOneRegistered(@TempDir Path dir) throws Exception {
        try (ApiServer api = new ApiServer(dir)) {
            Set<String> registered = new TreeSet<>();
            api.routes.stream()
                    .filter(r -> METHODS.contains(r.getHttpMethod().name()) && r.getPath().startsWith("/api/"))
                    .forEach(r -> registered.add(r.getHttpMethod().name() + " " + r.getPath()));

            JsonNode doc = json(api.get("/api/openapi.json", null).body());
            assertEquals("3.0.3", doc.get("openapi").asText());
            Set<String> documented = new TreeSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                path.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + path.getKey()));
            }
            assertTrue(registered.containsAll(Set.of("GET /api/areas", "GET /api/alerts")), registered.toString());
            assertEquals(registered, documented);
        }
    }
}
