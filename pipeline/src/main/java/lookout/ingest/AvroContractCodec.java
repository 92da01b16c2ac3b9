package lookout.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecordBase;

import lookout.schema.ReleasedSchemas;

/**
 * Avro single-object encoding (2-byte marker, 8-byte schema fingerprint, binary body) for the records Lookout
 * reads from and writes to Kafka: the fingerprint names the writer's schema, so no registry is needed. A message
 * written under any released form of its source's schema ({@link ReleasedSchemas}) is read as the current one, so
 * producers and Lookout are upgraded independently. Strings are held to strict UTF-8 and lists to
 * {@link ItemLimit} like JSON lines ({@link StrictUtf8Decoder}). Keeps one decoder between messages: one instance
 * per thread.
 */
public final class AvroContractCodec {
    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;
    private static final int HEADER_LENGTH = 10;
    private static final String SOURCE_FIELD = "source";
    /** A record of one source that says, or arrives where, another source's should. */
    static final String SOURCE_MISMATCH = "source_mismatch";

    private final Map<Long, SpecificDatumReader<SpecificRecordBase>> readers = new HashMap<>();
    private final StrictUtf8Decoder decoder = new StrictUtf8Decoder();
    private final Map<Schema, BinaryMessageEncoder<SpecificRecordBase>> encoders = new HashMap<>();

    public AvroContractCodec() {
        this(ReleasedSchemas::of);
    }

    /** @param released the released forms of a source's current schema, which producers may still write */
    AvroContractCodec(Function<Schema, List<Schema>> released) {
        for (Source source : Source.values()) {
            Schema current = Contract.schema(source);
            read(current, current);
            released.apply(current).forEach(writer -> read(writer, current));
        }
    }

    private void read(Schema writer, Schema current) {
        readers.put(SchemaNormalization.parsingFingerprint64(writer),
                new SpecificDatumReader<>(writer, current, SpecificData.get()));
    }

    /** Whether the bytes start with the single-object marker (JSON never starts with 0xC3). */
    public static boolean isSingleObject(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == MARKER_0 && bytes[1] == MARKER_1;
    }

    public SpecificRecordBase decode(byte[] bytes) throws Rejection {
        if (bytes.length < HEADER_LENGTH || !isSingleObject(bytes)) {
            throw new Rejection("invalid_avro", null);
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        SpecificDatumReader<SpecificRecordBase> reader = readers.get(fingerprint);
        if (reader == null) {
            throw new Rejection("unknown_avro_schema", null);
        }
        SpecificRecordBase record;
        try {
            record = reader.read(null, decoder.over(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH));
            if (!decoder.isEnd()) {
                // Bytes after the record are no part of it: a message cut and glued, or another record behind it.
                throw new Rejection("invalid_avro", null);
            }
        } catch (StrictUtf8Decoder.InvalidUtf8 e) {
            throw new Rejection("invalid_utf8", null);
        } catch (StrictUtf8Decoder.TooManyItems e) {
            throw new Rejection(ItemLimit.TOO_MANY_ITEMS, null);
        } catch (IOException | RuntimeException e) {
            throw new Rejection("invalid_avro", null);
        }
        // The schema says which source the record is; its own source field must agree, as a JSON line's decides.
        Object declared = record.get(SOURCE_FIELD);
        if (declared == null || !Contract.sourceOf(record).code().equals(declared.toString())) {
            throw new Rejection(SOURCE_MISMATCH, null);
        }
        return record;
    }

    public byte[] encode(SpecificRecordBase record) {
        BinaryMessageEncoder<SpecificRecordBase> encoder =
                encoders.computeIfAbsent(record.getSchema(), s -> new BinaryMessageEncoder<>(SpecificData.get(), s));
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
