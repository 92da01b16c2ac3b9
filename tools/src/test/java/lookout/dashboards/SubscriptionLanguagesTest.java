package lookout.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import lookout.notify.Messages;

/**
 * The dashboards may not depend on the notifier, so the languages they offer a subscriber are copies of the
 * notifier's {@link Messages#LANGUAGES}: the form's ({@link Notifications#LANGUAGES}, each with a name) and the
 * hand-written OpenAPI document's. Tools sees both modules and keeps the copies equal to the notifier's list.
 */
class SubscriptionLanguagesTest {
    private static final String DOCUMENT = "/lookout/dashboards/openapi.json";

    @Test
    void theSubscriptionFormAndTheOpenApiDocumentOfferTheNotifiersLanguages() throws Exception {
        assertEquals(Messages.LANGUAGES, Notifications.LANGUAGES, "change Notifications.LANGUAGES (dashboards) to the"
                + " notifier's Messages.LANGUAGES, in its order: the first is the default");
        assertEquals(Set.copyOf(Messages.LANGUAGES), Notifications.LANGUAGE_NAMES.keySet(),
                "name each of the notifier's languages, and no other, in Notifications.LANGUAGE_NAMES (dashboards)");
        List<List<String>> enums;
        try (InputStream doc = SubscriptionLanguagesTest.class.getResourceAsStream(DOCUMENT)) {
            enums = languageEnums(new ObjectMapper().readTree(doc));
        }
        assertFalse(enums.isEmpty(), "no enum of a `language` property in " + DOCUMENT);
        for (List<String> codes : enums) {
            assertEquals(Messages.LANGUAGES, codes, "change the enum of each `language` property in"
                    + " dashboards/src/main/resources" + DOCUMENT + " to the notifier's Messages.LANGUAGES");
        }
    }

    /** The {@code enum} of every property named {@code language} below {@code node}, in the document's order. */
    private static List<List<String>> languageEnums(JsonNode node) {
        List<List<String>> found = new ArrayList<>();
        JsonNode values = node.path("properties").path("language").path("enum");
        if (values.isArray()) {
            List<String> codes = new ArrayList<>();
            values.forEach(v -> codes.add(v.asText()));
            found.add(codes);
        }
        node.forEach(child -> found.addAll(languageEnums(child)));
        return found;
    }
}
