package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import lookout.schema.DeidentifiedEvent;

class EventSerializerTest {
    private static final EventSerializer SERIALIZER = EventSerializer.INSTANCE;

    private static DeidentifiedEvent full() {
        return new DeidentifiedEvent("drug_checking", "9f86d081884c7d659a2feaa0c55ad015", "073", 28_512_345L,
                "25-34", "non_fatal", 2, List.of("fentanyl", "xylazine", "médétomidine"), "heroin", 28_512_400L,
                "a3f1c2d4e5b60718293a4b5c6d7e8f90");
    }

    private static DeidentifiedEvent sparse() {
        return new DeidentifiedEvent("paramedic", "k", "001", 0L, null, null, null, List.of(), null, null, null);
    }

    /** Hashes not as the ingest writes them (upper case, 32 characters) travel as text, unchanged. */
    private static DeidentifiedEvent upperCaseHashes() {
        return new DeidentifiedEvent("naloxone", "9F86D081884C7D659A2FEAA0C55AD015", "", -1L, null, "", 0, List.of(""),
                null, null, "A3F1C2D4E5B60718293A4B5C6D7E8F9G");
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
        for (DeidentifiedEvent e : List.of(full(), sparse(), upperCaseHashes())) {
            assertEquals(e, SERIALIZER.deserialize(new DataInputDeserializer(bytesOf(e))));
        }
    }

    @Test
    void theIngestsHashesTakeTheirSixteenBytes() throws IOException {
        DeidentifiedEvent e = full();
        int withHashes = bytesOf(e).length;
        e.setDedupeKey(null);
        e.setPseudonym(null);
        assertEquals(2 * 16 - 2 * 4, withHashes - bytesOf(e).length,
                "each hash takes 16 bytes where a null takes 4 (the length -1), after the same tag byte");
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
        for (DeidentifiedEvent e : List.of(full(), sparse(), upperCaseHashes())) {
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

    @Test
    void theStreamTypeUsesThisSerializerAndItsSnapshotRestoresIt() {
        assertSame(SERIALIZER, EventSerializer.TYPE.createSerializer(new SerializerConfigImpl()));
        assertSame(SERIALIZER, SERIALIZER.snapshotConfiguration().restoreSerializer());
    }
}
