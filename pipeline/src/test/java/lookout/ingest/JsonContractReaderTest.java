package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming reader decides every line as the tree reader it replaced ({@link TreeContractReader}) did: the same
 * record, or the same reason and source. Lines are generated for every source (fields present, absent, null or
 * of the wrong type, in any order, with unknown extras and repeated keys) and then mutated byte by byte: 30,000 lines.
 */
class JsonContractReaderTest {
    private static final String[] SOURCES = {"paramedic", "coroner", "naloxone", "drug_checking"};
    private static final String[] NUMBERS = {"0", "-0", "2", "-1", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "9223372036854775807", "9223372036854775808", "123456789012345678901234567890", "1.5", "-0.0", "1e2", "1E-2",
        "43.651070", "-79.347015", "1e400", "-1e400", "4.9e-325", "0.1e1", "12345678901234567890.5"};
    private static final String[] TEXTS = {"\"\"", "\" \"", "\"transported\"", "\"survived\"", "\"confirmed\"", "\"ms\"",
        "\"fentanyl\"", "\"x\\u0041\\n\\\"\"", "\"é ü 中\"", "\"\\ud83d\\ude00\"", "\"2026-03-04T21:15:42-05:00\"",
        "\"1990-05-01\"", "\"D07\"", "\"paramedic\""};
    private static final String MUTATION_BYTES = "{}[]:,\"\\ 0123456789.-+eEtrufalsn\u00e9";

    private final JsonContractReader streaming = new JsonContractReader();
    private final TreeContractReader tree = new TreeContractReader();

    /** Reads a line into a record or refuses it. */
    private interface Reader {
        SpecificRecordBase read(byte[] line) throws Rejection;
    }

    /** "accepted", the record's class and its fields; or "refused", the reason and the source. */
    private static String decision(Reader reader, byte[] line) {
        try {
            SpecificRecordBase record = reader.read(line);
            return "accepted " + record.getClass().getSimpleName() + " " + record;
        } catch (Rejection r) {
            return "refused " + r.reason() + " " + r.source();
        } catch (RuntimeException e) {
            return "exception " + e.getClass().getName();
        }
    }

    private void assertSameDecision(byte[] line, Map<String, Integer> outcomes) {
        String expected = decision(tree::read, line);
        assertEquals(expected, decision(streaming::read, line), () -> new String(line, StandardCharsets.UTF_8));
        String[] words = expected.split("[ :]", 3);
        outcomes.merge(words[0].equals("refused") ? words[1] : words[0], 1, Integer::sum);
    }

    @Test
    void decidesGeneratedAndMutatedLinesLikeTheTreeReader() {
        SplittableRandom random = new SplittableRandom(14);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int i = 0; i < 15_000; i++) {
            String line = line(random);
            assertSameDecision(line.getBytes(StandardCharsets.UTF_8), outcomes);
            byte[] mutated = mutated(line.getBytes(StandardCharsets.UTF_8), random);
            assertSameDecision(mutated, outcomes);
        }
        for (String reason : List.of("accepted", "duplicate_key", "not_json_or_avro", "wrong_type", "missing_field",
                "unknown_source", "invalid_utf8")) {
            assertTrue(outcomes.getOrDefault(reason, 0) > 50, "each decision is met often: " + outcomes);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "null", "42", "[]", "[{\"a\":1,\"a\":2}]", "[{\"a\":1,\"a\":2}", "{}", "{} {}", "{} x", "{}{\"a\":1,\"a\":2}",
        "{\"a\":1,\"a\":tru}", "{\"a\":1,\"a\":{\"b\":1,\"b\":2}}", "{\"a\":1,\"a\":{\"b\":1,\"b\":}}",
        "{\"source\":\"paramedic\",\"source\":tru}", "{\"source\":\"paramedic\",\"source\":\"paramedic\"}",
        "{\"person\":{\"name\":\"a\",\"name\":\"b\"},\"source\":7}", "{\"source\":null}", "{\"source\":[\"paramedic\"]}",
        "{\"x\":{\"y\":{\"z\":1}},\"x2\":{\"y\":{\"z\":1,\"z\":2}}}", "{\"x\":[{\"k\":1},{\"k\":1}],\"source\":\"coroner\"}",
        "{\"x\":[{\"k\":1,\"k\":1}]}", "{\"notes\":{\"k\":1,\"k\":2}}", "{\"notes\":[1,{\"k\":1,\"k\":2}]}",
        "{\"source\":\"drug_checking\",\"detected\":[null]}", "{\"source\":\"drug_checking\",\"detected\":[{}]}",
        "{\"source\":\"drug_checking\",\"detected\":[{\"substance\":\"a\",\"substance\":\"b\"}]}",
        "{\"source\":\"paramedic\",\"suspected_substances\":[\"a\",null]}", "{\"source\":\"paramedic\",\"detected\":[null,1,{}]}",
        "{\"source\":\"coroner\",\"event_id\":\"e\",\"occurred_at\":\"t\",\"reported_at\":\"t\",\"toxicology\":null}",
        "{\"source\":\"naloxone\",\"event_id\":\"e\",\"occurred_at\":\"t\",\"reported_at\":\"t\",\"doses\":2147483648}",
        "{\"source\":\"naloxone\",\"event_id\":\"e\",\"occurred_at\":\"t\",\"reported_at\":\"t\",\"location\":{\"lat\":1e400,\"lon\":123456789012345678901234567890}}",
        "{\"source\":\"naloxone\",\"event_id\":\"e\",\"occurred_at\":\"t\",\"reported_at\":\"t\",\"location\":{\"lat\":1}}",
        "{\"source\":\"naloxone\",\"event_id\":\"e\",\"occurred_at\":\"t\",\"reported_at\":\"t\",\"location\":{\"lat\":1,\"lon\":2},\"location\":null}",
        "{\"source\":\"naloxone\",\"bad\":\"\\q\"}", "{\"source\":\"naloxone\",\"bad\":\"\u0001\"}", "{\"source\":\"naloxone\",\"x\":01}",
        "{\"source\":\"naloxone\",\"x\":NaN}", "{\"source\":\"naloxone\"//c\n}", "{'source':'naloxone'}", "{\"source\":\"naloxone\",}",
    })
    void decidesEdgeCasesLikeTheTreeReader(String line) {
        assertSameDecision(line.getBytes(StandardCharsets.UTF_8), new TreeMap<>());
    }

    @Test
    void decidesDeepAndLongLinesLikeTheTreeReader() {
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int depth : new int[] {10, 499, 500, 501, 999, 1000, 1001, 5000}) {
            String deep = "{\"source\":\"coroner\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
            assertSameDecision(deep.getBytes(StandardCharsets.UTF_8), outcomes);
            String objects = "{\"source\":\"coroner\",\"x\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}";
            assertSameDecision(objects.getBytes(StandardCharsets.UTF_8), outcomes);
        }
        for (int digits : new int[] {999, 1000, 1001, 2000}) {
            String number = "{\"source\":\"coroner\",\"x\":" + "7".repeat(digits) + "}";
            assertSameDecision(number.getBytes(StandardCharsets.UTF_8), outcomes);
            String fraction = "{\"source\":\"coroner\",\"x\":0." + "7".repeat(digits) + "}";
            assertSameDecision(fraction.getBytes(StandardCharsets.UTF_8), outcomes);
        }
    }

    /** A line of a random source whose fields are mostly right and sometimes absent, null, mistyped or repeated. */
    private static String line(SplittableRandom r) {
        String source = r.nextInt(30) == 0 ? "\"ambulance\"" : r.nextInt(40) == 0 ? "7" : "\"" + SOURCES[r.nextInt(4)] + "\"";
        List<String> fields = new ArrayList<>();
        field(fields, r, "source", source);
        field(fields, r, "event_id", "\"E-" + r.nextInt(1000) + "\"");
        field(fields, r, "occurred_at", "\"2026-03-04T21:15:42-05:00\"");
        field(fields, r, "reported_at", "\"2026-03-04T22:15:42-05:00\"");
        field(fields, r, "location", "{\"lat\":" + number(r) + ",\"lon\":" + number(r) + "}");
        field(fields, r, "area_code", "\"D07\"");
        field(fields, r, "person", "{\"name\":\"Canary Name\",\"date_of_birth\":\"1990-05-01\",\"health_number\":\"HN-1\","
                + "\"sex\":\"F\",\"age\":" + number(r) + (r.nextInt(10) == 0 ? ",\"extra\":{\"a\":[1,2]}" : "") + "}");
        field(fields, r, "notes", "\"found at 12 Canary Lane\"");
        field(fields, r, "naloxone_doses", number(r));
        field(fields, r, "doses", number(r));
        field(fields, r, "outcome", "\"transported\"");
        field(fields, r, "status", "\"confirmed\"");
        field(fields, r, "method", "\"ms\"");
        field(fields, r, "manner", "\"accident\"");
        field(fields, r, "site_id", "\"S1\"");
        field(fields, r, "expected_substance", "\"fentanyl\"");
        field(fields, r, "suspected_substances", "[\"fentanyl\",\"xylazine\"]");
        field(fields, r, "toxicology", "[\"fentanyl\"]");
        field(fields, r, "detected", "[{\"substance\":\"fentanyl\",\"concentration_pct\":" + number(r) + "},{\"substance\":\"xylazine\"}]");
        if (r.nextInt(4) == 0) {
            fields.add("\"unknown_extra\":" + value(r, 2));
        }
        if (r.nextInt(20) == 0) {
            fields.add(fields.get(r.nextInt(fields.size())));
        }
        if (r.nextInt(3) == 0) {
            Collections.shuffle(fields, new java.util.Random(r.nextLong()));
        }
        return "{" + String.join(",", fields) + "}";
    }

    private static void field(List<String> fields, SplittableRandom r, String name, String value) {
        int u = r.nextInt(100);
        if (u < 8) {
            return;
        }
        fields.add("\"" + name + "\":" + (u < 11 ? "null" : u < 16 ? value(r, 1) : value));
    }

    private static String number(SplittableRandom r) {
        return NUMBERS[r.nextInt(NUMBERS.length)];
    }

    /** Any JSON value, nested up to {@code depth}. */
    private static String value(SplittableRandom r, int depth) {
        int kind = r.nextInt(depth > 0 ? 7 : 5);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> r.nextBoolean() ? "true" : "false";
            case 2 -> number(r);
            case 3, 4 -> TEXTS[r.nextInt(TEXTS.length)];
            case 5 -> {
                List<String> items = new ArrayList<>();
                for (int i = r.nextInt(3); i > 0; i--) {
                    items.add(value(r, depth - 1));
                }
                yield "[" + String.join(",", items) + "]";
            }
            default -> {
                List<String> members = new ArrayList<>();
                for (int i = r.nextInt(3); i > 0; i--) {
                    members.add("\"" + (char) ('a' + r.nextInt(3)) + "\":" + value(r, depth - 1));
                }
                yield "{" + String.join(",", members) + "}";
            }
        };
    }

    /** Up to three bytes replaced, inserted or removed, with JSON's own characters and some invalid UTF-8. */
    private static byte[] mutated(byte[] line, SplittableRandom r) {
        byte[] out = line;
        byte[] alphabet = MUTATION_BYTES.getBytes(StandardCharsets.UTF_8);
        for (int m = 1 + r.nextInt(3); m > 0 && out.length > 0; m--) {
            int at = r.nextInt(out.length);
            byte b = r.nextInt(30) == 0 ? (byte) (0x80 + r.nextInt(128)) : alphabet[r.nextInt(alphabet.length)];
            byte[] next;
            switch (r.nextInt(3)) {
                case 0 -> {
                    next = out.clone();
                    next[at] = b;
                }
                case 1 -> {
                    next = new byte[out.length + 1];
                    System.arraycopy(out, 0, next, 0, at);
                    next[at] = b;
                    System.arraycopy(out, at, next, at + 1, out.length - at);
                }
                default -> {
                    next = new byte[out.length - 1];
                    System.arraycopy(out, 0, next, 0, at);
                    System.arraycopy(out, at + 1, next, at, out.length - at - 1);
                }
            }
            out = next;
        }
        return out;
    }
}
