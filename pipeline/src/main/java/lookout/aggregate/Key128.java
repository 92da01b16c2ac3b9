package lookout.aggregate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;

import lookout.privacy.Pseudonymizer;

/**
 * A 128-bit key as two longs, for the keyed operators that key by the ingest's keyed hashes (the dedupe key, the
 * pseudonym): Flink serializes it in a fixed 16 bytes with its own tuple serializer, and a backfill sorts and
 * shuffles those instead of 32-character strings.
 */
public final class Key128 {
    /** Two longs, high bits first. */
    public static final TypeInformation<Tuple2<Long, Long>> TYPE = Types.TUPLE(Types.LONG, Types.LONG);

    private Key128() {}

    /**
     * The key of a hash the ingest made (32 lower-case hex digits, {@link Pseudonymizer#hashBits}): its 128 bits. Any
     * other string (events made by hand) is digested to 128 bits, so equal strings always get equal keys.
     */
    public static Tuple2<Long, Long> of(String hash) {
        long[] bits = new long[2];
        if (Pseudonymizer.hashBits(hash, bits)) {
            return Tuple2.of(bits[0], bits[1]);
        }
        ByteBuffer digest = ByteBuffer.wrap(sha256(hash.getBytes(StandardCharsets.UTF_8)));
        return Tuple2.of(digest.getLong(), digest.getLong());
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
