package lookout.geo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AreaIndexTest {
    /** Positions are [lon, lat]. */
    private static final String WEST = """
            {"type":"Feature","properties":{"area_id":"W","name":"West Square"},
             "geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}""";
    private static final String EAST = """
            {"type":"Feature","properties":{"AREA_SHORT_CODE":"005","AREA_NAME":"East Square"},
             "geometry":{"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}}""";
    /** lon 0..2, lat 2..4 with a lake at lon 0.5..1.5, lat 2.5..3.5 that belongs to no area. */
    private static final String RING = """
            {"type":"Feature","properties":{"id":7,"name":"Lakeside"},
             "geometry":{"type":"Polygon","coordinates":[[[0,2],[2,2],[2,4],[0,4],[0,2]],
                                                        [[0.5,2.5],[0.5,3.5],[1.5,3.5],[1.5,2.5],[0.5,2.5]]]}}""";
    /** Two squares at lon 3..4: lat 0..1 and lat 3..4. */
    private static final String ISLANDS = """
            {"type":"Feature","properties":{"id":"isl"},
             "geometry":{"type":"MultiPolygon","coordinates":[[[[3,0],[4,0],[4,1],[3,1],[3,0]]],
                                                              [[[3,3],[4,3],[4,4],[3,4],[3,3]]]]}}""";

    private static String collection(String... features) {
        return "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}";
    }

    private static final AreaIndex INDEX = AreaIndex.fromGeoJson(collection(WEST, EAST, RING, ISLANDS), "test");

    @Test
    void readsIdsAndNamesInFileOrder() {
        assertEquals(List.of(new Area("W", "West Square"), new Area("005", "East Square"),
                new Area("7", "Lakeside"), new Area("isl", "isl")), INDEX.areas());
        assertEquals(4, INDEX.size());
        assertTrue(INDEX.isKnown("005"));
        assertTrue(INDEX.isKnown("7"));
        assertFalse(INDEX.isKnown("5"));
        assertFalse(INDEX.isKnown("West Square"));
    }

    @Test
    void neighboursShareABorderOrComeWithinTheTolerance() {
        assertEquals(java.util.Map.of("W", java.util.Set.of("005"), "005", java.util.Set.of("W"),
                "7", java.util.Set.of(), "isl", java.util.Set.of()), INDEX.neighbours(1e-9));
        assertEquals(java.util.Set.of("W", "005", "isl"), INDEX.neighbours(1.0).get("7"), "each exactly one degree from the lake ring");
    }

    @Test
    void findsTheAreaContainingAPoint() {
        assertEquals("W", INDEX.areaAt(0.5, 0.5));
        assertEquals("005", INDEX.areaAt(0.5, 1.5));
        assertEquals("7", INDEX.areaAt(2.25, 1.0));
        assertEquals("7", INDEX.areaAt(3.75, 0.25));
    }

    @Test
    void latitudeAndLongitudeAreNotSwapped() {
        // Each of these points, read as (lon, lat), would fall in the lake or in no area at all.
        assertEquals("isl", INDEX.areaAt(0.5, 3.5));
        assertEquals("005", INDEX.areaAt(0.5, 1.5));
    }

    @Test
    void aHoleBelongsToNoArea() {
        assertNull(INDEX.areaAt(3.0, 1.0));
        assertNull(INDEX.areaAt(2.6, 0.6));
    }

    @Test
    void theEdgeOfAHoleBelongsToTheAreaAroundIt() {
        assertEquals("7", INDEX.areaAt(2.5, 1.0));
    }

    @Test
    void everyPartOfAMultiPolygonResolvesToItsArea() {
        assertEquals("isl", INDEX.areaAt(0.5, 3.5));
        assertEquals("isl", INDEX.areaAt(3.5, 3.5));
        assertNull(INDEX.areaAt(2.0, 3.5));
    }

    @Test
    void aSharedBorderGoesToTheAreaListedFirst() {
        assertEquals("W", INDEX.areaAt(0.5, 1.0));
        assertEquals("W", INDEX.areaAt(0.0, 1.0));
        assertEquals("W", INDEX.areaAt(1.0, 1.0));
        AreaIndex swapped = AreaIndex.fromGeoJson(collection(EAST, WEST), "swapped");
        assertEquals("005", swapped.areaAt(0.5, 1.0));
        assertEquals("005", swapped.areaAt(1.0, 1.0));
    }

    /**
     * Two areas at 1,024 cells each make a 46 × 46 grid over lon 0..2, lat 0..1, so the shared border lon 1 is the
     * line between columns 22 and 23. A cell answers alone when its rectangle, grown by a sliver, lies inside one
     * square: not the outer ring of cells, whose rectangles reach past the squares, nor the two columns beside the
     * border, which reach across it. That leaves columns 1..21 and 24..44 in rows 1..44: 42 × 44 cells.
     */
    @Test
    void cellsWhollyInsideOneAreaAnswerWithoutAPolygonTest() {
        AreaIndex squares = AreaIndex.fromGeoJson(collection(WEST, EAST), "squares");
        int whole = 0;
        for (int c = 0; c < 46; c++) {
            for (int r = 0; r < 46; r++) {
                double lon = (c + 0.5) * 2 / 46;
                double lat = (r + 0.5) / 46;
                whole += squares.inWholeCell(lat, lon) ? 1 : 0;
                assertEquals(lon < 1 ? "W" : "005", squares.areaAt(lat, lon), "lat " + lat + " lon " + lon);
            }
        }
        assertEquals(42 * 44, whole);
        assertTrue(squares.inWholeCell(0.5, 0.5));
        assertTrue(squares.inWholeCell(0.5, 1.5));
        assertFalse(squares.inWholeCell(0.5, 1.0), "on the shared border");
        assertFalse(squares.inWholeCell(0.5, 1.0 - 1e-9), "beside the shared border");
        assertFalse(squares.inWholeCell(0.0, 0.5), "on an outer edge");
        assertFalse(squares.inWholeCell(50, 50), "outside every area");
        assertFalse(squares.inWholeCell(Double.NaN, 0.5));
    }

    @Test
    void outerEdgesAreInside() {
        assertEquals("W", INDEX.areaAt(0.0, 0.0));
        assertEquals("005", INDEX.areaAt(1.0, 2.0));
    }

    @Test
    void pointsOutsideEveryAreaHaveNone() {
        assertNull(INDEX.areaAt(1.5, 1.0));
        assertNull(INDEX.areaAt(-0.000001, 0.5));
        assertNull(INDEX.areaAt(50, 50));
        assertNull(INDEX.areaAt(Double.NaN, 0.5));
        assertNull(INDEX.areaAt(0.5, Double.POSITIVE_INFINITY));
    }

    @Test
    void sampledPointsLieInTheirAreaAndAvoidItsHole() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 2000; i++) {
            double[] p = INDEX.pointIn("7", random);
            double lat = p[0];
            double lon = p[1];
            assertTrue(lat >= 2 && lat <= 4 && lon >= 0 && lon <= 2, "in the square");
            assertFalse(lat > 2.5 && lat < 3.5 && lon > 0.5 && lon < 1.5, "not in the lake");
            assertEquals("7", INDEX.areaAt(lat, lon));
        }
    }

    @Test
    void samplingCoversEveryPartOfAMultiPolygonByArea() {
        SplittableRandom random = new SplittableRandom(5);
        int south = 0;
        for (int i = 0; i < 2000; i++) {
            double[] p = INDEX.pointIn("isl", random);
            assertEquals("isl", INDEX.areaAt(p[0], p[1]));
            if (p[0] <= 1) {
                south++;
            }
        }
        // Equal parts: a fair split of 2000 lies within 900..1100 (4.5 standard deviations).
        assertTrue(south > 900 && south < 1100, "south part got " + south);
    }

    @Test
    void samplingIsDeterministicForASeed() {
        double[] first = INDEX.pointIn("W", new SplittableRandom(42));
        double[] again = INDEX.pointIn("W", new SplittableRandom(42));
        assertArrayEquals(first, again);
        assertEquals(2, first.length);
    }

    @Test
    void samplingAnUnknownAreaIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> INDEX.pointIn("nowhere", new SplittableRandom(1)));
        assertEquals("unknown area id \"nowhere\"", e.getMessage());
    }

    @Test
    void readsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("areas.geojson");
        Files.writeString(file, collection(WEST, EAST));
        AreaIndex index = AreaIndex.fromGeoJson(file);
        assertEquals(List.of(new Area("W", "West Square"), new Area("005", "East Square")), index.areas());
        assertEquals("005", index.areaAt(0.5, 1.5));
    }
}
