package lookout.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import lookout.TestHashes;
import lookout.kernel.Signal;
import lookout.schema.DeidentifiedEvent;

class CountedEventTest {
    private static final long OCCURRED = 1_700_000_040_000L;
    private static final long REPORTED = OCCURRED + 3_600_000L;

    private final TypeSerializer<CountedEvent> serializer = CountedEvent.TYPE.createSerializer(new SerializerConfigImpl());

    private static DeidentifiedEvent event(String signal, Long reported, List<String> substances) {
        return DeidentifiedEvent.newBuilder().setSignal(signal).setDedupeKey(TestHashes.of("k")).setAreaId("77")
                .setOccurredMinute(OCCURRED).setReportedMinute(reported).setAgeBand("25-34").setOutcome("transported")
                .setDoses(2).setSubstances(substances).setPseudonym(TestHashes.of("person")).build();
    }

    @Test
    void keepsWhatTheCellsCountAndOnlyADrugCheckingSampleKeepsItsSubstances() {
        CountedEvent sample = CountedEvent.of(event("drug_checking", REPORTED, List.of("fentanyl", "xylazine")));
        assertEquals(new CountedEvent("77", Signal.DRUG_CHECKING, OCCURRED, REPORTED, List.of("fentanyl", "xylazine")),
                sample);
        assertEquals("drug_checking", sample.signal());
        assertEquals(List.of(), CountedEvent.of(event("paramedic", REPORTED, List.of("fentanyl"))).substances(),
                "a call's suspected substances are no drug-checking finding");
        assertEquals(CountedEvent.NOT_REPORTED, CountedEvent.of(event("coroner", null, List.of())).reportedMinute());
    }

    @Test
    void aCombinedReportIsTheCallCountedAgainInItsAreaAndMinutes() {
        CountedEvent combined = CountedEvent.as(Signal.COMBINED, event("paramedic", REPORTED, List.of("fentanyl")));
        assertEquals(new CountedEvent("77", Signal.COMBINED, OCCURRED, REPORTED, List.of()), combined);
    }

    @Test
    void aCallSurvivesTheSerializerInTwentyEightBytesForAThreeCharacterArea() throws Exception {
        for (Signal s : Signal.values()) {
            assertRoundTrip(new CountedEvent("158", s, OCCURRED, REPORTED, List.of()), 4 + 3 + 1 + 8 + 8 + 4);
        }
        assertRoundTrip(new CountedEvent("158", Signal.CORONER, OCCURRED, CountedEvent.NOT_REPORTED, List.of()), 28);
        assertRoundTrip(new CountedEvent("158", Signal.DRUG_CHECKING, OCCURRED, REPORTED,
                List.of("fentanyl", "xylazine")), 28 + 4 + 8 + 4 + 8);
    }

    private void assertRoundTrip(CountedEvent e, int bytes) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(e, out);
        assertEquals(bytes, out.length());
        assertEquals(e, serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertEquals(e, serializer.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer())));
    }

    @Test
    void chainedOperatorsShareOneInstanceBecauseItIsImmutable() {
        CountedEvent e = new CountedEvent("1", Signal.CORONER, 60_000L, 120_000L, List.of());
        assertTrue(serializer.isImmutableType());
        assertSame(e, serializer.copy(e));
    }

    @Test
    void aSnapshotOfTheSerializerRestoresItAsCompatible() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<CountedEvent> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertTrue(serializer.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAsIs());
        assertEquals(serializer, restored.restoreSerializer());
    }

    @Test
    void anEventOfNoKnownSignalIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CountedEvent.of(event("ambulance", REPORTED, List.of())));
    }
}
