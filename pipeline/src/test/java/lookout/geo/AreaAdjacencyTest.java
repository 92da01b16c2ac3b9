package lookout.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import lookout.testing.SharedData;

/** Areas are neighbours when they share a stretch of border, not only a corner. */
class AreaAdjacencyTest {
    /** A and B share the edge x = 1; C sits on top of B (edge y = 1) and meets A only at the corner (1, 1). */
    private static final AreaIndex SQUARES = AreaIndex.fromGeoJson("""
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"id":"A"},
              "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
             {"type":"Feature","properties":{"id":"B"},
              "geometry":{"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}},
             {"type":"Feature","properties":{"id":"C"},
              "geometry":{"type":"Polygon","coordinates":[[[1,1],[2,1],[2,2],[1,2],[1,1]]]}}]}""", "squares");

    @Test
    void aSharedEdgeMakesNeighboursACornerDoesNot() {
        assertEquals(Map.of("A", Set.of("B"), "B", Set.of("A", "C"), "C", Set.of("B")), AreaAdjacency.of(SQUARES));
        assertEquals(Set.of("B", "C"), SQUARES.neighbours(1e-5).get("A"), "the older rule counts the corner");
    }

    @Test
    void torontosAreasBorderEachOtherSymmetricallyWithoutCorners() {
        Map<String, Set<String>> toronto = AreaAdjacency.of(AreaIndex.fromGeoJson(SharedData.torontoBoundaries()));
        assertEquals(158, toronto.size());
        int pairs = 0;
        for (Map.Entry<String, Set<String>> e : toronto.entrySet()) {
            assertFalse(e.getValue().contains(e.getKey()), e.getKey() + " is not its own neighbour");
            assertTrue(e.getValue().size() >= 2 && e.getValue().size() <= 9, e.getKey() + " has 2 to 9 neighbours");
            for (String n : e.getValue()) {
                assertTrue(toronto.get(n).contains(e.getKey()), n + " borders " + e.getKey() + " back");
            }
            pairs += e.getValue().size();
        }
        assertEquals(796, pairs, "398 shared borders, both directions");
        assertEquals(Set.of("070", "071", "072", "166", "168"), toronto.get("073"), "Moss Park");
        assertEquals(Set.of("070", "071", "073"), toronto.get("072"), "Regent Park");
        assertFalse(toronto.get("073").contains("167"), "Moss Park meets Church-Wellesley only at a corner");
        assertFalse(toronto.get("170").contains("167"), "Yonge-Bay Corridor meets Church-Wellesley only at a corner");
    }
}
