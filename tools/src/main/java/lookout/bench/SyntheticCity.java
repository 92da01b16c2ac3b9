package lookout.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.locationtech.jts.densify.Densifier;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.triangulate.VoronoiDiagramBuilder;

/**
 * A city of any number of areas for scaling figures: seeded Voronoi cells over Toronto's bounding box, their
 * edges split into about {@value #VERTICES_PER_AREA} pieces (real neighbourhood outlines are far from six-sided, and
 * lookup cost depends on vertex counts).
 */
public final class SyntheticCity {
    static final int VERTICES_PER_AREA = 40;
    static final Envelope BOX = new Envelope(-79.64, -79.11, 43.58, 43.86);

    private SyntheticCity() {}

    public static String geoJson(int areas, long seed) {
        GeometryFactory factory = new GeometryFactory();
        SplittableRandom random = new SplittableRandom(seed);
        List<Coordinate> sites = new ArrayList<>(areas);
        for (int i = 0; i < areas; i++) {
            sites.add(new Coordinate(BOX.getMinX() + random.nextDouble() * BOX.getWidth(),
                    BOX.getMinY() + random.nextDouble() * BOX.getHeight()));
        }
        VoronoiDiagramBuilder builder = new VoronoiDiagramBuilder();
        builder.setSites(sites);
        builder.setClipEnvelope(BOX);
        Geometry diagram = builder.getDiagram(factory);
        Geometry box = factory.toGeometry(BOX);
        // One length for every cell, so a border two cells share gets the same vertices in both: a length of each
        // cell's own put different vertices on the two sides, and rounded they left a sliver of overlap along nearly
        // every border. A cell's perimeter is about 4 times the root of the mean area (a regular hexagon's 3.72), so
        // this splits it into about VERTICES_PER_AREA pieces; with its corners a cell has about 44 vertices.
        double segment = 4.0 * Math.sqrt(BOX.getArea() / areas) / VERTICES_PER_AREA;
        StringBuilder json = new StringBuilder(areas * VERTICES_PER_AREA * 26);
        json.append("{\"type\":\"FeatureCollection\",\"features\":[");
        int written = 0;
        for (int i = 0; i < diagram.getNumGeometries(); i++) {
            Geometry cell = diagram.getGeometryN(i).intersection(box);
            if (!(cell instanceof Polygon polygon) || polygon.isEmpty()) {
                continue;
            }
            Geometry dense = Densifier.densify(polygon, segment);
            written++;
            json.append(written > 1 ? "," : "").append("{\"type\":\"Feature\",\"properties\":{\"area_id\":\"")
                    .append(areaId(written)).append("\",\"name\":\"Synthetic area ").append(written)
                    .append("\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[");
            Coordinate[] ring = ((Polygon) dense).getExteriorRing().getCoordinates();
            for (int k = 0; k < ring.length; k++) {
                json.append(k > 0 ? "," : "").append(String.format(Locale.ROOT, "[%.6f,%.6f]", ring[k].x, ring[k].y));
            }
            json.append("]]}}");
        }
        json.append("]}");
        return json.toString();
    }

    static String areaId(int number) {
        return String.format("S%05d", number);
    }
}
