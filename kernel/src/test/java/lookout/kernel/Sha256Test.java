package lookout.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class Sha256Test {
    @Test
    void givesTheStandardsTestVector() {
        // FIPS 180-2, appendix B.1: "abc".
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                HexFormat.of().formatHex(Sha256.of("abc".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(32, Sha256.digest().getDigestLength());
    }
}
