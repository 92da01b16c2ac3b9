package lookout.detect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An alert's evidence as JSON: the method, the number of firings, then the detector's facts in their order. Every
 * firing of an alarming area writes it (an open alert keeps the last firing's for its next snapshot), so in an
 * outbreak across the city it is written for nearly every event; the facts detectors give (text, whole numbers,
 * finite decimals, lists of text, maps of text) are therefore written by hand, and anything else by Jackson. Both
 * give the same characters: Jackson writes a decimal as {@link Double#toString} and text without escapes unless it
 * holds a quote, a backslash or a control character, which this class leaves to Jackson.
 */
final class EvidenceJson {
    static final String METHOD = "method";
    static final String FIRINGS = "firings";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvidenceJson() {}

    /** {"method": method, "firings": firings, ...facts}; a fact named like the first two replaces its value. */
    static String of(String method, int firings, Map<String, Object> facts) {
        if (!facts.containsKey(METHOD) && !facts.containsKey(FIRINGS)) {
            StringBuilder out = new StringBuilder(160);
            out.append('{');
            if (appendEntry(out, METHOD, method) && appendEntry(out.append(','), FIRINGS, firings)
                    && appendFacts(out, facts)) {
                return out.append('}').toString();
            }
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put(METHOD, method);
        all.put(FIRINGS, firings);
        all.putAll(facts);
        try {
            return JSON.writeValueAsString(all);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("evidence is not serialisable", e);
        }
    }

    /**
     * {@link #of} as the text before and after the firing count, for a firing kept in state (its facts are no Flink
     * type); the second is null when a fact replaces the count, and the first is then the whole.
     */
    static String[] template(String method, Map<String, Object> facts) {
        String none = of(method, 0, facts);
        String one = of(method, 1, facts);
        if (none.equals(one)) {
            return new String[] {none, null};
        }
        int i = 0;
        while (none.charAt(i) == one.charAt(i)) {
            i++;
        }
        return new String[] {none.substring(0, i), none.substring(i + 1)};
    }

    private static boolean appendFacts(StringBuilder out, Map<String, Object> facts) {
        for (Map.Entry<String, Object> e : facts.entrySet()) {
            if (!appendEntry(out.append(','), e.getKey(), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Appends "key":value; false if the key or value is one to leave to Jackson (the text is then discarded). */
    private static boolean appendEntry(StringBuilder out, String key, Object value) {
        return appendText(out, key) && appendValue(out.append(':'), value);
    }

    private static boolean appendValue(StringBuilder out, Object value) {
        if (value instanceof String s) {
            return appendText(out, s);
        }
        if (value instanceof Integer || value instanceof Long) {
            out.append(value);
            return true;
        }
        if (value instanceof Double d) {
            if (!Double.isFinite(d)) {
                return false;
            }
            out.append(Double.toString(d));
            return true;
        }
        if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof String s) || !appendText(i == 0 ? out : out.append(','), s)) {
                    return false;
                }
            }
            out.append(']');
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof String v)
                        || !appendText(first ? out : out.append(','), k) || !appendText(out.append(':'), v)) {
                    return false;
                }
                first = false;
            }
            out.append('}');
            return true;
        }
        return false;
    }

    private static boolean appendText(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        out.append('"').append(s).append('"');
        return true;
    }
}
