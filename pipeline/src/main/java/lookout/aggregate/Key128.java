package lookout.aggregate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;

import lookout.schema.Hash128;

/**
 * A 128-bit key as two longs, for the keyed operators that key by the ingest's keyed hashes (the dedupe key, the
 * pseudonym): Flink serializes it in a fixed 16 bytes with its own tuple serializer, and a backfill sorts and
 * shuffles those.
 */
public final class Key128 {
    /** Two longs, high bits first. */
    public static final TypeInformation<Tuple2<Long, Long>> TYPE = Types.TUPLE(Types.LONG, Types.LONG);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Key128() {}

    /** The hash's 128 bits, its first byte highest: keys sort as the hashes' bytes do. */
    public static Tuple2<Long, Long> of(Hash128 hash) {
        byte[] bytes = hash.bytes();
        return Tuple2.of((long) LONGS.get(bytes, 0), (long) LONGS.get(bytes, Long.BYTES));
    }
}
