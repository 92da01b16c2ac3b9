package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** {@link Utf8#isValid} judges like the JDK's strict decoder, wherever in a long ASCII run a bad byte sits. */
class Utf8Test {
    private static final String[] PIECES = {"41", "7f", "c3a9", "e282ac", "f09f9880", "80", "ff", "c3", "c0af", "e080af",
        "eda080", "f4908080", "f0808080", "e282", "f09f98"};

    private static boolean jdkValid(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnGeneratedBytes() {
        SplittableRandom random = new SplittableRandom(8);
        int invalid = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder hex = new StringBuilder();
            int pieces = random.nextInt(12);
            for (int k = 0; k < pieces; k++) {
                if (random.nextInt(3) == 0) {
                    hex.append(PIECES[random.nextInt(PIECES.length)]);
                } else {
                    hex.append("61".repeat(random.nextInt(20)));
                }
            }
            byte[] b = HexFormat.of().parseHex(hex);
            boolean expected = jdkValid(b);
            assertEquals(expected, Utf8.isValid(b), hex.toString());
            invalid += expected ? 0 : 1;
        }
        assertTrue(invalid > 20_000 && invalid < 80_000, invalid + " invalid");
    }

    @Test
    void onlyTheGivenLengthIsJudged() {
        byte[] b = HexFormat.of().parseHex("61616161616161616161ff");
        assertTrue(Utf8.isValid(b, 10));
        assertEquals(false, Utf8.isValid(b, 11));
    }
}
