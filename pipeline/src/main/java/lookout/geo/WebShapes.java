package lookout.geo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.locationtech.jts.coverage.CoverageSimplifier;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.precision.GeometryPrecisionReducer;

/**
 * The areas' boundaries as a web map draws them: simplified as one coverage and rounded, so that Toronto's 158
 * areas weigh tens of kilobytes instead of two megabytes, and a border two areas share is still one line.
 * <p>
 * The areas are simplified together ({@link CoverageSimplifier}) rather than one by one: simplifying each polygon
 * on its own (with {@code TopologyPreservingSimplifier}) drops different vertices from each side of a shared
 * border, and on Toronto opened about 0.26 km² of overlaps and as much of gaps between neighbours. Coordinates are rounded to
 * {@link #DECIMALS} decimals (about a metre) first, so the simplifier keeps only rounded vertices.
 */
public final class WebShapes {
    /**
     * The simplifier's tolerance, in metres. It removes a vertex whose triangle with its neighbours is smaller
     * than the tolerance squared; on Toronto a boundary moves about 10 m on average (67 m at most), less than a
     * pixel at the zoom that shows the whole city.
     */
    static final double TOLERANCE_METRES = 20;
    /** Five decimals of a degree: about 1.1 m of latitude. */
    static final int DECIMALS = 5;
    private static final double METRES_PER_DEGREE = 111_320;

    private WebShapes() {}

    /** Each area's simplified boundary as a GeoJSON geometry (RFC 7946: [lon, lat]), by area id in file order. */
    public static Map<String, String> of(AreaIndex index) {
        List<Area> areas = index.areas();
        GeometryPrecisionReducer rounding = new GeometryPrecisionReducer(new PrecisionModel(Math.pow(10, DECIMALS)));
        rounding.setPointwise(true);
        Geometry[] rounded = areas.stream().map(a -> rounding.reduce(index.geometry(a.id()))).toArray(Geometry[]::new);
        Geometry[] simplified = CoverageSimplifier.simplify(rounded, TOLERANCE_METRES / METRES_PER_DEGREE);
        Map<String, String> shapes = new LinkedHashMap<>();
        for (int i = 0; i < areas.size(); i++) {
            shapes.put(areas.get(i).id(), geoJson(simplified[i]));
        }
        return shapes;
    }

    static String geoJson(Geometry geometry) {
        StringBuilder out = new StringBuilder();
        if (geometry instanceof Polygon p) {
            out.append("{\"type\":\"Polygon\",\"coordinates\":");
            polygon(p, out);
        } else {
            out.append("{\"type\":\"MultiPolygon\",\"coordinates\":[");
            for (int i = 0; i < geometry.getNumGeometries(); i++) {
                out.append(i == 0 ? "" : ",");
                polygon((Polygon) geometry.getGeometryN(i), out);
            }
            out.append(']');
        }
        return out.append('}').toString();
    }

    private static void polygon(Polygon p, StringBuilder out) {
        out.append('[');
        ring(p.getExteriorRing(), out);
        for (int i = 0; i < p.getNumInteriorRing(); i++) {
            out.append(',');
            ring(p.getInteriorRingN(i), out);
        }
        out.append(']');
    }

    private static void ring(LineString ring, StringBuilder out) {
        out.append('[');
        Coordinate[] cs = ring.getCoordinates();
        for (int i = 0; i < cs.length; i++) {
            out.append(i == 0 ? "[" : ",[").append(decimal(cs[i].x)).append(',').append(decimal(cs[i].y)).append(']');
        }
        out.append(']');
    }

    private static String decimal(double v) {
        return BigDecimal.valueOf(v).setScale(DECIMALS, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }
}
