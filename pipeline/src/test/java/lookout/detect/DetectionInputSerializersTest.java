package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The toxicity and scan operators' inputs through their own serializers: every field, every kind, each user its own. */
class DetectionInputSerializersTest {
    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        serializer.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T first = serializer.deserialize(in);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(in, copied);
        assertEquals(0, in.available(), "the copy stops at the record's end");
        assertEquals(out.length() / 2, copied.length());
        return first;
    }

    private static String describe(ToxicityInput in) {
        Finding f = in.finding;
        return in.area + "|" + in.time + "|" + in.signal + "|" + (f == null ? "-" : f.targetArea + "," + f.foundInArea
                + "," + f.time + "," + f.substance + "," + f.watchEntry + "," + f.novel + "," + f.critical + "," + f.reason);
    }

    private static String describe(ScanInput in) {
        return in.kind + "|" + in.signal + "|" + in.area + "|" + in.time + "|" + in.day + "|" + in.expected;
    }

    @Test
    void anOverdoseEventAndARoutedFindingSurviveWithEveryField() throws IOException {
        TypeSerializer<ToxicityInput> serializer = ToxicityInput.TYPE.createSerializer(new SerializerConfigImpl());
        ToxicityInput event = ToxicityInput.event("77", 1_700_000_040_000L, "naloxone");
        assertEquals("77|1700000040000|naloxone|-", describe(roundTrip(serializer, event)));
        ToxicityInput finding = ToxicityInput.finding(new Finding("78", "77", 1_700_000_100_000L, "carfentanil", null,
                true, true, SubstanceJudge.ALWAYS));
        assertEquals("78|1700000100000|null|78,77,1700000100000,carfentanil,null,true,true," + SubstanceJudge.ALWAYS,
                describe(roundTrip(serializer, finding)));
        ToxicityInput copy = serializer.copy(finding);
        assertEquals(describe(finding), describe(copy));
        assertNotSame(finding.finding, copy.finding);
        assertNull(serializer.copy(event).finding);
    }

    @Test
    void eachKindOfScanInputSurvivesWithEveryField() throws IOException {
        TypeSerializer<ScanInput> serializer = ScanInput.TYPE.createSerializer(new SerializerConfigImpl());
        assertEquals("0|paramedic|77|1700000040000|0|NaN",
                describe(roundTrip(serializer, ScanInput.event("77", "paramedic", 1_700_000_040_000L))));
        assertEquals("1|naloxone|9|0|19700|0.25",
                describe(roundTrip(serializer, ScanInput.expectation("9", "naloxone", 19_700, 0.25))));
        assertEquals("2|paramedic||0|19701|NaN", describe(roundTrip(serializer, ScanInput.alerted("", "paramedic", 19_701))));
        ScanInput in = ScanInput.expectation("9", "naloxone", 19_700, 0.25);
        assertEquals(describe(in), describe(serializer.copy(in)));
    }

    @Test
    void eachUserGetsItsOwnSerializerAndASnapshotRestoresOne() {
        TypeSerializer<ScanInput> scan = ScanInput.TYPE.createSerializer(new SerializerConfigImpl());
        assertNotSame(scan, ScanInput.TYPE.createSerializer(new SerializerConfigImpl()));
        assertEquals(scan, scan.duplicate());
        assertInstanceOf(ScanInput.Serializer.class, scan.snapshotConfiguration().restoreSerializer());
        TypeSerializer<ToxicityInput> toxicity = ToxicityInput.TYPE.createSerializer(new SerializerConfigImpl());
        assertInstanceOf(ToxicityInput.Serializer.class, toxicity.snapshotConfiguration().restoreSerializer());
    }
}
