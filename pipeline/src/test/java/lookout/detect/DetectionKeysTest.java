package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
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
    void aBackfillKeysAnAreaByItsPlaceInTheCityInTwoBytes() throws Exception {
        DetectionKeys.Scheme keys = DetectionKeys.Scheme.of(true, List.of("b", "c", "a"));
        assertEquals(List.of(0L, 8L, 16L), List.of(keys.area("a"), keys.area("b"), keys.area("c")),
                "places in id order, the signal's bits left free");
        long key = keys.areaSignal("b", Signal.NALOXONE);
        assertEquals(8L | Signal.NALOXONE.ordinal(), key);
        assertEquals(Signal.NALOXONE, DetectionKeys.signalOfAreaSignal(key));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> keys.area("d"));
        assertEquals("area \"d\" is not one of the city's areas", e.getMessage());

        TypeSerializer<Long> serializer = keys.type().createSerializer(new SerializerConfigImpl());
        assertEquals(2, serializer.getLength());
        DataOutputSerializer out = new DataOutputSerializer(4);
        long highest = ((long) DetectionKeys.Scheme.MAX_INDEXED_AREAS << 3) - 1;
        serializer.serialize(highest, out);
        assertEquals(2, out.length());
        assertEquals(highest, serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
    }

    @Test
    void aJobThatMayRestoreAndABackfillOfAVeryLargeCityKeyByHash() {
        List<String> large = new ArrayList<>();
        for (int i = 0; i <= DetectionKeys.Scheme.MAX_INDEXED_AREAS; i++) {
            large.add(Integer.toString(i));
        }
        for (DetectionKeys.Scheme keys : List.of(DetectionKeys.Scheme.of(false, List.of("77")),
                DetectionKeys.Scheme.of(true, large), DetectionKeys.Scheme.hashed())) {
            assertEquals(DetectionKeys.area("77"), keys.area("77"));
            assertEquals(DetectionKeys.areaSignal("77", Signal.CORONER), keys.areaSignal("77", Signal.CORONER));
            assertEquals(Types.LONG, keys.type());
        }
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
