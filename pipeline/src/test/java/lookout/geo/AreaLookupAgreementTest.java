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

    /**
     * Where the grid's arithmetic decides: the corners and edge midpoints of every cell, the points one ulp either
     * side of them, the shared borders, and points far outside. Three areas at 1,024 cells each make a 56 × 56 grid
     * over lon 0..2, lat 0..2, its lines computed here as the grid computes them. W and E share the border lon 1;
     * N lies above them and reaches down into both by a tab at lon 0.9..1.1, lat 0.92..1 (0.8% of W's area and of
     * E's, under the reader's overlap tolerance), so a cell can lie wholly in two areas and must answer the one
     * listed first.
     */
    @Test
    void cellCornersEdgesAndBorders() {
        AreaIndex index = AreaIndex.fromGeoJson("""
                {"type":"FeatureCollection","features":[
                 {"type":"Feature","properties":{"id":"W"},"geometry":{"type":"Polygon",
                  "coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
                 {"type":"Feature","properties":{"id":"N"},"geometry":{"type":"Polygon",
                  "coordinates":[[[0.5,1],[0.9,1],[0.9,0.92],[1.1,0.92],[1.1,1],[1.5,1],[1.5,2],[0.5,2],[0.5,1]]]}},
                 {"type":"Feature","properties":{"id":"E"},"geometry":{"type":"Polygon",
                  "coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}}]}""", "overlapping tab");
        double width = 2.0 / 56;
        double height = 2.0 / 56;
        List<double[]> points = new ArrayList<>();
        for (int c = 0; c <= 56; c++) {
            for (int r = 0; r <= 56; r++) {
                addWithNeighbours(points, r * height, c * width);
                addWithNeighbours(points, (r + 0.5) * height, c * width);
                addWithNeighbours(points, r * height, (c + 0.5) * width);
            }
        }
        for (double along = 0; along <= 1; along += 1.0 / 64) {
            addWithNeighbours(points, along, 1.0);
            addWithNeighbours(points, 1.0, 2 * along);
            addWithNeighbours(points, 0.92 + along * 0.08, 0.9);
            addWithNeighbours(points, 0.92 + along * 0.08, 1.1);
            addWithNeighbours(points, 0.92, 0.9 + along / 5);
        }
        for (double far : new double[] {-1000, -1, 1000}) {
            points.add(new double[] {far, 0.5});
            points.add(new double[] {0.5, far});
            points.add(new double[] {far, far});
        }
        for (double[] p : points) {
            assertEquals(reference(index, p[0], p[1]), index.areaAt(p[0], p[1]), "lat " + p[0] + " lon " + p[1]);
        }
        assertTrue(index.inWholeCell(0.95, 0.95) && index.inWholeCell(0.95, 1.05), "cells wholly in the tab");
        assertEquals("W", index.areaAt(0.95, 0.95));
        assertEquals("N", index.areaAt(0.95, 1.05));
    }

    /** The point and the points one ulp away from it in each coordinate. */
    private static void addWithNeighbours(List<double[]> points, double lat, double lon) {
        for (double y : new double[] {Math.nextDown(lat), lat, Math.nextUp(lat)}) {
            for (double x : new double[] {Math.nextDown(lon), lon, Math.nextUp(lon)}) {
                points.add(new double[] {y, x});
            }
        }
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
