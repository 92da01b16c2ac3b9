package lookout.detect;

import java.io.IOException;
import java.io.Serializable;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import lookout.flink.SerializerTypeInfo;
import lookout.kernel.Signal;

/**
 * The detection operators' keys: numbers of a fixed length, so that a backfill, which sorts every keyed input by its
 * serialized key and then the record's time, compares bytes where it compared strings. Flink's sorter settles a
 * comparison on the first 8 bytes of key and time alone and otherwise reads both records back: the city's and the
 * signals' keys are one byte, so those 8 bytes hold the time to a quarter of a second and ties are rare (with 4-byte
 * keys, each key's records within 50 days all tied there). An area's key is a 64-bit hash of its id (low
 * bits left free for a signal): the same in every subtask, every run and every boundary file that keeps the id, so
 * restored state stays with its area even when areas are added or removed. The detectors never read an area back
 * from a key: they take it from their records or their state.
 *
 * <p>A backfill restores nothing, so its area-keyed operators take the area's place in the city's list instead
 * ({@link Scheme#of}): two bytes, beside which the sorter keeps the time to about a minute. With 8-byte keys every
 * comparison of two records of one area went back to the records, most of a 5 M backfill's sorting.
 */
public final class DetectionKeys {
    /** The key of the operators that see the whole city on one key. */
    public static final byte CITY = 0;
    private static final int SIGNAL_BITS = 3;
    private static final long SIGNAL_MASK = (1L << SIGNAL_BITS) - 1;

    static {
        if (Signal.values().length > SIGNAL_MASK + 1) {
            throw new IllegalStateException("an area-and-signal key has room for " + (SIGNAL_MASK + 1) + " signals");
        }
    }

    private DetectionKeys() {}

    /** The area's key: a 64-bit hash of its id (FNV-1a, then MurmurHash3's finaliser), its low bits zero. */
    public static long area(String areaId) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < areaId.length(); i++) {
            h = (h ^ areaId.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
        h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h & ~SIGNAL_MASK;
    }

    /** The key of one area's one signal: the area's key with the signal in its low bits. */
    public static long areaSignal(String areaId, Signal signal) {
        return area(areaId) | signal.ordinal();
    }

    /** The signal of an area-and-signal key. */
    public static Signal signalOfAreaSignal(long key) {
        return Signal.ofOrdinal((int) (key & SIGNAL_MASK));
    }

    public static byte signal(Signal signal) {
        return (byte) signal.ordinal();
    }

    /** The key of a signal by its code; an unknown code is refused (the ingest makes none). */
    public static byte signal(String code) {
        return signal(Signal.ofCode(code));
    }

    /** The signal of a signal's key. */
    public static Signal signalOf(int key) {
        return Signal.ofOrdinal(key);
    }

    /**
     * How the area-keyed operators of one job key their records: by the areas' hashes ({@link #area}) in a job that
     * may restore state, or by their places in the city's list in a backfill, whose keys must then be of the city.
     */
    public static final class Scheme implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Areas a two-byte key has room for, with the signal in its low bits. */
        static final int MAX_INDEXED_AREAS = 1 << (Short.SIZE - SIGNAL_BITS);
        private static final Scheme HASHED = new Scheme(null);

        /** Per area id, its place in the city's list, in id order; null for hashed keys. */
        private final Map<String, Integer> index;

        private Scheme(Map<String, Integer> index) {
            this.index = index;
        }

        /**
         * Hashed keys unless {@code backfill}; a backfill of a city of up to {@link #MAX_INDEXED_AREAS} areas
         * ({@code areas}, every area its records can name) keys by place.
         */
        public static Scheme of(boolean backfill, Collection<String> areas) {
            if (!backfill || areas.size() > MAX_INDEXED_AREAS) {
                return HASHED;
            }
            Map<String, Integer> index = new HashMap<>();
            for (String id : new TreeSet<>(areas)) {
                index.put(id, index.size());
            }
            return new Scheme(index);
        }

        /** The keys of a job that may restore state: {@link DetectionKeys#area}. */
        public static Scheme hashed() {
            return HASHED;
        }

        /** The area's key, its low bits zero. */
        public long area(String areaId) {
            if (index == null) {
                return DetectionKeys.area(areaId);
            }
            Integer at = index.get(areaId);
            if (at == null) {
                throw new IllegalArgumentException("area \"" + areaId + "\" is not one of the city's areas");
            }
            return (long) at << SIGNAL_BITS;
        }

        /** The key of one area's one signal: the area's key with the signal in its low bits. */
        public long areaSignal(String areaId, Signal signal) {
            return area(areaId) | signal.ordinal();
        }

        /** The keys' type: eight bytes for hashes, two for places. */
        public TypeInformation<Long> type() {
            return index == null ? Types.LONG : TWO_BYTES;
        }
    }

    private static final TypeInformation<Long> TWO_BYTES = new SerializerTypeInfo<>(Long.class,
            TwoByteKeySerializer.INSTANCE);

    /** A key below 2^16 in two bytes, big-endian: keys sort as their numbers do. */
    public static final class TwoByteKeySerializer extends TypeSerializerSingleton<Long> {
        private static final long serialVersionUID = 1L;
        static final TwoByteKeySerializer INSTANCE = new TwoByteKeySerializer();

        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public Long createInstance() {
            return 0L;
        }

        @Override
        public Long copy(Long from) {
            return from;
        }

        @Override
        public Long copy(Long from, Long reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return Short.BYTES;
        }

        @Override
        public void serialize(Long key, DataOutputView target) throws IOException {
            target.writeShort(key.intValue());
        }

        @Override
        public Long deserialize(DataInputView source) throws IOException {
            return (long) source.readUnsignedShort();
        }

        @Override
        public Long deserialize(Long reuse, DataInputView source) throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            target.writeShort(source.readUnsignedShort());
        }

        @Override
        public TypeSerializerSnapshot<Long> snapshotConfiguration() {
            return new Snapshot();
        }

        /** The serializer has no configuration. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<Long> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }

    /**
     * Refuses a city two of whose areas would share a key, and so their detectors' state: with 64-bit hashes a
     * chance of about n²/2⁶² for n areas, checked rather than assumed.
     */
    public static void requireDistinct(Collection<String> areaIds) {
        Map<Long, String> byKey = new HashMap<>();
        for (String id : areaIds) {
            String other = byKey.putIfAbsent(area(id), id);
            if (other != null && !other.equals(id)) {
                throw new IllegalArgumentException("areas \"" + other + "\" and \"" + id
                        + "\" have the same detection key: rename one of them");
            }
        }
    }
}
