package lookout.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import lookout.privacy.PseudonymKey;
import lookout.privacy.Pseudonymizer;

class Key128Test {
    @Test
    void anIngestHashIsItsOwn128Bits() {
        assertEquals(Tuple2.of(0x0123456789abcdefL, 0xfedcba9876543210L),
                Key128.of("0123456789abcdeffedcba9876543210"));
        String dedupe = new Pseudonymizer(PseudonymKey.ephemeral()).dedupeKey("paramedic", "e-1");
        Tuple2<Long, Long> key = Key128.of(dedupe);
        assertEquals(dedupe, "%016x%016x".formatted(key.f0, key.f1), "the key is the hash, nothing lost");
    }

    @Test
    void anyOtherStringIsDigestedSoEqualStringsAreEqualKeys() {
        assertEquals(Key128.of("person-a"), Key128.of("person-a"));
        assertNotEquals(Key128.of("person-a"), Key128.of("person-b"));
        assertNotEquals(Key128.of("0123456789ABCDEFFEDCBA9876543210"), Key128.of("0123456789abcdeffedcba9876543210"),
                "upper-case digits are another string, so another key");
    }

    @Test
    void flinkWritesItInSixteenBytesWithItsOwnSerializer() throws Exception {
        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        TypeSerializer<Tuple2<Long, Long>> serializer = Key128.TYPE.createSerializer(noKryo);
        DataOutputSerializer out = new DataOutputSerializer(32);
        serializer.serialize(Key128.of("0123456789abcdeffedcba9876543210"), out);
        assertArrayEquals(new byte[] {1, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xab, (byte) 0xcd, (byte) 0xef,
                (byte) 0xfe, (byte) 0xdc, (byte) 0xba, (byte) 0x98, 0x76, 0x54, 0x32, 0x10}, out.getCopyOfBuffer());
    }
}
