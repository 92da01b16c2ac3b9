package lookout.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Flink's versioned serializer for an Avro record, used for sink committables. */
final class AvroBytes<T extends SpecificRecordBase> implements SimpleVersionedSerializer<T> {
    private final Class<T> type;

    AvroBytes(Class<T> type) {
        this.type = type;
    }

    @Override
    public int getVersion() {
        return 1;
    }

    @Override
    public byte[] serialize(T record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<T>(type).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Override
    public T deserialize(int version, byte[] bytes) throws IOException {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        return new SpecificDatumReader<T>(type).read(null, decoder);
    }
}
