package lookout.aggregate;

import java.util.Arrays;

/**
 * A sum per cell, a cell being a pair of longs, kept in the order the cells were first added. An open-addressing
 * table of primitives: adding to a cell allocates nothing and hashes no object.
 */
final class CellSums {
    private static final int FIRST_CAPACITY = 64;

    private long[] his = new long[FIRST_CAPACITY];
    private long[] los = new long[FIRST_CAPACITY];
    private long[] sums = new long[FIRST_CAPACITY];
    /** Per slot, one more than the index of the cell in it, or 0 when empty; never more than half full. */
    private int[] slots = new int[2 * FIRST_CAPACITY];
    private int size;

    /** Adds {@code delta} to the sum of cell ({@code hi}, {@code lo}), which starts at 0. */
    void add(long hi, long lo, long delta) {
        if (size == his.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int slot = hash(hi, lo) & mask; ; slot = (slot + 1) & mask) {
            int entry = slots[slot];
            if (entry == 0) {
                his[size] = hi;
                los[size] = lo;
                sums[size] = delta;
                slots[slot] = ++size;
                return;
            }
            if (his[entry - 1] == hi && los[entry - 1] == lo) {
                sums[entry - 1] += delta;
                return;
            }
        }
    }

    /** The cells held; cell {@code i} is the {@code i}-th first added. */
    int size() {
        return size;
    }

    long hi(int i) {
        return his[i];
    }

    long lo(int i) {
        return los[i];
    }

    long sum(int i) {
        return sums[i];
    }

    /** Forgets every cell; the capacity stays for the next round. */
    void clear() {
        size = 0;
        Arrays.fill(slots, 0);
    }

    private void grow() {
        int capacity = 2 * his.length;
        his = Arrays.copyOf(his, capacity);
        los = Arrays.copyOf(los, capacity);
        sums = Arrays.copyOf(sums, capacity);
        slots = new int[2 * capacity];
        int mask = slots.length - 1;
        for (int i = 0; i < size; i++) {
            int slot = hash(his[i], los[i]) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = i + 1;
        }
    }

    /** Mixes both halves into every bit (MurmurHash3's finaliser), so cells an hour apart spread over the slots. */
    private static int hash(long hi, long lo) {
        long h = hi * 0x9E3779B97F4A7C15L + lo;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
