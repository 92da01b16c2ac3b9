package lookout.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.algorithm.distance.DiscreteHausdorffDistance;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.operation.union.UnaryUnionOp;

import lookout.testing.SharedData;

/** The boundaries published for web maps: simplified together, rounded, small, and still fitting together. */
class WebShapesTest {
    /** A degree squared in square metres at Toronto's latitude (43.7°N): 111.3 km by 80.5 km. */
    private static final double M2_PER_DEGREE2 = 111_320.0 * 80_470.0;
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.(\\d+))?");

    /**
     * Two areas that share a border zigzagging 2 m either side of x = 0.005 every 10 m, and a third above them.
     * Each keeps many vertices of its own too (its outer sides are wiggly).
     */
    private static AreaIndex zigzagCity() {
        List<double[]> border = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            border.add(new double[] {0.005 + (i % 2 == 0 ? 2e-5 : -2e-5), i * 1e-4});
        }
        StringBuilder west = new StringBuilder("[[0,0]");
        border.forEach(p -> west.append(",[").append(p[0]).append(',').append(p[1]).append(']'));
        west.append(",[0,0.01],[0,0]]");
        StringBuilder east = new StringBuilder("[[0.01,0],[0.01,0.01]");
        for (int i = border.size() - 1; i >= 0; i--) {
            east.append(",[").append(border.get(i)[0]).append(',').append(border.get(i)[1]).append(']');
        }
        east.append(",[0.01,0]]");
        return AreaIndex.fromGeoJson(collection(Map.of(
                "W", "{\"type\":\"Polygon\",\"coordinates\":[" + west + "]}",
                "E", "{\"type\":\"Polygon\",\"coordinates\":[" + east + "]}",
                "N", "{\"type\":\"Polygon\",\"coordinates\":[[[0,0.01],[0.01,0.01],[0.01,0.0123456789],[0,0.0123456789],[0,0.01]]]}")),
                "zigzag city");
    }

    private static String collection(Map<String, String> geometries) {
        StringBuilder out = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[");
        geometries.keySet().stream().sorted().forEach(id -> out.append(out.charAt(out.length() - 1) == '[' ? "" : ",")
                .append("{\"type\":\"Feature\",\"properties\":{\"area_id\":\"").append(id).append("\",\"name\":\"")
                .append(id).append("\"},\"geometry\":").append(geometries.get(id)).append('}'));
        return out.append("]}").toString();
    }

    /** The shapes read back as areas: the boundary reader refuses an invalid polygon, so this also checks validity. */
    private static AreaIndex readBack(Map<String, String> shapes) {
        return AreaIndex.fromGeoJson(collection(shapes), "web shapes");
    }

    @Test
    void aSharedBorderIsSimplifiedOnceSoBothSidesKeepTheSameVertices() {
        AreaIndex city = zigzagCity();
        Map<String, String> shapes = WebShapes.of(city);
        AreaIndex web = readBack(shapes);
        Geometry w = web.geometry("W");
        Geometry e = web.geometry("E");
        Set<Coordinate> westBorder = border(w);
        assertEquals(westBorder, border(e), "the same border vertices on both sides");
        assertTrue(westBorder.size() < 20, "the 2 m zigzag is smoothed away: " + westBorder.size() + " vertices left of 101");
        assertEquals(0.0, w.intersection(e).getArea(), "no overlap");
        assertEquals(0.0, overlapAndGaps(web)[1], "no gap");
        assertEquals(city.geometry("W").getArea() + city.geometry("E").getArea(), w.getArea() + e.getArea(), 1e-9,
                "the two areas together cover what they covered");
    }

    private static Set<Coordinate> border(Geometry g) {
        return Arrays.stream(g.getCoordinates()).filter(c -> c.x > 0.004 && c.x < 0.006).collect(Collectors.toSet());
    }

    @Test
    void coordinatesAreRoundedToFiveDecimals() {
        Map<String, String> shapes = WebShapes.of(zigzagCity());
        assertEquals("{\"type\":\"Polygon\",\"coordinates\":[[[0,0.01],[0.01,0.01],[0.01,0.01235],[0,0.01235],[0,0.01]]]}",
                shapes.get("N"));
        for (String shape : shapes.values()) {
            Matcher m = NUMBER.matcher(shape.replaceAll("[^-0-9.,]", " "));
            while (m.find()) {
                assertTrue(m.group(2) == null || m.group(2).length() <= WebShapes.DECIMALS, m.group());
            }
        }
    }

    /**
     * Toronto's 158 areas in about 200 KB (under 50 KB gzipped) instead of 2.1 MB, and the neighbours still fit:
     * the overlaps and gaps left are the boundary file's own misaligned borders moved by the rounding (under a
     * thousand square metres in a city of 630 km²); simplifying each area on its own opens about 260,000.
     */
    @Test
    void torontoWeighsTensOfKilobytesAndItsNeighboursStillFit() throws Exception {
        AreaIndex toronto = AreaIndex.fromGeoJson(SharedData.torontoBoundaries());
        Map<String, String> shapes = WebShapes.of(toronto);
        assertEquals(List.copyOf(toronto.names().keySet()), List.copyOf(shapes.keySet()));
        String all = String.join(",", shapes.values());
        int raw = all.getBytes(StandardCharsets.UTF_8).length;
        int gzipped = gzipped(all);
        System.out.printf("WebShapes: Toronto's %d areas in %d bytes, %d gzipped%n", shapes.size(), raw, gzipped);
        assertTrue(raw < 250_000, raw + " bytes");
        assertTrue(gzipped < 50_000, gzipped + " bytes gzipped");
        AreaIndex web = readBack(shapes);
        double[] overlapAndGaps = overlapAndGaps(web);
        assertTrue(overlapAndGaps[0] * M2_PER_DEGREE2 < 1_000, overlapAndGaps[0] * M2_PER_DEGREE2 + " m² of overlap");
        assertTrue(overlapAndGaps[1] * M2_PER_DEGREE2 < 1_500, overlapAndGaps[1] * M2_PER_DEGREE2 + " m² of gaps");
        double sum = 0;
        double most = 0;
        for (Area a : toronto.areas()) {
            // Degrees of latitude to metres; a degree of longitude is shorter here, so this overstates.
            double metres = DiscreteHausdorffDistance.distance(toronto.geometry(a.id()), web.geometry(a.id()), 0.25) * 111_320;
            sum += metres;
            most = Math.max(most, metres);
        }
        System.out.printf("WebShapes: a boundary moves %.0f m on average, %.0f m at most%n", sum / shapes.size(), most);
        assertTrue(sum / shapes.size() < 15, "about 10 m on average: " + sum / shapes.size());
        assertTrue(most < 100, "under 100 m everywhere: " + most);
    }

    /** In square degrees: the areas' pairwise overlaps, and the holes in their union (gaps between them). */
    private static double[] overlapAndGaps(AreaIndex index) {
        List<Geometry> geometries = index.areas().stream().map(a -> index.geometry(a.id())).toList();
        STRtree tree = new STRtree();
        for (int i = 0; i < geometries.size(); i++) {
            tree.insert(geometries.get(i).getEnvelopeInternal(), i);
        }
        double overlap = 0;
        for (int i = 0; i < geometries.size(); i++) {
            for (Object o : tree.query(geometries.get(i).getEnvelopeInternal())) {
                int j = (Integer) o;
                if (j > i) {
                    overlap += geometries.get(i).intersection(geometries.get(j)).getArea();
                }
            }
        }
        Geometry union = UnaryUnionOp.union(geometries);
        double gaps = 0;
        for (int i = 0; i < union.getNumGeometries(); i++) {
            Polygon p = (Polygon) union.getGeometryN(i);
            for (int h = 0; h < p.getNumInteriorRing(); h++) {
                gaps += p.getFactory().createPolygon(p.getInteriorRingN(h).getCoordinates()).getArea();
            }
        }
        return new double[] {overlap, gaps};
    }

    private static int gzipped(String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.size();
    }
}
