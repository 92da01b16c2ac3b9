package lookout.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;

import lookout.kernel.Sha256;
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
            return HexFormat.of().formatHex(Sha256.of(BYTES.serialize(batch)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
