package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import lookout.schema.DeidentifiedEvent;
import lookout.schema.Hash128;

class EventSerializerTest {
    private static final EventSerializer SERIALIZER = new EventSerializer();

    private static Hash128 hash(String hex) {
        return new Hash128(HexFormat.of().parseHex(hex));
    }

    private static DeidentifiedEvent full() {
        return new DeidentifiedEvent("drug_checking", hash("9f86d081884c7d659a2feaa0c55ad015"), "073", 28_512_345L,
                "25-34", "non_fatal", 2, List.of("fentanyl", "xylazine", "médétomidine"), "heroin", 28_512_400L,
                hash("a3f1c2d4e5b60718293a4b5c6d7e8f90"));
    }

    private static DeidentifiedEvent sparse() {
        return new DeidentifiedEvent("paramedic", hash("00000000000000000000000000000000"), "001", 0L, null, null, null,
                List.of(), null, null, null);
    }

    /** Empty strings, a zero dose and a negative minute are values, not absences. */
    private static DeidentifiedEvent edgeValues() {
        return new DeidentifiedEvent("naloxone", hash("ffffffffffffffffffffffffffffffff"), "", -1L, null, "", 0,
                List.of(""), null, null, hash("80000000000000000000000000000001"));
    }

    private static byte[] bytesOf(DeidentifiedEvent e) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(e, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void theSerializerWritesEveryFieldOfTheSchema() {
        assertEquals(List.of("signal", "dedupe_key", "area_id", "occurred_minute", "age_band", "outcome", "doses",
                "substances", "expected_substance", "reported_minute", "pseudonym"),
                DeidentifiedEvent.getClassSchema().getFields().stream().map(f -> f.name()).toList(),
                "a field added to DeidentifiedEvent.avsc must be written and read by EventSerializer too");
    }

    @Test
    void everyFieldSurvivesTheRoundTripWhetherSetOrAbsent() throws IOException {
        for (DeidentifiedEvent e : List.of(full(), sparse(), edgeValues())) {
            assertEquals(e, SERIALIZER.deserialize(new DataInputDeserializer(bytesOf(e))));
        }
    }

    @Test
    void aHashTakesItsSixteenBytes() throws IOException {
        DeidentifiedEvent e = sparse();
        assertEquals(4 + 9 + 16 + 4 + 3 + 8 + 4 + 4 + 1 + 4 + 4 + 1 + 1, bytesOf(e).length,
                "signal, dedupe key, area, minute, age band, outcome, doses, substances, expected, reported, pseudonym");
        e.setPseudonym(hash("a3f1c2d4e5b60718293a4b5c6d7e8f90"));
        assertEquals(16, bytesOf(e).length - bytesOf(sparse()).length, "after the same presence byte");
    }

    @Test
    void recordsWrittenBackToBackAreReadBackInTurn() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(sparse(), out);
        SERIALIZER.serialize(full(), out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertEquals(sparse(), SERIALIZER.deserialize(in));
        assertEquals(full(), SERIALIZER.deserialize(in));
        assertEquals(0, in.available());
    }

    @Test
    void copyingSerialisedBytesGivesTheSameBytesAndStopsAtTheRecordsEnd() throws IOException {
        for (DeidentifiedEvent e : List.of(full(), sparse(), edgeValues())) {
            byte[] original = bytesOf(e);
            DataInputDeserializer in = new DataInputDeserializer(concat(original, bytesOf(full())));
            DataOutputSerializer copied = new DataOutputSerializer(64);
            SERIALIZER.copy(in, copied);
            assertArrayEquals(original, copied.getCopyOfBuffer(), e.toString());
            assertEquals(full(), SERIALIZER.deserialize(in), "the next record is read from where the copy stopped");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Test
    void aCopyIsEqualButNotTheSameObject() {
        DeidentifiedEvent e = full();
        DeidentifiedEvent copy = SERIALIZER.copy(e);
        assertEquals(e, copy);
        assertNotSame(e, copy);
        assertNotSame(e.getSubstances(), copy.getSubstances());
    }

    /** Each user gets its own serializer, since each keeps a table of the text it read. */
    @Test
    void theStreamTypeGivesEachUserItsOwnSerializerAndItsSnapshotRestoresOne() {
        TypeSerializer<DeidentifiedEvent> other = EventSerializer.TYPE.createSerializer(new SerializerConfigImpl());
        assertInstanceOf(EventSerializer.class, other);
        assertEquals(SERIALIZER, other);
        assertNotSame(SERIALIZER, other);
        assertNotSame(SERIALIZER, SERIALIZER.duplicate());
        assertInstanceOf(EventSerializer.class, SERIALIZER.snapshotConfiguration().restoreSerializer());
    }
}
