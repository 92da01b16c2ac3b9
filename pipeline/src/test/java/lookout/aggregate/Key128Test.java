package lookout.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import lookout.schema.Hash128;

class Key128Test {
    private static Hash128 hash(String hex) {
        return new Hash128(HexFormat.of().parseHex(hex));
    }

    @Test
    void aHashIsItsOwn128BitsFirstByteHighest() {
        assertEquals(Tuple2.of(0x0123456789abcdefL, 0xfedcba9876543210L), Key128.of(hash("0123456789abcdeffedcba9876543210")));
        assertEquals(Tuple2.of(-1L, 0L), Key128.of(hash("ffffffffffffffff0000000000000000")));
    }

    @Test
    void flinkWritesItInSixteenBytesWithItsOwnSerializer() throws Exception {
        SerializerConfigImpl noKryo = new SerializerConfigImpl();
        noKryo.setGenericTypes(false);
        TypeSerializer<Tuple2<Long, Long>> serializer = Key128.TYPE.createSerializer(noKryo);
        DataOutputSerializer out = new DataOutputSerializer(32);
        serializer.serialize(Key128.of(hash("0123456789abcdeffedcba9876543210")), out);
        assertArrayEquals(new byte[] {1, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xab, (byte) 0xcd, (byte) 0xef,
                (byte) 0xfe, (byte) 0xdc, (byte) 0xba, (byte) 0x98, 0x76, 0x54, 0x32, 0x10}, out.getCopyOfBuffer());
    }
}
