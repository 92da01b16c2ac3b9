package lookout.ingest;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import org.apache.avro.specific.SpecificRecordBase;

import lookout.kernel.Sha256;
import lookout.schema.DeadLetter;
import lookout.schema.IngestResult;

/**
 * One raw input record (JSON line or Avro single-object message) in, one event or one dead letter out. Nothing
 * a record holds can make it throw: whatever is not an event becomes a dead letter, so one record can never
 * fail the job.
 */
public final class RecordIngestor {
    public static final String TOO_LARGE = "record_too_large";
    /** A refusal that no check foresaw: a bug to fix, but the record's own problem and not the job's. */
    public static final String INGEST_ERROR = "ingest_error";
    /**
     * How much of a record too large to read whole its dead letter keeps as raw bytes: enough to see where it
     * came from, not so much that dead letters could exhaust memory or exceed a Kafka message.
     */
    public static final int TOO_LARGE_RAW_BYTES = 4096;

    private static final HexFormat HEX = HexFormat.of();

    private final JsonContractReader json = new JsonContractReader();
    private final AvroContractCodec avro = new AvroContractCodec();
    private final Deidentifier deidentifier;
    private final int maxRecordBytes;
    private final MessageDigest sha256 = Sha256.digest();

    public RecordIngestor(Deidentifier deidentifier, int maxRecordBytes) {
        this.deidentifier = deidentifier;
        this.maxRecordBytes = maxRecordBytes;
    }

    public IngestResult ingest(byte[] raw, String position, long receivedAtMillis) {
        return ingest(raw, position, receivedAtMillis, null);
    }

    /**
     * As {@link #ingest(byte[], String, long)}, for a record read from {@code topicSource}'s own topic (null: a topic
     * of any source): a record of another source there is {@code source_mismatch}, kept under the topic's source,
     * since the topic's producer sent it. Counted as its own source, it would let a producer allowed only that topic
     * add another source's events, such as deaths to the coroner's counts.
     */
    public IngestResult ingest(byte[] raw, String position, long receivedAtMillis, Source topicSource) {
        if (raw.length > maxRecordBytes) {
            return refused(TOO_LARGE, null, Arrays.copyOf(raw, Math.min(raw.length, TOO_LARGE_RAW_BYTES)), hash(raw), position, receivedAtMillis);
        }
        try {
            SpecificRecordBase record = AvroContractCodec.isSingleObject(raw) ? avro.decode(raw) : json.read(raw);
            if (topicSource != null && Contract.sourceOf(record) != topicSource) {
                throw new Rejection(AvroContractCodec.SOURCE_MISMATCH, topicSource);
            }
            return IngestResult.newBuilder().setEvent(deidentifier.deidentify(record)).build();
        } catch (Rejection r) {
            return refused(r.reason(), r.source(), raw, hash(raw), position, receivedAtMillis);
        } catch (RuntimeException e) {
            // Deliberately not logged: the exception's message may quote the record.
            return refused(INGEST_ERROR, null, raw, hash(raw), position, receivedAtMillis);
        }
    }

    /**
     * A dead letter for a record the reader could not hand over whole (too large, or cut off by a damaged
     * file): {@code raw} is what is kept of it, {@code sha256Hex} the hash of all of it.
     */
    public IngestResult refused(String reason, byte[] raw, String sha256Hex, String position, long receivedAtMillis) {
        return refused(reason, null, raw, sha256Hex, position, receivedAtMillis);
    }

    private static IngestResult refused(String reason, Source source, byte[] raw, String sha256Hex, String position,
            long receivedAtMillis) {
        DeadLetter dead = DeadLetter.newBuilder()
                .setReceivedAt(receivedAtMillis)
                .setSource(source == null ? null : source.code())
                .setReason(reason)
                .setPosition(position)
                .setSha256(sha256Hex)
                .setRaw(ByteBuffer.wrap(raw))
                .build();
        return IngestResult.newBuilder().setDeadLetter(dead).build();
    }

    private String hash(byte[] raw) {
        return HEX.formatHex(sha256.digest(raw));
    }
}
