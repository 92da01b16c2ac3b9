package lookout.kernel;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, which every Java has: the one place that says so instead of each caller catching the exception. */
public final class Sha256 {
    private Sha256() {}

    /** A new digest; not thread-safe, so each caller keeps its own. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    public static byte[] of(byte[] bytes) {
        return digest().digest(bytes);
    }
}
