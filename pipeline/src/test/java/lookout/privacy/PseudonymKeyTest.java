package lookout.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.UsageException;

/** A key that was not drawn at random is refused; a key file others can read is reported. */
class PseudonymKeyTest {
    @TempDir
    Path dir;

    static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    static String refusal(byte[] key) {
        return assertThrows(UsageException.class, () -> PseudonymKey.fromBase64(base64(key), "K")).getMessage();
    }

    @Test
    void keysThatAreObviouslyNotRandomAreRefused() {
        assertEquals("pseudonym key in K is not random (fewer than 16 distinct bytes: 1); generate one with"
                + " openssl rand -base64 32", refusal(new byte[32]));
        byte[] fewValues = new byte[32];
        for (int i = 0; i < 32; i++) {
            fewValues[i] = (byte) (i % 15);
        }
        assertEquals("pseudonym key in K is not random (fewer than 16 distinct bytes: 15); generate one with"
                + " openssl rand -base64 32", refusal(fewValues));
        byte[] run = new byte[32];
        for (int i = 0; i < 32; i++) {
            run[i] = (byte) (i < 6 ? 0x41 : i);
        }
        assertEquals("pseudonym key in K is not random (6 equal bytes in a row); generate one with"
                + " openssl rand -base64 32", refusal(run));
    }

    @Test
    void randomKeysAndFiveEqualBytesInARowPass() {
        SecureRandom random = new SecureRandom();
        for (int n = 0; n < 10_000; n++) {
            byte[] b = new byte[32];
            random.nextBytes(b);
            assertEquals(Optional.empty(), PseudonymKey.lowEntropy(b));
        }
        byte[] five = new byte[32];
        for (int i = 0; i < 32; i++) {
            five[i] = (byte) (i < 5 ? 0x41 : i);
        }
        assertEquals(Optional.empty(), PseudonymKey.lowEntropy(five));
    }

    @Test
    void aKeyFileOthersCanReadIsReportedInOneLine() throws Exception {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        Path file = Files.writeString(dir.resolve("key"), base64(b) + "\n");
        List<String> warnings = new ArrayList<>();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        PseudonymKey.fromFile(file, warnings::add);
        assertEquals(List.of(), warnings);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        PseudonymKey key = PseudonymKey.fromFile(file, warnings::add);
        assertEquals(List.of("pseudonym key file " + file + " is readable by other users (rw-r--r--); chmod 600 it"), warnings);
        assertEquals(PseudonymKey.fromBase64(base64(b), "again"), key);
    }
}
