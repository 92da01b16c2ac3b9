package lookout.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The drug-checking findings an alert names: the {@code notable_substances} of its evidence, which the job judged
 * (always notable, new in the city, or a rising share of samples; docs/DETECTION.md) and routed from the area's and
 * its neighbours' samples, never a site. The notifier takes them from the alert record, so it neither re-judges
 * them nor reads the pipeline's state, and it says no count. Only what looks like a vocabulary term (lower-case
 * words of letters, digits and hyphens, at most 40 characters) with a known reason is kept: anything else in the
 * record is dropped, not said.
 */
public final class FoundSubstances {
    /** The job's reasons, in the order a message names them. */
    public static final List<String> REASONS = List.of("always_notable", "new_in_city", "rising_share");
    private static final Pattern TERM = Pattern.compile("[a-z0-9][a-z0-9-]*( [a-z0-9][a-z0-9-]*){0,3}");
    private static final int MAX_TERM = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One substance found nearby and why the job judged it notable. */
    public record Found(String substance, String reason) {
        public Found {
            if (!isTerm(substance) || !REASONS.contains(reason)) {
                throw new IllegalArgumentException("not a notable finding: " + reason);
            }
        }
    }

    private FoundSubstances() {}

    static boolean isTerm(String s) {
        return s != null && s.length() <= MAX_TERM && TERM.matcher(s).matches();
    }

    /** The findings of an alert's evidence (JSON), by reason then name; none when it has none or is not JSON. */
    public static List<Found> of(String evidence) {
        JsonNode notable;
        try {
            notable = evidence == null ? null : JSON.readTree(evidence).path("notable_substances");
        } catch (JsonProcessingException e) {
            return List.of();
        }
        List<Found> out = new ArrayList<>();
        if (notable == null || !notable.isObject()) {
            return out;
        }
        for (String reason : REASONS) {
            for (Map.Entry<String, JsonNode> f : (Iterable<Map.Entry<String, JsonNode>>) notable::fields) {
                if (f.getValue().isTextual() && f.getValue().asText().equals(reason) && isTerm(f.getKey())) {
                    out.add(new Found(f.getKey(), reason));
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * The sentence a message adds for an opening or worsening that names findings ("Drug checking nearby found
     * carfentanil this week."), or "" when there are none or the step is the all-clear.
     */
    static String sentence(AlertStep step, ResourceBundle b) {
        if (step.found().isEmpty() || step.kind() == AlertStep.Kind.CLOSED) {
            return "";
        }
        List<String> said = new ArrayList<>();
        for (Found f : step.found()) {
            said.add(Messages.fill(b.getString("found." + f.reason()), Map.of("0", f.substance())));
        }
        return Messages.fill(b.getString("found.sentence"), Map.of("substances", list(said, b)));
    }

    /** The names alone, for an SMS. */
    static String names(AlertStep step, ResourceBundle b) {
        return list(step.found().stream().map(Found::substance).toList(), b);
    }

    /** "a", "a and b", "a, b and c" in the bundle's words. */
    private static String list(List<String> items, ResourceBundle b) {
        if (items.size() < 2) {
            return String.join("", items);
        }
        String head = String.join(", ", items.subList(0, items.size() - 1));
        return Messages.fill(b.getString("found.list"), Map.of("0", head, "1", items.get(items.size() - 1)));
    }
}
