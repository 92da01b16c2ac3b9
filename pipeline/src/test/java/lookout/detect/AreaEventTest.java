package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import lookout.kernel.Signal;
import lookout.schema.DeidentifiedEvent;

class AreaEventTest {
    private final TypeSerializer<AreaEvent> serializer = AreaEvent.TYPE.createSerializer(new SerializerConfigImpl());

    @Test
    void keepsTheAreaSignalAndMinuteOfTheEventAndNothingElse() {
        DeidentifiedEvent e = TestEvents.event("77", "naloxone", TestEvents.at(3, 21, 40));
        AreaEvent a = AreaEvent.of(e);
        assertEquals("77", a.area());
        assertEquals("naloxone", a.signal());
        assertTrue(a.is(Signal.NALOXONE));
        assertEquals(TestEvents.at(3, 21, 40), a.minute());
        assertEquals(DetectionKeys.areaSignal("77", Signal.NALOXONE), AreaSignalDetector.key(a));
    }

    @Test
    void everySignalSurvivesTheSerializerInSixteenBytesForAThreeCharacterArea() throws Exception {
        for (Signal s : Signal.values()) {
            AreaEvent a = new AreaEvent("158", s, 1_700_000_040_000L);
            DataOutputSerializer out = new DataOutputSerializer(32);
            serializer.serialize(a, out);
            assertEquals(4 + 3 + 1 + 8, out.length());
            AreaEvent back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertEquals(a, back);

            DataOutputSerializer copied = new DataOutputSerializer(32);
            serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
            assertEquals(a, serializer.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer())));
        }
    }

    @Test
    void chainedOperatorsShareOneInstanceBecauseItIsImmutable() {
        AreaEvent a = new AreaEvent("1", Signal.CORONER, 60_000L);
        assertTrue(serializer.isImmutableType());
        assertSame(a, serializer.copy(a));
    }

    @Test
    void aSnapshotOfTheSerializerRestoresItAsCompatible() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<AreaEvent> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertTrue(serializer.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAsIs());
        assertEquals(serializer, restored.restoreSerializer());
    }

    @Test
    void anEventOfNoKnownSignalIsRefused() {
        DeidentifiedEvent e = TestEvents.event("1", "ambulance", 0);
        assertThrows(IllegalArgumentException.class, () -> AreaEvent.of(e));
    }
}
