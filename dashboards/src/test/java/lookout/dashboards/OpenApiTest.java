package lookout.dashboards;

import static lookout.dashboards.ApiServer.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.AlertSignals;
import lookout.kernel.Signal;

/**
 * The hand-written OpenAPI document names exactly the API routes the server registers (pages are not the API),
 * every signal where it lists them, and the feeds of each derived signal where it says which they are.
 */
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

    /**
     * The document is written by hand, so each list of signal codes in it (every {@code enum} naming a signal) is
     * checked against the kernel's: a signal parameter takes every {@link Signal}, a subscription every alert signal.
     */
    @Test
    void everyListOfSignalsInTheDocumentNamesEverySignal() throws Exception {
        List<String> signals = Arrays.stream(Signal.values()).map(Signal::code).toList();
        assertEquals(List.of(AlertSignals.codes(), signals, signals, signals), signalEnums(document()),
                "the subscriptions' signals, then the signal parameter of series, alarms and nowcast");
    }

    /**
     * An area's incomplete periods are those of the feeds its signal is counted from; the document names in words
     * the feeds of each derived signal, as "combined: paramedic and naloxone": they must be its
     * {@link Signal#countedFrom}.
     */
    @Test
    void theIncompletePeriodsNameTheFeedsEachDerivedSignalIsCountedFrom() throws Exception {
        String description = document().at("/components/schemas/AreaDays/properties/incomplete/description").asText();
        for (Signal derived : Arrays.stream(Signal.values()).filter(s -> !s.isSource()).toList()) {
            List<String> feeds = derived.countedFrom().stream().map(Signal::code).toList();
            String named = derived.code() + ": " + String.join(", ", feeds.subList(0, feeds.size() - 1)) + " and "
                    + feeds.get(feeds.size() - 1);
            assertTrue(description.contains(named), () -> "say \"" + named + "\" in the description of AreaDays'"
                    + " incomplete in openapi.json, which now reads: " + description);
        }
    }

    private static JsonNode document() throws IOException {
        try (InputStream doc = OpenApiTest.class.getResourceAsStream("/lookout/dashboards/openapi.json")) {
            return new ObjectMapper().readTree(doc);
        }
    }

    /** Every {@code enum} below {@code node} that names a signal, in the document's order. */
    private static List<List<String>> signalEnums(JsonNode node) {
        List<List<String>> found = new ArrayList<>();
        JsonNode values = node.path("enum");
        if (values.isArray() && Signal.fromCode(values.path(0).asText()).isPresent()) {
            List<String> codes = new ArrayList<>();
            values.forEach(v -> codes.add(v.asText()));
            found.add(codes);
        }
        node.forEach(child -> found.addAll(signalEnums(child)));
        return found;
    }
}
