package lookout.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;

import lookout.testing.SharedData;

/**
 * {@link AreaIndex#areaAt} gives, for every point, the first area in file order whose closed polygon covers it,
 * as JTS's own {@code covers} says: random points over the whole map, vertices of the boundaries (where areas meet),
 * and points on and just off their edges.
 */
class AreaLookupAgreementTest {
    private static final GeometryFactory GEOMETRY = new GeometryFactory();

    private static String reference(AreaIndex index, double lat, double lon) {
        var point = GEOMETRY.createPoint(new Coordinate(lon, lat));
        for (Area a : index.areas()) {
            if (index.geometry(a.id()).getEnvelopeInternal().covers(lon, lat) && index.geometry(a.id()).covers(point)) {
                return a.id();
            }
        }
        return null;
    }

    /** Every {@code stride}-th edge of every boundary gives its points. */
    private static void assertAgrees(AreaIndex index, int stride, int randomPoints) {
        Envelope all = new Envelope();
        List<double[]> points = new ArrayList<>();
        for (Area a : index.areas()) {
            all.expandToInclude(index.geometry(a.id()).getEnvelopeInternal());
            Coordinate[] ring = index.geometry(a.id()).getCoordinates();
            for (int i = 0; i + 1 < ring.length; i += stride) {
                Coordinate p = ring[i];
                Coordinate q = ring[i + 1];
                points.add(new double[] {p.y, p.x});
                points.add(new double[] {(p.y + q.y) / 2, (p.x + q.x) / 2});
                points.add(new double[] {p.y + 1e-9, p.x - 1e-9});
            }
        }
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < randomPoints; i++) {
            points.add(new double[] {all.getMinY() - 0.01 + random.nextDouble() * (all.getHeight() + 0.02),
                all.getMinX() - 0.01 + random.nextDouble() * (all.getWidth() + 0.02)});
        }
        int inside = 0;
        for (double[] p : points) {
            String expected = reference(index, p[0], p[1]);
            assertEquals(expected, index.areaAt(p[0], p[1]), "lat " + p[0] + " lon " + p[1]);
            inside += expected == null ? 0 : 1;
        }
        assertTrue(inside > points.size() / 2, inside + " of " + points.size() + " points in an area");
    }

    @Test
    void theDemoCity() {
        assertAgrees(AreaIndex.demoCity(), 1, 20_000);
    }

    @Test
    void toronto() {
        assertAgrees(AreaIndex.fromGeoJson(SharedData.torontoBoundaries()), 7, 5_000);
    }
}
