package lookout.geo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.locationtech.jts.algorithm.Orientation;
import org.locationtech.jts.algorithm.construct.MaximumInscribedCircle;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.CoordinateFilter;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Point;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.triangulate.VoronoiDiagramBuilder;

/**
 * A fictional city generated from a fixed seed, so the project ships boundaries without third-party
 * data. Forty Voronoi neighbourhoods fill an irregular outline near lat 43.70, lon -79.40; one area
 * also owns an island off the south shore (a MultiPolygon) and one has a lake that belongs to no area
 * (a hole). The same text comes out on every run and platform: StrictMath, a seeded SplittableRandom,
 * and every coordinate snapped to a 1e-6 degree grid.
 */
public final class DemoCity {
    static final int AREA_COUNT = 40;
    static final String ISLAND_AREA_NAME = "Harbour Flats";
    static final String LAKE_AREA_NAME = "Millbrook";

    private static final long SEED = 20_260_704L;
    private static final double LAT0 = 43.70;
    private static final double LON0 = -79.40;
    /** Work in a plane where one unit is a degree of latitude both ways, so cells are not stretched. */
    private static final double LON_SCALE = StrictMath.cos(StrictMath.toRadians(LAT0));
    private static final double HALF_HEIGHT = 0.125;
    private static final double HALF_WIDTH = 0.175 * LON_SCALE;
    private static final double SHORE_Y = -0.095;
    private static final PrecisionModel GRID = new PrecisionModel(1e6);

    private static final List<String> OTHER_NAMES = List.of(
            "Cedar Hollow", "Lantern Hill", "Foxglove Park", "Willow Bend", "Old Mill Row", "Kestrel Heights",
            "Bramble Green", "Copper Creek", "Maple Terrace", "Juniper Crossing", "Stonebridge", "Larkspur Commons",
            "Ashgrove", "Birchwood Gardens", "Clover Field", "Driftwood Quay", "Elm Hollow", "Fernside",
            "Glenhaven", "Heron Point", "Ivy Lanes", "Kingfisher Bay", "Lilac Row", "Marigold Square",
            "Northgate", "Orchard Rise", "Pebble Beach", "Quarry Park", "Riverside Mews", "Saltmarsh",
            "Thistle Down", "Upland Meadows", "Violet Hill", "Wren's Corner", "Yarrow Heath", "Zephyr Fields",
            "Beacon Shore", "Lighthouse Point");

    private static volatile String cached;

    private DemoCity() {}

    /** The city as a GeoJSON FeatureCollection with properties area_id ("D01".."D40") and name. */
    public static String geoJson() {
        String text = cached;
        if (text == null) {
            text = generate();
            cached = text;
        }
        return text;
    }

    /** Builds the city afresh; {@link #geoJson()} keeps the result because building takes a moment. */
    static String generate() {
        return new Builder().build();
    }

    /** Saves the city so people can look at it in any GeoJSON viewer. */
    public static void write(Path file) {
        try {
            Files.writeString(file, geoJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private record Cell(Point site, Geometry shape) {}

    private static final class Builder {
        private final GeometryFactory plane = new GeometryFactory();
        private final GeometryFactory degrees = new GeometryFactory(GRID);
        private final SplittableRandom random = new SplittableRandom(SEED);

        String build() {
            Polygon outline = outline();
            List<Coordinate> sites = relax(sites(outline), outline, 2);
            List<Cell> cells = cells(sites, outline);
            // Number the areas in reading order: bands from north to south, west to east within a band.
            cells.sort(Comparator.<Cell>comparingInt(c -> (int) StrictMath.floor((HALF_HEIGHT - c.site().getY()) / 0.045))
                    .thenComparingDouble(c -> c.site().getX()));

            Geometry outlineDegrees = toDegrees(outline);
            List<Geometry> shapes = new ArrayList<>();
            for (Cell cell : cells) {
                shapes.add(overlay(toDegrees(cell.shape()), outlineDegrees, OverlayNG.INTERSECTION));
            }
            int islandOwner = addIsland(shapes, outline);
            int lakeOwner = addLake(shapes, islandOwner);
            return write(shapes, islandOwner, lakeOwner);
        }

        /** A wobbly ellipse whose south side is cut by a wavy shoreline. */
        private Polygon outline() {
            double p1 = random.nextDouble() * 2 * StrictMath.PI;
            double p2 = random.nextDouble() * 2 * StrictMath.PI;
            double p3 = random.nextDouble() * 2 * StrictMath.PI;
            int n = 96;
            Coordinate[] ring = new Coordinate[n + 1];
            for (int k = 0; k < n; k++) {
                double t = 2 * StrictMath.PI * k / n;
                double wobble = 1 + 0.07 * StrictMath.sin(3 * t + p1) + 0.04 * StrictMath.sin(5 * t + p2)
                        + 0.02 * StrictMath.sin(11 * t + p3);
                double x = HALF_WIDTH * wobble * StrictMath.cos(t);
                double y = StrictMath.max(HALF_HEIGHT * wobble * StrictMath.sin(t), shore(x));
                ring[k] = new Coordinate(x, y);
            }
            ring[n] = ring[0].copy();
            return plane.createPolygon(ring);
        }

        private static double shore(double x) {
            return SHORE_Y + 0.006 * StrictMath.sin(x * 60) + 0.003 * StrictMath.sin(x * 170);
        }

        /** Random sites kept apart from each other, so no neighbourhood is a sliver. */
        private List<Coordinate> sites(Polygon outline) {
            Geometry inner = outline.buffer(-0.008);
            Envelope box = outline.getEnvelopeInternal();
            double spacing = 0.03;
            List<Coordinate> sites = new ArrayList<>();
            int misses = 0;
            while (sites.size() < AREA_COUNT) {
                Coordinate c = new Coordinate(box.getMinX() + random.nextDouble() * box.getWidth(),
                        box.getMinY() + random.nextDouble() * box.getHeight());
                if (inner.contains(plane.createPoint(c)) && farFromAll(c, sites, spacing)) {
                    sites.add(c);
                    misses = 0;
                } else if (++misses == 2000) {
                    spacing *= 0.9;
                    misses = 0;
                }
            }
            return sites;
        }

        private static boolean farFromAll(Coordinate c, List<Coordinate> sites, double spacing) {
            for (Coordinate s : sites) {
                if (s.distance(c) < spacing) {
                    return false;
                }
            }
            return true;
        }

        /** Lloyd relaxation: moving each site to its cell's centroid evens out the cell sizes. */
        private List<Coordinate> relax(List<Coordinate> sites, Polygon outline, int rounds) {
            List<Coordinate> current = sites;
            for (int r = 0; r < rounds; r++) {
                List<Coordinate> next = new ArrayList<>();
                for (Cell cell : cells(current, outline)) {
                    next.add(cell.shape.getCentroid().getCoordinate());
                }
                current = next;
            }
            return current;
        }

        private List<Cell> cells(List<Coordinate> sites, Polygon outline) {
            VoronoiDiagramBuilder builder = new VoronoiDiagramBuilder();
            builder.setSites(sites);
            Envelope clip = new Envelope(outline.getEnvelopeInternal());
            clip.expandBy(0.05);
            builder.setClipEnvelope(clip);
            Geometry diagram = builder.getDiagram(plane);
            List<Cell> cells = new ArrayList<>();
            for (int i = 0; i < diagram.getNumGeometries(); i++) {
                Geometry polygon = diagram.getGeometryN(i);
                Point site = plane.createPoint((Coordinate) polygon.getUserData());
                cells.add(new Cell(site, polygon.intersection(outline)));
            }
            return cells;
        }

        /** An island off the southernmost shore, owned by the nearest neighbourhood. */
        private int addIsland(List<Geometry> shapes, Polygon outline) {
            Coordinate south = outline.getCoordinates()[0];
            for (Coordinate c : outline.getCoordinates()) {
                if (c.y < south.y) {
                    south = c;
                }
            }
            Geometry island = toDegrees(blob(new Coordinate(south.x + 0.01, south.y - 0.022), 0.007, 14));
            int owner = 0;
            for (int i = 1; i < shapes.size(); i++) {
                if (shapes.get(i).distance(island) < shapes.get(owner).distance(island)) {
                    owner = i;
                }
            }
            shapes.set(owner, overlay(shapes.get(owner), island, OverlayNG.UNION));
            return owner;
        }

        /** A lake in the middle of the roomiest other neighbourhood; it belongs to no area. */
        private int addLake(List<Geometry> shapes, int islandOwner) {
            int owner = islandOwner == 0 ? 1 : 0;
            for (int i = 0; i < shapes.size(); i++) {
                if (i != islandOwner && shapes.get(i).getArea() > shapes.get(owner).getArea()) {
                    owner = i;
                }
            }
            Geometry cell = toPlane(shapes.get(owner));
            MaximumInscribedCircle circle = new MaximumInscribedCircle(cell, 1e-5);
            double radius = circle.getRadiusLine().getLength() * 0.45;
            Geometry lake = toDegrees(blob(circle.getCenter().getCoordinate(), radius, 18));
            shapes.set(owner, overlay(shapes.get(owner), lake, OverlayNG.DIFFERENCE));
            return owner;
        }

        /** Snap-rounded to the output grid; strict mode drops the slivers of line that rounding can leave. */
        private static Geometry overlay(Geometry a, Geometry b, int opCode) {
            OverlayNG overlay = new OverlayNG(a, b, GRID, opCode);
            overlay.setStrictMode(true);
            return overlay.getResult();
        }

        /** An irregular round shape for islands and lakes. */
        private Polygon blob(Coordinate centre, double radius, int vertices) {
            Coordinate[] ring = new Coordinate[vertices + 1];
            for (int k = 0; k < vertices; k++) {
                double t = 2 * StrictMath.PI * k / vertices;
                double r = radius * (0.8 + 0.2 * random.nextDouble());
                ring[k] = new Coordinate(centre.x + r * StrictMath.cos(t), centre.y + r * StrictMath.sin(t));
            }
            ring[vertices] = ring[0].copy();
            return plane.createPolygon(ring);
        }

        private Geometry toDegrees(Geometry planar) {
            Geometry copy = planar.copy();
            copy.apply((CoordinateFilter) c -> {
                c.x = GRID.makePrecise(LON0 + c.x / LON_SCALE);
                c.y = GRID.makePrecise(LAT0 + c.y);
            });
            copy.geometryChanged();
            return degrees.createGeometry(copy);
        }

        private Geometry toPlane(Geometry inDegrees) {
            Geometry copy = inDegrees.copy();
            copy.apply((CoordinateFilter) c -> {
                c.x = (c.x - LON0) * LON_SCALE;
                c.y = c.y - LAT0;
            });
            copy.geometryChanged();
            return plane.createGeometry(copy);
        }

        private String write(List<Geometry> shapes, int islandOwner, int lakeOwner) {
            StringBuilder out = new StringBuilder();
            out.append("{\"type\":\"FeatureCollection\",\"name\":\"Lookout demo city (fictional)\",\"features\":[\n");
            int nextName = 0;
            for (int i = 0; i < shapes.size(); i++) {
                String name = i == islandOwner ? ISLAND_AREA_NAME
                        : i == lakeOwner ? LAKE_AREA_NAME
                        : OTHER_NAMES.get(nextName++);
                out.append("{\"type\":\"Feature\",\"properties\":{\"area_id\":\"")
                        .append(String.format(Locale.ROOT, "D%02d", i + 1))
                        .append("\",\"name\":\"").append(name).append("\"},\"geometry\":");
                geometry(out, shapes.get(i));
                out.append(i + 1 < shapes.size() ? "},\n" : "}\n");
            }
            return out.append("]}\n").toString();
        }

        private static void geometry(StringBuilder out, Geometry shape) {
            if (shape instanceof Polygon polygon) {
                out.append("{\"type\":\"Polygon\",\"coordinates\":");
                polygon(out, polygon);
            } else {
                out.append("{\"type\":\"MultiPolygon\",\"coordinates\":[");
                for (int p = 0; p < shape.getNumGeometries(); p++) {
                    out.append(p == 0 ? "" : ",");
                    polygon(out, (Polygon) shape.getGeometryN(p));
                }
                out.append(']');
            }
            out.append('}');
        }

        /** RFC 7946 winding: exterior rings counter-clockwise, holes clockwise. */
        private static void polygon(StringBuilder out, Polygon polygon) {
            out.append('[');
            ring(out, polygon.getExteriorRing(), true);
            for (int h = 0; h < polygon.getNumInteriorRing(); h++) {
                out.append(',');
                ring(out, polygon.getInteriorRingN(h), false);
            }
            out.append(']');
        }

        private static void ring(StringBuilder out, LineString ring, boolean counterClockwise) {
            Coordinate[] points = ring.getCoordinates();
            boolean reverse = Orientation.isCCW(points) != counterClockwise;
            out.append('[');
            for (int k = 0; k < points.length; k++) {
                Coordinate c = points[reverse ? points.length - 1 - k : k];
                out.append(k == 0 ? "[" : ",[").append(number(c.x)).append(',').append(number(c.y)).append(']');
            }
            out.append(']');
        }

        private static String number(double value) {
            return BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
        }
    }
}
