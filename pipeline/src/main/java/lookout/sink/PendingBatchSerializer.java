package lookout.sink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import lookout.schema.SinkBatch;

/**
 * The sink's committables as checkpoints keep them until the committer has applied them, so that a job restored
 * from a checkpoint an earlier build of Lookout took reads them, whatever that build's {@code SinkBatch} schema was.
 * <ul>
 * <li>Version 2, written now: the batch's digest ({@link BatchDigest}), the writer's {@code SinkBatch} schema whole,
 * then the batch in Avro's binary encoding under it, which Avro resolves to this build's schema.</li>
 * <li>Version 1, written by earlier builds: the batch's encoding alone, under the schema kept in
 * {@code sink-batch-v1.avsc} (the {@code SinkBatch} of the last build that wrote version 1); its digest is that of
 * these bytes, as those builds recorded it.</li>
 * </ul>
 * A batch that cannot be read stops the restore with one line ({@link UnreadableBatch}): its rows are never dropped.
 */
final class PendingBatchSerializer implements SimpleVersionedSerializer<PendingBatch> {
    private static final Schema CURRENT = SinkBatch.getClassSchema();
    private static final byte[] CURRENT_TEXT = CURRENT.toString().getBytes(StandardCharsets.UTF_8);

    private final String restoredFrom;

    /**
     * @param restoredFrom the checkpoint or savepoint the job was restored from, named when a batch it keeps cannot
     *                     be read; null if none or not known
     */
    PendingBatchSerializer(String restoredFrom) {
        this.restoredFrom = restoredFrom;
    }

    @Override
    public int getVersion() {
        return 2;
    }

    @Override
    public byte[] serialize(PendingBatch pending) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(pending.digest());
            out.writeInt(CURRENT_TEXT.length);
            out.write(CURRENT_TEXT);
            out.write(encode(pending.batch()));
        }
        return bytes.toByteArray();
    }

    @Override
    public PendingBatch deserialize(int version, byte[] bytes) throws IOException {
        return switch (version) {
            case 1 -> new PendingBatch(read(FirstVersion.SCHEMA, bytes, 0), BatchDigest.of(bytes));
            case 2 -> readSecondVersion(bytes);
            default -> throw new UnreadableBatch(restoredFrom, "it is in format " + version + ", which only a later"
                    + " build writes");
        };
    }

    private PendingBatch readSecondVersion(byte[] bytes) throws IOException {
        ByteArrayInputStream stream = new ByteArrayInputStream(bytes);
        String digest;
        byte[] writerText;
        try (DataInputStream in = new DataInputStream(stream)) {
            digest = in.readUTF();
            writerText = in.readNBytes(in.readInt());
        } catch (IOException | RuntimeException e) {
            throw new UnreadableBatch(restoredFrom, describe(e));
        }
        Schema writer = Arrays.equals(writerText, CURRENT_TEXT) ? CURRENT : parse(writerText);
        return new PendingBatch(read(writer, bytes, bytes.length - stream.available()), digest);
    }

    private Schema parse(byte[] writerText) {
        try {
            return new Schema.Parser().parse(new String(writerText, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new UnreadableBatch(restoredFrom, "its schema: " + describe(e));
        }
    }

    /** The batch encoded under {@code writer} from {@code offset} to the end of {@code bytes}, as this build's. */
    private SinkBatch read(Schema writer, byte[] bytes, int offset) {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, null);
        SinkBatch batch;
        boolean whole;
        try {
            batch = new SpecificDatumReader<SinkBatch>(writer, CURRENT).read(null, decoder);
            whole = decoder.isEnd();
        } catch (IOException | RuntimeException e) {
            throw new UnreadableBatch(restoredFrom, describe(e));
        }
        if (!whole) {
            throw new UnreadableBatch(restoredFrom, "bytes are left after the batch");
        }
        return batch;
    }

    /** The batch's Avro binary encoding under this build's schema: what version 1 was, and what a digest hashes. */
    static byte[] encode(SinkBatch batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new SpecificDatumWriter<SinkBatch>(CURRENT).write(batch, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String describe(Exception e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("");
        return e.getClass().getSimpleName() + message;
    }

    /** The schema version 1 was written under, read only when such a batch is restored. */
    private static final class FirstVersion {
        static final Schema SCHEMA = load();

        private static Schema load() {
            try (InputStream in = PendingBatchSerializer.class.getResourceAsStream("sink-batch-v1.avsc")) {
                return new Schema.Parser().parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read sink-batch-v1.avsc", e);
            }
        }
    }

    /** A kept batch this build cannot read: a restart would read the same bytes again. */
    static final class UnreadableBatch extends SinkRefusal {
        UnreadableBatch(String restoredFrom, String why) {
            super("a DuckDB batch kept for its commit in " + (restoredFrom == null
                    ? "the checkpoint or savepoint this job was restored from" : restoredFrom)
                    + " cannot be read by this build of Lookout (" + why + "): restore it with the build that took"
                    + " it, or start this build with --fresh-state (records read again are then counted again)");
        }
    }
}
