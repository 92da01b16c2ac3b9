package lookout.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import lookout.schema.SinkBatch;

/**
 * A batch's SHA-256 over its serialised form (the bytes a checkpoint keeps of it), so that a batch offered again
 * after a restore is told from a different batch that carries the same run and number.
 */
final class BatchDigest {
    private static final AvroBytes<SinkBatch> BYTES = new AvroBytes<>(SinkBatch.class);

    private BatchDigest() {}

    static String of(SinkBatch batch) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BYTES.serialize(batch)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
