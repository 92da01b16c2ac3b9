package lookout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import lookout.schema.Hash128;

/**
 * Keyed hashes for events made by hand in tests: distinct labels give distinct hashes, equal labels equal ones, and
 * a hash made here gives its label back, so tests can say which events came out.
 */
public final class TestHashes {
    private static final Map<Hash128, String> LABELS = new ConcurrentHashMap<>();

    private TestHashes() {}

    /** The first 128 bits of the label's SHA-256, or null for null. */
    public static Hash128 of(String label) {
        if (label == null) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
            Hash128 hash = new Hash128(Arrays.copyOf(digest, 16));
            LABELS.put(hash, label);
            return hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The label of a hash made by {@link #of}; null for null. */
    public static String label(Hash128 hash) {
        return hash == null ? null : LABELS.get(hash);
    }
}
