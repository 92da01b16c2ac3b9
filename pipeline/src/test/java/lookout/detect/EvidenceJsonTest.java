package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The hand-written evidence JSON is Jackson's, character for character: two backfills must write identical rows. */
class EvidenceJsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void theDetectorsFactsAreWrittenInTheirOrderAfterTheMethodAndFirings() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("window_hours", 24);
        facts.put("paramedic", "fewer than 5");
        facts.put("expected_combined", 3.5);
        facts.put("found_in_areas", List.of("076", "077"));
        facts.put("notable_substances", new TreeMap<>(Map.of("xylazine", "rising", "carfentanil", "always")));
        assertEquals("{\"method\":\"toxicity_multisignal\",\"firings\":3,\"window_hours\":24,"
                + "\"paramedic\":\"fewer than 5\",\"expected_combined\":3.5,\"found_in_areas\":[\"076\",\"077\"],"
                + "\"notable_substances\":{\"carfentanil\":\"always\",\"xylazine\":\"rising\"}}",
                EvidenceJson.of("toxicity_multisignal", 3, facts));
    }

    @Test
    void everyKindOfFactIsWrittenAsJacksonWritesIt() throws Exception {
        Random random = new Random(7);
        for (int n = 0; n < 5_000; n++) {
            Map<String, Object> facts = new LinkedHashMap<>();
            int size = random.nextInt(6);
            for (int i = 0; i < size; i++) {
                facts.put(text(random), value(random));
            }
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("method", "intraday_8h");
            all.put("firings", n);
            all.putAll(facts);
            assertEquals(JACKSON.writeValueAsString(all), EvidenceJson.of("intraday_8h", n, facts), facts.toString());
        }
    }

    @Test
    void aFactNamedLikeTheMethodOrFiringsReplacesItsValueInPlace() throws Exception {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("period", "8h");
        facts.put("firings", "many");
        assertEquals("{\"method\":\"m\",\"firings\":\"many\",\"period\":\"8h\"}", EvidenceJson.of("m", 2, facts));
    }

    private static Object value(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> text(random);
            case 1 -> random.nextInt();
            case 2 -> random.nextLong();
            case 3 -> Math.round(random.nextDouble() * 1000) / 100.0;
            case 4 -> List.of(-0.0, 1e-5, 1e7, 0.1 + 0.2, 123456789.0, Double.MIN_VALUE, Double.NaN,
                    Double.NEGATIVE_INFINITY).get(random.nextInt(8));
            case 5 -> {
                List<String> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(text(random));
                }
                yield list;
            }
            case 6 -> {
                Map<String, String> map = new TreeMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(text(random), text(random));
                }
                yield map;
            }
            case 7 -> random.nextBoolean() ? null : List.of(1, 2);
            default -> random.nextBoolean();
        };
    }

    /** Mostly plain words; sometimes a quote, a backslash, a control character or text beyond ASCII. */
    private static String text(Random random) {
        String alphabet = random.nextInt(4) == 0 ? "ab\"\\\n\t\u0001\u007f/é\u2028\ud83d\ude00 " : "abcdefxyz_09 ";
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
