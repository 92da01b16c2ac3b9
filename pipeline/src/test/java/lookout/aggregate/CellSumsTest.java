package lookout.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CellSumsTest {
    @Test
    void cellsKeepTheOrderFirstAddedAndTheirSumsThroughGrowthAndClearing() {
        CellSums sums = new CellSums();
        int cells = 100_000;
        for (int round = 1; round <= 3; round++) {
            for (int i = 0; i < cells; i++) {
                // Cells an hour apart that differ in one half only: the worst case for a weak hash.
                sums.add(i % 7, 3_600L * (i / 7), round == 2 ? 10 : i);
            }
        }
        assertEquals(cells, sums.size(), "each cell once, however many times added");
        for (int i = 0; i < cells; i++) {
            assertEquals(i % 7, sums.hi(i), "cell " + i);
            assertEquals(3_600L * (i / 7), sums.lo(i), "cell " + i);
            assertEquals(2L * i + 10, sums.sum(i), "cell " + i);
        }
        sums.clear();
        assertEquals(0, sums.size());
        sums.add(6, 0, 5);
        sums.add(0, 0, -2);
        sums.add(6, 0, 1);
        assertEquals(2, sums.size(), "a cleared table starts again from no cells");
        assertEquals(6, sums.sum(0));
        assertEquals(0, sums.hi(1));
        assertEquals(-2, sums.sum(1));
        sums.clear();
        for (int i = cells - 1; i >= 0; i--) {
            sums.add(1, i, i);
        }
        assertEquals(cells, sums.size());
        assertEquals(cells - 1, sums.lo(0), "after clearing, the order is the new round's");
        assertEquals(0, sums.lo(cells - 1));
        assertEquals(7, sums.sum(cells - 8));
    }

    @Test
    void theMarkOfAnEmptySlotIsNoCell() {
        assertThrows(IllegalArgumentException.class, () -> new CellSums().add(CellSums.EMPTY, 0, 1));
    }
}
