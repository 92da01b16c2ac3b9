package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

import lookout.schema.Alert;
import lookout.schema.FeedHealth;
import lookout.schema.ReleasedSchemas;

/** What the notifier reads back after an upgrade that added a field to Alert or FeedHealth. */
class ContractDecodersTest {
    /** A message as a job on an earlier form of the record's schema, one without {@code field}, wrote it. */
    private record Earlier(Schema schema, ByteBuffer message) {
        static Earlier without(SpecificRecordBase record, String field) throws IOException {
            Schema current = record.getSchema();
            Schema earlier = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                    current.getFields().stream().filter(f -> !f.name().equals(field))
                            .map(f -> new Schema.Field(f, f.schema())).toList());
            GenericRecord written = new GenericData.Record(earlier);
            earlier.getFields().forEach(f -> written.put(f.name(), record.get(f.name())));
            return new Earlier(earlier, new BinaryMessageEncoder<GenericRecord>(GenericData.get(), earlier)
                    .encode(written));
        }
    }

    @Test
    void anAlertWrittenUnderAnEarlierReleasedFormIsReadWithTheNewFieldsDefault() throws IOException {
        Alert alert = Steps.alert("0f1e2d3c-0000-4000-8000-000000000001", "opened", "moderate", 9);
        Earlier earlier = Earlier.without(alert, "observed");
        BinaryMessageDecoder<Alert> upgraded = ContractDecoders.reading(Alert.getClassSchema(),
                List.of(earlier.schema(), Alert.getClassSchema()));
        assertEquals(Alert.newBuilder(alert).setObserved(null).build(), upgraded.decode(earlier.message()));
    }

    @Test
    void aFeedHealthEpisodeWrittenUnderAnEarlierReleasedFormIsReadWithTheNewFieldsDefault() throws IOException {
        FeedHealth episode = FeedHealth.newBuilder().setEpisodeId("paramedic-silent-1").setSource("paramedic")
                .setStatus("silent").setSince(1L).setUntil(null).setUpdatedAt(2L).setSecondsSinceLastRecord(3.0)
                .setUsualGapSeconds(4.0).setDeadLetterShare(0.5).setReportDelaySeconds(6.0).build();
        Earlier earlier = Earlier.without(episode, "dead_letter_share");
        BinaryMessageDecoder<FeedHealth> upgraded = ContractDecoders.reading(FeedHealth.getClassSchema(),
                List.of(earlier.schema(), FeedHealth.getClassSchema()));
        assertEquals(FeedHealth.newBuilder(episode).setDeadLetterShare(null).build(),
                upgraded.decode(earlier.message()));
    }

    @Test
    void anAlertUnderAFormNeverReleasedIsStillRefused() throws IOException {
        Earlier unreleased = Earlier.without(Steps.alert("s", "opened", "moderate", 9), "observed");
        assertThrows(MissingSchemaException.class, () -> ContractDecoders.ALERT.decode(unreleased.message()));
    }

    /** A message naming a released form is read with it: a body that is not a record fails, but not as unknown. */
    @Test
    void theNotifiersDecodersKnowEveryReleasedForm() {
        for (Schema released : ReleasedSchemas.of(Alert.getClassSchema())) {
            assertFalse(assertThrows(Exception.class, () -> ContractDecoders.ALERT.decode(header(released)))
                    instanceof MissingSchemaException, released.getName());
        }
        for (Schema released : ReleasedSchemas.of(FeedHealth.getClassSchema())) {
            assertFalse(assertThrows(Exception.class, () -> ContractDecoders.FEED_HEALTH.decode(header(released)))
                    instanceof MissingSchemaException, released.getName());
        }
    }

    private static byte[] header(Schema writer) {
        return ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0xC3).put((byte) 0x01)
                .putLong(SchemaNormalization.parsingFingerprint64(writer)).array();
    }
}
