package lookout.testing;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** The substance names a contract record carries, from every field that holds one. */
public final class SubstanceNames {
    private SubstanceNames() {}

    public static List<String> of(JsonNode record) {
        List<String> names = new ArrayList<>();
        record.path("suspected_substances").forEach(n -> names.add(n.asText()));
        record.path("toxicology").forEach(n -> names.add(n.asText()));
        record.path("detected").forEach(d -> names.add(d.path("substance").asText()));
        if (record.hasNonNull("expected_substance")) {
            names.add(record.get("expected_substance").asText());
        }
        return names;
    }
}
