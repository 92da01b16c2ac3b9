package lookout.aggregate;

import java.util.Arrays;

/**
 * A sum per cell, a cell being a pair of longs, kept in the order the cells were first added. An open-addressing
 * table of primitives in which a cell's key and sum lie side by side: adding to a cell allocates nothing, hashes no
 * object and reads one place in memory, which matters when the table is larger than the processor's caches.
 */
final class CellSums {
    /** The first half of no cell: marks an empty slot. */
    static final long EMPTY = -1L;
    private static final int FIRST_SLOTS = 128;
    /** Longs per slot: the cell's two halves, then its sum. */
    private static final int STRIDE = 3;

    /** Per slot, a cell and its sum, or {@link #EMPTY} first; at most half full, as {@link #order} is half as long. */
    private long[] table = emptyTable(FIRST_SLOTS);
    private int mask = FIRST_SLOTS - 1;
    /** The slots of the cells in the order they were first added. */
    private int[] order = new int[FIRST_SLOTS / 2];
    private int size;

    /** Adds {@code delta} to the sum of cell ({@code hi}, {@code lo}), which starts at 0; {@code hi} is not {@link #EMPTY}. */
    void add(long hi, long lo, long delta) {
        if (hi == EMPTY) {
            throw new IllegalArgumentException("no cell has " + EMPTY + " as its first half");
        }
        for (int slot = hash(hi, lo) & mask; ; slot = (slot + 1) & mask) {
            int at = slot * STRIDE;
            long stored = table[at];
            if (stored == hi && table[at + 1] == lo) {
                table[at + 2] += delta;
                return;
            }
            if (stored == EMPTY) {
                if (size == order.length) {
                    grow();
                    add(hi, lo, delta);
                    return;
                }
                table[at] = hi;
                table[at + 1] = lo;
                table[at + 2] = delta;
                order[size++] = slot;
                return;
            }
        }
    }

    /** The cells held; cell {@code i} is the {@code i}-th first added. */
    int size() {
        return size;
    }

    long hi(int i) {
        return table[order[i] * STRIDE];
    }

    long lo(int i) {
        return table[order[i] * STRIDE + 1];
    }

    long sum(int i) {
        return table[order[i] * STRIDE + 2];
    }

    /** Forgets every cell; the capacity stays for the next round. */
    void clear() {
        for (int i = 0; i < size; i++) {
            table[order[i] * STRIDE] = EMPTY;
        }
        size = 0;
    }

    /** Twice the slots, the cells placed again in the order they came. */
    private void grow() {
        long[] old = table;
        int slots = 2 * (mask + 1);
        table = emptyTable(slots);
        mask = slots - 1;
        order = Arrays.copyOf(order, slots / 2);
        for (int i = 0; i < size; i++) {
            int from = order[i] * STRIDE;
            int slot = hash(old[from], old[from + 1]) & mask;
            while (table[slot * STRIDE] != EMPTY) {
                slot = (slot + 1) & mask;
            }
            System.arraycopy(old, from, table, slot * STRIDE, STRIDE);
            order[i] = slot;
        }
    }

    private static long[] emptyTable(int slots) {
        long[] table = new long[slots * STRIDE];
        for (int slot = 0; slot < slots; slot++) {
            table[slot * STRIDE] = EMPTY;
        }
        return table;
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
