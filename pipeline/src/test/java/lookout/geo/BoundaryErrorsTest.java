package lookout.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundaryErrorsTest {
    private static final String SQUARE = "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}";

    private static String feature(String properties, String geometry) {
        return "{\"type\":\"Feature\",\"properties\":" + properties + ",\"geometry\":" + geometry + "}";
    }

    private static String collection(String... features) {
        return "{\"type\":\"FeatureCollection\",\"features\":[" + String.join(",", features) + "]}";
    }

    private static String errorFor(String json) {
        return assertThrows(BoundaryException.class, () -> AreaIndex.fromGeoJson(json, "city.geojson")).getMessage();
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path file = dir.resolve("absent.geojson");
        BoundaryException e = assertThrows(BoundaryException.class, () -> AreaIndex.fromGeoJson(file));
        assertEquals("boundary file " + file + ": not found", e.getMessage());
    }

    @Test
    void fileThatIsNotJson(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.geojson");
        Files.writeString(file, "{\"type\": FeatureCollection}");
        BoundaryException e = assertThrows(BoundaryException.class, () -> AreaIndex.fromGeoJson(file));
        assertEquals("boundary file " + file + ": not valid JSON (line 1, column 28)", e.getMessage());
    }

    @Test
    void textThatIsNotJson() {
        assertEquals("boundary file city.geojson: not valid JSON (line 2, column 3)", errorFor("{\n  ]"));
    }

    @Test
    void emptyText() {
        assertEquals("boundary file city.geojson: not a GeoJSON FeatureCollection", errorFor(""));
    }

    @Test
    void notAFeatureCollection() {
        assertEquals("boundary file city.geojson: not a GeoJSON FeatureCollection",
                errorFor(feature("{\"id\":\"A\"}", SQUARE)));
        assertEquals("boundary file city.geojson: not a GeoJSON FeatureCollection", errorFor("[1,2]"));
    }

    @Test
    void noFeaturesArray() {
        assertEquals("boundary file city.geojson: FeatureCollection has no \"features\" array",
                errorFor("{\"type\":\"FeatureCollection\"}"));
    }

    @Test
    void noFeatures() {
        assertEquals("boundary file city.geojson: no features", errorFor(collection()));
    }

    @Test
    void featureWithoutId() {
        assertEquals("boundary file city.geojson, feature 1: no area id (expected property area_id, AREA_SHORT_CODE or id)",
                errorFor(collection(feature("{\"id\":\"A\"}", SQUARE), feature("{\"name\":\"Nameless\",\"id\":\"\"}", SQUARE))));
        assertEquals("boundary file city.geojson, feature 0: no area id (expected property area_id, AREA_SHORT_CODE or id)",
                errorFor(collection("{\"type\":\"Feature\",\"geometry\":" + SQUARE + "}")));
    }

    @Test
    void notAFeature() {
        assertEquals("boundary file city.geojson, feature 0: not a GeoJSON Feature", errorFor(collection(SQUARE)));
    }

    @Test
    void unsupportedGeometryType() {
        assertEquals("boundary file city.geojson, feature 1: unsupported geometry type Point (expected Polygon or MultiPolygon)",
                errorFor(collection(feature("{\"id\":\"A\"}", SQUARE),
                        feature("{\"id\":\"B\"}", "{\"type\":\"Point\",\"coordinates\":[0,0]}"))));
    }

    @Test
    void missingGeometry() {
        assertEquals("boundary file city.geojson, feature 0: no geometry",
                errorFor(collection(feature("{\"id\":\"A\"}", "null"))));
    }

    @Test
    void duplicateId() {
        assertEquals("boundary file city.geojson, feature 2: duplicate area id \"A\" (also feature 0)",
                errorFor(collection(feature("{\"id\":\"A\"}", SQUARE), feature("{\"id\":\"B\"}", SQUARE),
                        feature("{\"area_id\":\"A\"}", SQUARE))));
    }

    @Test
    void ringThatIsNotClosed() {
        assertEquals("boundary file city.geojson, feature 0: invalid Polygon coordinates",
                errorFor(collection(feature("{\"id\":\"A\"}",
                        "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0.5]]]}"))));
    }

    @Test
    void positionThatIsNotANumber() {
        assertEquals("boundary file city.geojson, feature 0: invalid MultiPolygon coordinates",
                errorFor(collection(feature("{\"id\":\"A\"}",
                        "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[0,0],[1,0],[1,\"north\"],[0,0]]]]}"))));
    }

    /** A city's file in its projected system (metres) would load, and every located record fall outside it. */
    @Test
    void aPositionOutsideLongitudeAndLatitudeIsRefusedNamingIt() {
        String notDegrees = " is not a longitude and latitude in degrees (lon -180 to 180, lat -90 to 90);"
                + " GeoJSON is in WGS 84, not in a projected system";
        assertEquals("boundary file city.geojson, feature 0: position [313000,4830000]" + notDegrees,
                errorFor(triangle("[313000,4830000],[314000,4830000],[314000,4831000]")));
        assertEquals("boundary file city.geojson, feature 0: position [0,-90.5]" + notDegrees,
                errorFor(triangle("[0,0],[1,0],[0,-90.5]")));
    }

    /** A number too large for a double is infinite: it used to fail the command with a NumberFormatException. */
    @Test
    void aPositionTooLargeForANumberIsRefusedNamingIt() {
        assertEquals("boundary file city.geojson, feature 0: a position holds a number too large to be a coordinate",
                errorFor(triangle("[0,0],[1e400,0],[1,1]")));
    }

    /** A collection of one feature, area A, whose ring is the three positions given and the first again. */
    private static String triangle(String positions) {
        String first = positions.substring(0, positions.indexOf(']') + 1);
        return collection(feature("{\"id\":\"A\"}",
                "{\"type\":\"Polygon\",\"coordinates\":[[" + positions + "," + first + "]]}"));
    }

    /** An area's name reaches emails, SMS and the XML of the CAP and Atom feeds, which cannot hold a NUL. */
    @Test
    void anAreaNameWithAControlCharacterIsRefused() {
        String refused = "boundary file city.geojson, feature 0: the area name holds a control character"
                + " (a line break, tab or NUL)";
        assertEquals(refused, errorFor(collection(feature("{\"id\":\"A\",\"name\":\"North\\u0000Park\"}", SQUARE))));
        assertEquals(refused, errorFor(collection(feature("{\"id\":\"A\",\"name\":\"Bay\\r\\nBcc: x\"}", SQUARE))));
    }

    /**
     * An id names the area's page and API paths and the areas of accounts, which take only these characters: an
     * area whose id held a slash or a space loaded, and no one could open its page.
     */
    @Test
    void anAreaIdThePagesAndAccountsCannotNameIsRefused() {
        String rule = " is not 1 to 64 letters, digits, '.', '_' or '-', at least one a letter or digit (ids name the"
                + " areas' pages and accounts): give each feature an area_id property of that form";
        assertEquals("boundary file city.geojson, feature 0: area id \"North/East\"" + rule,
                errorFor(collection(feature("{\"area_id\":\"North/East\"}", SQUARE))));
        assertEquals("boundary file city.geojson, feature 0: area id \"Ward 10\"" + rule,
                errorFor(collection(feature("{\"id\":\"Ward 10\"}", SQUARE))));
        assertEquals("boundary file city.geojson, feature 0: area id \"..\"" + rule,
                errorFor(collection(feature("{\"id\":\"..\"}", SQUARE))));
        assertEquals("boundary file city.geojson, feature 0: area id \"A\\u0009B\"" + rule,
                errorFor(collection(feature("{\"area_id\":\"A\\tB\"}", SQUARE))));
        assertEquals("boundary file city.geojson, feature 0: area id \"" + "x".repeat(80) + "...\"" + rule,
                errorFor(collection(feature("{\"area_id\":\"" + "x".repeat(85) + "\"}", SQUARE))));
    }

    /** A bow-tie ring: which side of it is "inside" is undefined, so the area's events would land anywhere. */
    @Test
    void selfIntersectingPolygonIsRefusedNamingTheFeatureAndWhere() {
        assertEquals("boundary file city.geojson, feature 1 (area B, Bowtie Park): not a valid polygon:"
                        + " Self-intersection at or near [0.5, 0.5] (lon, lat)",
                errorFor(collection(feature("{\"id\":\"A\"}", SQUARE),
                        feature("{\"id\":\"B\",\"name\":\"Bowtie Park\"}",
                                "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}"))));
    }

    @Test
    void multiPolygonWhosePartsOverlapIsRefused() {
        assertEquals("boundary file city.geojson, feature 0 (area A): not a valid polygon:"
                        + " Self-intersection at or near [1, 0.5] (lon, lat)",
                errorFor(collection(feature("{\"id\":\"A\"}", "{\"type\":\"MultiPolygon\",\"coordinates\":["
                        + "[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[[[0.5,0.5],[1.5,0.5],[1.5,1.5],[0.5,1.5],[0.5,0.5]]]]}"))));
    }

    @Test
    void holeOutsideItsShellIsRefused() {
        assertEquals("boundary file city.geojson, feature 0 (area A): not a valid polygon:"
                        + " Hole lies outside shell at or near [5, 5] (lon, lat)",
                errorFor(collection(feature("{\"id\":\"A\"}", "{\"type\":\"Polygon\",\"coordinates\":["
                        + "[[0,0],[1,0],[1,1],[0,1],[0,0]],[[5,5],[6,5],[6,6],[5,6],[5,5]]]}"))));
    }

    /** A rectangle polygon spanning lon {@code west} to {@code east} and lat 0 to {@code north}. */
    private static String box(double west, double east, double north) {
        return "{\"type\":\"Polygon\",\"coordinates\":[[[" + west + ",0],[" + east + ",0],[" + east + "," + north
                + "],[" + west + "," + north + "],[" + west + ",0]]]}";
    }

    /**
     * Two areas covering the same ground (one area listed twice under two ids, two neighbourhood sets of one city)
     * loaded, and every event there was counted in the one listed first without a word.
     */
    @Test
    void areasOverlappingByMoreThanASliverAreRefusedNamingBothAndTheShare() {
        String far = feature("{\"id\":\"F\",\"name\":\"Faraway\"}", box(10, 11, 1));
        String west = feature("{\"id\":\"W\",\"name\":\"West\"}", box(0, 2, 2));
        String east = feature("{\"id\":\"E\",\"name\":\"East\"}", box(1.5, 3.5, 2));
        assertEquals("boundary file city.geojson, feature 2 (area E, East): overlaps feature 1 (area W, West) by 25%"
                        + " of the smaller one's area, more than the 1% allowed: events there would all be counted in"
                        + " area W", errorFor(collection(far, west, east)));
        assertEquals("boundary file city.geojson, feature 1 (area A2): overlaps feature 0 (area A) by 100% of the"
                        + " smaller one's area, more than the 1% allowed: events there would all be counted in area A",
                errorFor(collection(feature("{\"id\":\"A\"}", SQUARE), feature("{\"id\":\"A2\"}", SQUARE))));
        assertEquals("boundary file city.geojson, feature 1 (area E): overlaps feature 0 (area W) by 2% of the smaller"
                        + " one's area, more than the 1% allowed: events there would all be counted in area W",
                errorFor(collection(feature("{\"id\":\"W\"}", box(0, 1, 1)),
                        feature("{\"id\":\"E\"}", box(0.98, 2, 1)))));
        assertTrue(errorFor(collection(feature("{\"id\":\"W\"}", box(0, 1, 1)),
                feature("{\"id\":\"E\"}", box(0.989996, 2, 1)))).contains("by 1.0004% of the smaller one's area"),
                "a share just over the limit, with the digits that tell it from 1%");
    }

    /** Real boundary files leave slivers where neighbours meet; those keep the rule that the first listed wins. */
    @Test
    void areasThatTouchOrOverlapByASliverLoad() {
        AreaIndex touching = AreaIndex.fromGeoJson(collection(feature("{\"id\":\"W\"}", box(0, 1, 1)),
                feature("{\"id\":\"E\"}", box(1, 2, 1)), feature("{\"id\":\"N\"}", "{\"type\":\"Polygon\","
                        + "\"coordinates\":[[[1,1],[2,1],[2,2],[1,2],[1,1]]]}")), "city.geojson");
        assertEquals(3, touching.size(), "a shared border and a shared corner are no overlap");
        String west = feature("{\"id\":\"W\"}", box(0, 1, 1));
        String east = feature("{\"id\":\"E\"}", box(0.995, 2, 1));
        AreaIndex sliver = AreaIndex.fromGeoJson(collection(west, east), "city.geojson");
        assertEquals("W", sliver.areaAt(0.5, 0.997), "0.5% of W's area lies in both: the first listed has it");
        assertEquals("E", AreaIndex.fromGeoJson(collection(east, west), "city.geojson").areaAt(0.5, 0.997));
    }
}
