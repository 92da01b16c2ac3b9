package lookout.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.union.UnaryUnionOp;

class DemoCityTest {
    private static final GeometryFactory FACTORY = new GeometryFactory();
    private static final List<BoundaryReader.Feature> FEATURES = BoundaryReader.read(DemoCity.geoJson(), "demo", FACTORY);
    private static final AreaIndex CITY = AreaIndex.demoCity();

    @Test
    void generationIsDeterministic() {
        String first = DemoCity.generate();
        assertEquals(first, DemoCity.generate());
        assertEquals(first, DemoCity.geoJson());
    }

    @Test
    void hasFortyNamedAreasD01ToD40() {
        assertEquals(40, CITY.size());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            Area area = CITY.areas().get(i);
            assertEquals(String.format("D%02d", i + 1), area.id());
            assertTrue(!area.name().isBlank() && !area.name().equals(area.id()), area.id());
            names.add(area.name());
        }
        assertEquals(40, names.size());
    }

    @Test
    void liesAroundTheCityCentreAtTheIntendedSize() {
        Envelope all = new Envelope();
        for (BoundaryReader.Feature feature : FEATURES) {
            all.expandToInclude(feature.geometry().getEnvelopeInternal());
        }
        assertTrue(all.contains(-79.40, 43.70), all.toString());
        assertTrue(all.getHeight() > 0.2 && all.getHeight() < 0.3, all.toString());
        assertTrue(all.getWidth() > 0.3 && all.getWidth() < 0.4, all.toString());
    }

    @Test
    void everyAreaIsAValidPolygonalGeometry() {
        for (BoundaryReader.Feature feature : FEATURES) {
            assertTrue(feature.geometry().isValid(), feature.area().id());
            assertTrue(feature.geometry().getArea() > 0, feature.area().id());
        }
    }

    @Test
    void areasDoNotOverlap() {
        double sum = 0;
        List<Geometry> all = new ArrayList<>();
        for (BoundaryReader.Feature feature : FEATURES) {
            sum += feature.geometry().getArea();
            all.add(feature.geometry());
        }
        assertEquals(sum, UnaryUnionOp.union(all).getArea(), sum * 1e-9);
    }

    @Test
    void pointsDrawnFromEachAreaMapBackToIt() {
        SplittableRandom random = new SplittableRandom(2026);
        for (BoundaryReader.Feature feature : FEATURES) {
            Geometry shape = feature.geometry();
            Envelope box = shape.getEnvelopeInternal();
            int drawn = 0;
            while (drawn < 200) {
                double lon = box.getMinX() + random.nextDouble() * box.getWidth();
                double lat = box.getMinY() + random.nextDouble() * box.getHeight();
                if (shape.contains(FACTORY.createPoint(new Coordinate(lon, lat)))) {
                    assertEquals(feature.area().id(), CITY.areaAt(lat, lon));
                    drawn++;
                }
            }
        }
    }

    @Test
    void sampledPointsLieInsideTheirArea() {
        SplittableRandom random = new SplittableRandom(7);
        for (BoundaryReader.Feature feature : FEATURES) {
            for (int i = 0; i < 200; i++) {
                double[] p = CITY.pointIn(feature.area().id(), random);
                assertTrue(feature.geometry().covers(FACTORY.createPoint(new Coordinate(p[1], p[0]))), feature.area().id());
            }
        }
    }

    @Test
    void theLakeIsAHoleThatBelongsToNoArea() {
        List<BoundaryReader.Feature> withHoles = FEATURES.stream()
                .filter(f -> f.geometry() instanceof Polygon p && p.getNumInteriorRing() > 0).toList();
        assertEquals(1, withHoles.size());
        BoundaryReader.Feature owner = withHoles.get(0);
        assertEquals(DemoCity.LAKE_AREA_NAME, owner.area().name());
        Polygon area = (Polygon) owner.geometry();
        assertEquals(1, area.getNumInteriorRing());
        Polygon lake = FACTORY.createPolygon(area.getInteriorRingN(0).getCoordinates());
        assertTrue(FACTORY.createPolygon(area.getExteriorRing().getCoordinates()).contains(lake));
        Point inLake = lake.getInteriorPoint();
        assertNull(CITY.areaAt(inLake.getY(), inLake.getX()));
        Point centre = lake.getCentroid();
        assertNull(CITY.areaAt(centre.getY(), centre.getX()));
    }

    @Test
    void theIslandResolvesToTheAreaThatOwnsIt() {
        List<BoundaryReader.Feature> multi = FEATURES.stream().filter(f -> f.geometry() instanceof MultiPolygon).toList();
        assertEquals(1, multi.size());
        BoundaryReader.Feature owner = multi.get(0);
        assertEquals(DemoCity.ISLAND_AREA_NAME, owner.area().name());
        Geometry shape = owner.geometry();
        assertEquals(2, shape.getNumGeometries());
        Geometry island = shape.getGeometryN(0).getArea() < shape.getGeometryN(1).getArea()
                ? shape.getGeometryN(0) : shape.getGeometryN(1);
        Point onIsland = island.getInteriorPoint();
        assertEquals(owner.area().id(), CITY.areaAt(onIsland.getY(), onIsland.getX()));
        // Water separates the island from the rest of the city.
        Envelope islandBox = island.getEnvelopeInternal();
        assertNull(CITY.areaAt(islandBox.getMaxY() + 0.002, islandBox.centre().x));
    }

    @Test
    void writesAFileThatReadsBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("demo-city.geojson");
        DemoCity.write(file);
        assertEquals(DemoCity.geoJson(), Files.readString(file));
        assertEquals(CITY.areas(), AreaIndex.fromGeoJson(file).areas());
    }
}
