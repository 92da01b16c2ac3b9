package lookout.ingest;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.apache.avro.specific.SpecificRecordBase;

import lookout.schema.DeadLetter;
import lookout.schema.IngestResult;

/** One raw input record (JSON line or Avro single-object message) in, one event or one dead letter out. */
public final class RecordIngestor {
    private static final HexFormat HEX = HexFormat.of();

    private final JsonContractReader json = new JsonContractReader();
    private final AvroContractCodec avro = new AvroContractCodec();
    private final Deidentifier deidentifier;
    private final MessageDigest sha256;

    public RecordIngestor(Deidentifier deidentifier) {
        this.deidentifier = deidentifier;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    public IngestResult ingest(byte[] raw, String position, long receivedAtMillis) {
        try {
            SpecificRecordBase record = AvroContractCodec.isSingleObject(raw) ? avro.decode(raw) : json.read(raw);
            return IngestResult.newBuilder().setEvent(deidentifier.deidentify(record)).build();
        } catch (Rejection r) {
            DeadLetter dead = DeadLetter.newBuilder()
                    .setReceivedAt(receivedAtMillis)
                    .setSource(r.source() == null ? null : r.source().code())
                    .setReason(r.reason())
                    .setPosition(position)
                    .setSha256(HEX.formatHex(sha256.digest(raw)))
                    .setRaw(java.nio.ByteBuffer.wrap(raw))
                    .build();
            return IngestResult.newBuilder().setDeadLetter(dead).build();
        }
    }
}
