package lookout.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import lookout.aggregate.CountedEvent;
import lookout.aggregate.Key128;
import lookout.kernel.Signal;
import lookout.schema.DeidentifiedEvent;

class LinkReportTest {
    private static final long OCCURRED = 1_700_000_040_000L;
    private static final long REPORTED = OCCURRED + 600_000L;

    private final TypeSerializer<LinkReport> serializer = LinkReport.TYPE.createSerializer(new SerializerConfigImpl());

    private static DeidentifiedEvent event(String signal, String person, Long reported) {
        return DeidentifiedEvent.newBuilder().setSignal(signal).setDedupeKey(TestHashes.of("k")).setAreaId("77")
                .setOccurredMinute(OCCURRED).setReportedMinute(reported).setAgeBand("25-34").setOutcome("transported")
                .setSubstances(List.of("fentanyl")).setPseudonym(person == null ? null : TestHashes.of(person)).build();
    }

    @Test
    void keepsThePersonsKeyTheSourceAndWhereTheReportCounts() {
        LinkReport call = LinkReport.of(event("paramedic", "person-a", REPORTED));
        assertEquals(Key128.of(TestHashes.of("person-a")), call.person());
        assertFalse(call.isNaloxone());
        assertEquals("77", call.area());
        assertEquals(OCCURRED, call.occurredMinute());
        assertEquals(REPORTED, call.reportedMinute());
        assertTrue(LinkReport.of(event("naloxone", "person-a", null)).isNaloxone());
        assertEquals(CountedEvent.NOT_REPORTED, LinkReport.of(event("naloxone", "person-a", null)).reportedMinute());
        assertEquals(new CountedEvent("77", Signal.COMBINED, OCCURRED, REPORTED, List.of()), call.asCombined());
    }

    @Test
    void onlyCallsAndNaloxoneReportsWithAPseudonymLink() {
        assertThrows(IllegalArgumentException.class, () -> LinkReport.of(event("coroner", "person-a", REPORTED)));
        assertThrows(IllegalArgumentException.class, () -> LinkReport.of(event("paramedic", null, REPORTED)));
    }

    @Test
    void survivesTheSerializerAndItsByteCopyInFortyTwoBytesForAThreeCharacterArea() throws Exception {
        LinkReport r = new LinkReport(-5L, 7L, true, "158", OCCURRED, CountedEvent.NOT_REPORTED);
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(r, out);
        assertEquals(8 + 8 + 1 + 4 + 3 + 8 + 8, out.length());
        assertEquals(r, serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertEquals(r, serializer.deserialize(new DataInputDeserializer(copied.getCopyOfBuffer())));
    }

    @Test
    void chainedOperatorsShareOneInstanceAndASnapshotRestoresTheSerializer() throws Exception {
        LinkReport r = new LinkReport(1L, 2L, false, "1", OCCURRED, REPORTED);
        assertTrue(serializer.isImmutableType());
        assertSame(r, serializer.copy(r));
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<LinkReport> restored = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertTrue(serializer.snapshotConfiguration().resolveSchemaCompatibility(restored).isCompatibleAsIs());
        assertEquals(serializer, restored.restoreSerializer());
    }

    @Test
    void itsTextNamesNoPersonsKey() {
        assertEquals("paramedic|77@" + OCCURRED + ">" + REPORTED,
                LinkReport.of(event("paramedic", "person-a", REPORTED)).toString());
    }
}
