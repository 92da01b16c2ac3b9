package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import lookout.geo.Area;
import lookout.geo.AreaIndex;
import lookout.kernel.Signal;
import lookout.testing.SharedData;

class DetectionKeysTest {
    @Test
    void anAreasKeyIsFixedAcrossRunsAndVersionsSoRestoredStateStaysWithItsArea() {
        assertEquals(9_035_232_461_541_207_456L, DetectionKeys.area("77"));
        assertEquals(-1_350_506_342_402_138_224L, DetectionKeys.area("158"));
    }

    @Test
    void anAreaAndSignalKeyGivesItsSignalBackAndDiffersFromTheAreasOtherSignals() {
        Set<Long> keys = new HashSet<>();
        for (Signal s : Signal.values()) {
            long key = DetectionKeys.areaSignal("77", s);
            assertEquals(s, DetectionKeys.signalOfAreaSignal(key));
            assertEquals(DetectionKeys.area("77"), key & ~7L, "the area's key with the signal in its low bits");
            keys.add(key);
        }
        assertEquals(Signal.values().length, keys.size());
    }

    @Test
    void aSignalsKeyIsItsOrdinalAndGivesItBack() {
        for (Signal s : Signal.values()) {
            assertEquals(s.ordinal(), DetectionKeys.signal(s.code()));
            assertEquals(s, DetectionKeys.signalOf(DetectionKeys.signal(s)));
        }
        assertThrows(IllegalArgumentException.class, () -> DetectionKeys.signal("ambulance"));
    }

    @Test
    void torontosAreasHaveDistinctKeys() {
        List<String> ids = AreaIndex.fromGeoJson(SharedData.torontoBoundaries()).areas().stream().map(Area::id)
                .toList();
        assertEquals(158, ids.size());
        DetectionKeys.requireDistinct(ids);
        assertEquals(158, ids.stream().map(DetectionKeys::area).distinct().count());
    }

    @Test
    void twoHundredThousandNumberedAreasHaveDistinctKeys() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            ids.add(Integer.toString(i));
        }
        DetectionKeys.requireDistinct(ids);
    }

    @Test
    void aCityTwoOfWhoseAreasShareAKeyIsRefusedByName() {
        // Two ids that hash alike, found by a cycle search (Brent's) over the 61-bit keys.
        String one = "a1xe6g2hakaue";
        String two = "abvbns2aq6raz";
        assertEquals(DetectionKeys.area(one), DetectionKeys.area(two));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DetectionKeys.requireDistinct(List.of("1", one, "2", two)));
        assertEquals("areas \"" + one + "\" and \"" + two + "\" have the same detection key: rename one of them",
                e.getMessage());
        DetectionKeys.requireDistinct(List.of(one, one));
    }
}
