package lookout.detect;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

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
 */
public final class DetectionKeys {
    /** The key of the operators that see the whole city on one key. */
    public static final byte CITY = 0;
    private static final int SIGNAL_BITS = 3;
    private static final long SIGNAL_MASK = (1L << SIGNAL_BITS) - 1;
    private static final Signal[] SIGNALS = Signal.values();

    static {
        if (SIGNALS.length > SIGNAL_MASK + 1) {
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
        return SIGNALS[(int) (key & SIGNAL_MASK)];
    }

    public static byte signal(Signal signal) {
        return (byte) signal.ordinal();
    }

    /** The key of a signal by its code; an unknown code is refused (the ingest makes none). */
    public static byte signal(String code) {
        for (Signal s : SIGNALS) {
            if (s.is(code)) {
                return (byte) s.ordinal();
            }
        }
        throw new IllegalArgumentException("not a signal: " + code);
    }

    /** The signal of a signal's key. */
    public static Signal signalOf(int key) {
        return SIGNALS[key];
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
