package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

import lookout.schema.ParamedicEvent;
import lookout.schema.ReleasedSchemas;

/** Messages written under an earlier form of a source's schema, as producers not yet upgraded send them. */
class AvroContractCodecTest {
    private static final ParamedicEvent EVENT = ParamedicEvent.newBuilder().setEventId("p-1").setSource("paramedic")
            .setOccurredAt("2026-03-04T21:15:42-05:00").setReportedAt("2026-03-04T21:40:00-05:00")
            .setLocation(null).setAreaCode("D12").setPerson(null).setNotes("found at 12 Canary Lane")
            .setNaloxoneDoses(2).setOutcome("transported").setSuspectedSubstances(List.of("fentanyl")).build();

    /**
     * ParamedicEvent as it would have been released before its last field, {@code suspected_substances} (default
     * {@code []}), was added: the earlier form a producer not yet upgraded writes.
     */
    private static final Schema EARLIER = withoutLastField(ParamedicEvent.getClassSchema());

    private static Schema withoutLastField(Schema current) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : current.getFields().subList(0, current.getFields().size() - 1)) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    /** The event as a producer on the earlier form sends it (the fields it has keep their places). */
    private static byte[] writtenUnderTheEarlierForm() throws IOException {
        ByteBuffer message = new BinaryMessageEncoder<ParamedicEvent>(SpecificData.get(), EARLIER).encode(EVENT);
        return Arrays.copyOfRange(message.array(), message.arrayOffset() + message.position(),
                message.arrayOffset() + message.limit());
    }

    /** A codec that knows the earlier form as released, as after an upgrade that added the field. */
    private static AvroContractCodec upgraded() {
        return new AvroContractCodec(current -> current.getName().equals("ParamedicEvent")
                ? List.of(EARLIER, current) : List.of(current));
    }

    @Test
    void aMessageWrittenUnderAnEarlierReleasedFormIsReadWithTheNewFieldsDefault() throws Exception {
        ParamedicEvent expected = ParamedicEvent.newBuilder(EVENT).setSuspectedSubstances(List.of()).build();
        assertEquals(expected, upgraded().decode(writtenUnderTheEarlierForm()));
        assertEquals(EVENT, upgraded().decode(new AvroContractCodec().encode(EVENT)), "the current form as before");
    }

    @Test
    void aMessageUnderAFormNeverReleasedIsStillAnUnknownSchema() throws Exception {
        Rejection refused = assertThrows(Rejection.class, () -> new AvroContractCodec().decode(
                writtenUnderTheEarlierForm()));
        assertEquals("unknown_avro_schema", refused.reason());
    }

    @Test
    void anEarlierFormsMessageIsHeldToStrictUtf8AndEndsWithItsRecord() throws Exception {
        byte[] message = writtenUnderTheEarlierForm();
        byte[] notes = "found at".getBytes(StandardCharsets.US_ASCII);
        byte[] invalid = message.clone();
        int at = indexOf(invalid, notes);
        invalid[at] = (byte) 0xC0;
        invalid[at + 1] = (byte) 0xAF;
        assertEquals("invalid_utf8", assertThrows(Rejection.class, () -> upgraded().decode(invalid)).reason());
        byte[] trailing = Arrays.copyOf(message, message.length + 3);
        assertEquals("invalid_avro", assertThrows(Rejection.class, () -> upgraded().decode(trailing)).reason());
    }

    /** A message naming a released form is read with it: one without a body is invalid, not of an unknown schema. */
    @Test
    void everyReleasedFormOfEverySourceIsKnownToTheCodec() {
        AvroContractCodec codec = new AvroContractCodec();
        List<String> reasons = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (Source source : Source.values()) {
            for (Schema released : ReleasedSchemas.of(Contract.schema(source))) {
                ByteBuffer header = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0xC3)
                        .put((byte) 0x01).putLong(SchemaNormalization.parsingFingerprint64(released));
                reasons.add(assertThrows(Rejection.class, () -> codec.decode(header.array())).reason());
                expected.add("invalid_avro");
            }
        }
        assertEquals(Source.values().length, expected.size(), "each source has its current form released");
        assertEquals(expected, reasons);
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }
}
