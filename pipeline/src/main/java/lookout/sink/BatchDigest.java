package lookout.sink;

import java.util.HexFormat;

import lookout.kernel.Sha256;

/**
 * A batch's SHA-256 over its Avro encoding under the schema of the build that made it (the bytes a version-1
 * checkpoint kept of it), so that a batch offered again after a restore is told from a different batch that carries
 * the same run and number. Computed once, by that build, and carried with the batch ({@link PendingBatch}).
 */
final class BatchDigest {
    private BatchDigest() {}

    static String of(byte[] encoded) {
        return HexFormat.of().formatHex(Sha256.of(encoded));
    }
}
