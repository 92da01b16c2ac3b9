package lookout.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import lookout.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Point;

/** Toronto's 158 social-planning neighbourhoods, from ../shared (skipped when absent). */
class TorontoBoundariesTest {
    private static AreaIndex loaded;

    /** Asked per test, not in a @BeforeAll, so a missing file shows up as skipped tests in reports. */
    private static Path file() {
        return SharedData.torontoBoundaries();
    }

    private static synchronized AreaIndex toronto() {
        Path file = file();
        if (loaded == null) {
            loaded = AreaIndex.fromGeoJson(file);
        }
        return loaded;
    }

    @Test
    void loadsAll158AreasWithTheCityCodesAndNames() throws Exception {
        JsonNode features = new ObjectMapper().readTree(file().toFile()).get("features");
        List<Area> expected = new ArrayList<>();
        for (JsonNode feature : features) {
            JsonNode properties = feature.get("properties");
            expected.add(new Area(properties.get("AREA_SHORT_CODE").asText(), properties.get("AREA_NAME").asText()));
        }
        assertEquals(158, toronto().size());
        assertEquals(expected, toronto().areas());
        assertEquals(new Area("174", "South Eglinton-Davisville"), toronto().areas().get(0));
    }

    @Test
    void everyNeighbourhoodsInteriorPointMapsBackToIt() {
        for (BoundaryReader.Feature feature : BoundaryReader.read(file(), new GeometryFactory())) {
            Point inside = feature.geometry().getInteriorPoint();
            assertEquals(feature.area().id(), toronto().areaAt(inside.getY(), inside.getX()), feature.area().name());
        }
    }

    @Test
    void sampledPointsMapBackToTheirNeighbourhood() {
        SplittableRandom random = new SplittableRandom(416);
        AreaIndex toronto = toronto();
        for (Area area : toronto.areas()) {
            for (int i = 0; i < 20; i++) {
                double[] p = toronto.pointIn(area.id(), random);
                assertEquals(area.id(), toronto.areaAt(p[0], p[1]));
            }
        }
    }

    /** Each landmark was checked against the polygons with an independent ray-casting script. */
    @Test
    void landmarksFallInTheirNeighbourhoods() {
        assertEquals("Harbourfront-CityPlace", nameAt(43.6426, -79.3871)); // CN Tower
        assertEquals("Yonge-Bay Corridor", nameAt(43.6534, -79.3841)); // City Hall
        assertEquals("St Lawrence-East Bayfront-The Islands", nameAt(43.6453, -79.3806)); // Union Station
        assertEquals("Casa Loma", nameAt(43.6780, -79.4094));
        assertEquals("High Park-Swansea", nameAt(43.6465, -79.4637));
        assertEquals("Bendale-Glen Andrew", nameAt(43.7756, -79.2579)); // Scarborough Town Centre
        assertEquals("Morningside Heights", nameAt(43.8177, -79.1859)); // Toronto Zoo
    }

    @Test
    void keepsLeadingZerosOfCodes() {
        assertEquals("096", toronto().areaAt(43.6780, -79.4094));
    }

    @Test
    void pointsOutsideTheCityHaveNoArea() {
        assertNull(toronto().areaAt(0, 0));
        assertNull(toronto().areaAt(43.6777, -79.6248)); // Pearson airport, in Mississauga
    }

    private static String nameAt(double lat, double lon) {
        String id = toronto().areaAt(lat, lon);
        return toronto().areas().stream().filter(a -> a.id().equals(id)).findFirst().map(Area::name).orElse(null);
    }
}
