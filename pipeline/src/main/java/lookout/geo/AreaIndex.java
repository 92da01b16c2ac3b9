package lookout.geo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * Finds the area a point lies in. Areas are polygons or multipolygons; holes belong to no area.
 * A point on a border shared by several areas goes to the one listed first in the boundary file, and so does a
 * point in a sliver where two areas overlap (the reader refuses more than {@link AreaOverlaps#TOLERANCE} of the
 * smaller one), so every point has at most one area and the answer never depends on index internals.
 * Safe for concurrent use once built.
 */
public final class AreaIndex implements PointSampler {
    /** Rejection sampling gives up after this many misses: only a sliver-shaped area gets near it. */
    private static final int MAX_SAMPLING_ATTEMPTS = 100_000;

    /**
     * Grid cells per area: enough that most points fall in a cell wholly inside one area, which answers without a
     * point-in-polygon test. Toronto's small downtown areas need fine cells: with points spread evenly over its 158
     * areas, 6% fall in such cells at 8 per area, 46% at 64, 69% at 256 and 84% at 1,024.
     */
    private static final int CELLS_PER_AREA = 1024;

    /**
     * Cells along each side at most (65,536 cells), as classifying the cells is most of the time spent building:
     * about 0.1 s of CPU (up to 0.3 s before the JIT has warmed up) for 10,000 areas, where most cells then still
     * straddle a border. Toronto reaches the cap too: 256 × 256 cells answer 75% of its points without a polygon test.
     */
    private static final int MAX_SIDE = 256;

    private final List<Area> areas;
    private final Map<String, Entry> byId;
    private final STRtree tree;
    private final Grid grid;

    private AreaIndex(List<BoundaryReader.Feature> features) {
        List<Area> list = new ArrayList<>(features.size());
        Map<String, Entry> map = new HashMap<>();
        STRtree index = new STRtree();
        List<Entry> entries = new ArrayList<>(features.size());
        for (int i = 0; i < features.size(); i++) {
            BoundaryReader.Feature feature = features.get(i);
            Entry entry = new Entry(feature.area().id(), feature.geometry());
            list.add(feature.area());
            map.put(entry.id, entry);
            entries.add(entry);
            index.insert(feature.geometry().getEnvelopeInternal(), entry);
        }
        index.build();
        this.areas = Collections.unmodifiableList(list);
        this.byId = map;
        this.tree = index;
        this.grid = new Grid(entries);
    }

    /** Reads a GeoJSON FeatureCollection; feature numbers in error messages count from 0. */
    public static AreaIndex fromGeoJson(Path file) {
        return new AreaIndex(BoundaryReader.read(file, new GeometryFactory()));
    }

    /** As {@link #fromGeoJson(Path)}, for text already in memory; {@code label} names it in error messages. */
    public static AreaIndex fromGeoJson(String json, String label) {
        return new AreaIndex(BoundaryReader.read(json, label, new GeometryFactory()));
    }

    /** The generated fictional city that demos and tests use when no boundary file is given. */
    public static AreaIndex demoCity() {
        return fromGeoJson(DemoCity.geoJson(), "built-in demo city");
    }

    /** The id of the area containing the point, or null when it lies outside every area. */
    public String areaAt(double lat, double lon) {
        if (!Double.isFinite(lat) || !Double.isFinite(lon)) {
            return null;
        }
        int cell = grid.cell(lon, lat);
        if (cell < 0) {
            return null;
        }
        Entry whole = grid.wholeArea(cell);
        if (whole != null) {
            return whole.id;
        }
        Coordinate point = null;
        for (Entry entry : grid.candidates(cell)) {
            if (entry.envelope.covers(lon, lat)) {
                point = point == null ? new Coordinate(lon, lat) : point;
                if (entry.locator.locate(point) != Location.EXTERIOR) {
                    return entry.id;
                }
            }
        }
        return null;
    }

    /** Whether the point's grid cell lies wholly in one area, which {@link #areaAt} gives without a polygon test. */
    boolean inWholeCell(double lat, double lon) {
        int cell = Double.isFinite(lat) && Double.isFinite(lon) ? grid.cell(lon, lat) : -1;
        return cell >= 0 && grid.wholeArea(cell) != null;
    }

    public boolean isKnown(String areaId) {
        return byId.containsKey(areaId);
    }

    /** The areas in file order. */
    public List<Area> areas() {
        return areas;
    }

    /** Each area's name by its id, in file order: what the {@code areas} table lists. */
    public Map<String, String> names() {
        Map<String, String> names = new LinkedHashMap<>();
        for (Area a : areas) {
            names.put(a.id(), a.name());
        }
        return Collections.unmodifiableMap(names);
    }

    /** The area's polygon or multipolygon, x = lon, y = lat, as the boundary file gives it. */
    Geometry geometry(String areaId) {
        return byId.get(areaId).geometry;
    }

    public int size() {
        return areas.size();
    }

    /**
     * For each area, the areas that share a border or a corner with it (touching within {@code tolerance}
     * degrees, which absorbs the small gaps and overlaps of real boundary files).
     */
    public Map<String, Set<String>> neighbours(double tolerance) {
        Map<String, Set<String>> result = new LinkedHashMap<>();
        for (Area area : areas) {
            Entry entry = byId.get(area.id());
            Envelope search = new Envelope(entry.geometry.getEnvelopeInternal());
            search.expandBy(tolerance);
            Set<String> near = new TreeSet<>();
            for (Object item : tree.query(search)) {
                Entry other = (Entry) item;
                if (other != entry && entry.geometry.isWithinDistance(other.geometry, tolerance)) {
                    near.add(other.id);
                }
            }
            result.put(area.id(), Collections.unmodifiableSet(near));
        }
        return Collections.unmodifiableMap(result);
    }

    /**
     * For each area, the areas that share a stretch of border with it, not only a corner: the part of its boundary
     * within {@code tolerance} degrees of the other area is at least {@code minShared} degrees long. The tolerance
     * absorbs the slivers real boundary files leave along a shared street; the minimum length tells a shared border
     * from a corner, which only ever leaves about twice the tolerance. Symmetric up to rounding; the answer is made
     * symmetric (a pair counts if either side finds it), so that both directions are always present.
     */
    public Map<String, Set<String>> borderNeighbours(double tolerance, double minShared) {
        Map<String, Geometry> near = new HashMap<>();
        Map<String, Set<String>> found = new LinkedHashMap<>();
        for (Area area : areas) {
            near.put(area.id(), byId.get(area.id()).geometry.buffer(tolerance));
            found.put(area.id(), new TreeSet<>());
        }
        for (Area area : areas) {
            Entry entry = byId.get(area.id());
            Geometry boundary = entry.geometry.getBoundary();
            Envelope search = new Envelope(entry.geometry.getEnvelopeInternal());
            search.expandBy(tolerance);
            for (Object item : tree.query(search)) {
                Entry other = (Entry) item;
                if (other != entry && boundary.intersection(near.get(other.id)).getLength() >= minShared) {
                    found.get(entry.id).add(other.id);
                    found.get(other.id).add(entry.id);
                }
            }
        }
        Map<String, Set<String>> result = new LinkedHashMap<>();
        found.forEach((id, set) -> result.put(id, Collections.unmodifiableSet(set)));
        return Collections.unmodifiableMap(result);
    }

    /**
     * A point {lat, lon} uniformly distributed over the part of the area that {@link #areaAt} maps
     * back to it, so a generated event lands in the area it was generated for.
     */
    @Override
    public double[] pointIn(String areaId, SplittableRandom random) {
        Entry entry = byId.get(areaId);
        if (entry == null) {
            throw new IllegalArgumentException("unknown area id \"" + areaId + "\"");
        }
        Envelope envelope = entry.geometry.getEnvelopeInternal();
        for (int attempt = 0; attempt < MAX_SAMPLING_ATTEMPTS; attempt++) {
            double lon = envelope.getMinX() + random.nextDouble() * envelope.getWidth();
            double lat = envelope.getMinY() + random.nextDouble() * envelope.getHeight();
            if (areaId.equals(areaAt(lat, lon))) {
                return new double[] {lat, lon};
            }
        }
        throw new IllegalStateException("area \"" + areaId + "\" covers too little of its bounding box to sample");
    }

    /**
     * Uses the point locator that PreparedPolygon uses internally, directly: PreparedPolygon hands it
     * out through a synchronized getter, which would make every lookup take a lock.
     */
    private static final class Entry {
        final String id;
        final Geometry geometry;
        final Envelope envelope;
        final IndexedPointInAreaLocator locator;

        Entry(String id, Geometry geometry) {
            this.id = id;
            this.geometry = geometry;
            this.envelope = geometry.getEnvelopeInternal();
            this.locator = new IndexedPointInAreaLocator(geometry);
        }
    }

    /**
     * A regular grid over all areas whose cells list, in file order, the areas that can cover one of their points.
     * The first that covers a point is the answer: no tree to walk per point, and the search stops at the first
     * covering area. Most cells lie wholly in one area, which is found once, when the grid is built, so most points
     * need no polygon test at all.
     */
    private static final class Grid {
        private static final Entry[] NONE = new Entry[0];

        /** A cell's tested rectangle reaches this many cell sizes beyond it on every side (see {@link #rectangle}). */
        private static final double MARGIN = 1e-6;

        private final Envelope extent = new Envelope();
        private final int columns;
        private final int rows;
        private final double cellWidth;
        private final double cellHeight;
        private final double marginX;
        private final double marginY;
        private final Entry[][] cells;
        private final Entry[] whole;

        Grid(List<Entry> entries) {
            entries.forEach(e -> extent.expandToInclude(e.envelope));
            int wanted = (int) Math.ceil(Math.sqrt((double) entries.size() * CELLS_PER_AREA));
            int side = Math.min(MAX_SIDE, Math.max(1, wanted));
            columns = side;
            rows = side;
            cellWidth = extent.getWidth() > 0 ? extent.getWidth() / columns : 1;
            cellHeight = extent.getHeight() > 0 ? extent.getHeight() / rows : 1;
            marginX = margin(cellWidth, extent.getMinX(), extent.getMaxX());
            marginY = margin(cellHeight, extent.getMinY(), extent.getMaxY());
            cells = new Entry[columns * rows][];
            Arrays.fill(cells, NONE);
            whole = new Entry[columns * rows];
            new Classifier().classify(0, columns, 0, rows, entries);
        }

        /**
         * The rectangle of columns [c0, c1) and rows [r0, r1), grown by a margin. A point goes to a cell by rounded
         * arithmetic, so it may lie a few ulps of the coordinates outside the cell's computed rectangle; the margin,
         * a millionth of a cell plus 16 ulps of the largest coordinate (more than those roundings add up to), makes
         * the rectangle hold every point that {@link #cell} assigns to its cells, so what is true of the rectangle is
         * true of those points. Edges are computed alike for every block, so a block's rectangle holds its cells'.
         */
        private Envelope rectangle(int c0, int c1, int r0, int r1) {
            double x = extent.getMinX();
            double y = extent.getMinY();
            return new Envelope(x + c0 * cellWidth - marginX, x + c1 * cellWidth + marginX,
                    y + r0 * cellHeight - marginY, y + r1 * cellHeight + marginY);
        }

        private static double margin(double cellSize, double min, double max) {
            return MARGIN * cellSize + 16 * Math.ulp(Math.max(Math.abs(min), Math.abs(max)));
        }

        /** The cell holding (x, y), or -1 outside every bounding box. */
        int cell(double x, double y) {
            return extent.covers(x, y) ? row(y) * columns + column(x) : -1;
        }

        /** The areas that may cover a point of the cell, in file order. */
        Entry[] candidates(int cell) {
            return cells[cell];
        }

        /** The area every point of the cell lies in, the answer for all of them; null when points need testing. */
        Entry wholeArea(int cell) {
            return whole[cell];
        }

        private int column(double x) {
            return Math.min(columns - 1, Math.max(0, (int) ((x - extent.getMinX()) / cellWidth)));
        }

        private int row(double y) {
            return Math.min(rows - 1, Math.max(0, (int) ((y - extent.getMinY()) / cellHeight)));
        }

        /**
         * Fills the cells block by block, halving a block only where its first touching area does not cover it, so
         * an area's interior is settled in a few large blocks and the geometry tests go mostly to cells on borders.
         * Uses prepared geometries, which index each area's edges once for all its tests.
         */
        private final class Classifier {
            private final GeometryFactory factory = new GeometryFactory();
            private final Map<Entry, PreparedGeometry> prepared = new IdentityHashMap<>();

            /**
             * Only the areas from the first that touches the block's rectangle on can cover one of its points: an
             * earlier one touches none, nor does one whose bounding box misses the rectangle. If that first one covers
             * the whole rectangle, it is the answer for every point of the block, exactly what the search would find.
             * Touching counts edges too, so a point on a border between a cell's areas still goes to the search and
             * the area listed first. Boundary files are read as valid polygons, for which these tests and the
             * per-point locator agree point by point.
             */
            void classify(int c0, int c1, int r0, int r1, List<Entry> candidates) {
                Envelope box = rectangle(c0, c1, r0, r1);
                Geometry rectangle = factory.toGeometry(box);
                List<Entry> touching = fromFirstTouching(candidates, box, rectangle);
                if (touching.isEmpty()) {
                    return;
                }
                if (prepared(touching.get(0)).covers(rectangle)) {
                    for (int r = r0; r < r1; r++) {
                        Arrays.fill(whole, r * columns + c0, r * columns + c1, touching.get(0));
                    }
                } else if (c1 - c0 == 1 && r1 - r0 == 1) {
                    cells[r0 * columns + c0] = touching.toArray(Entry[]::new);
                } else {
                    int cm = (c0 + c1) >>> 1;
                    int rm = (r0 + r1) >>> 1;
                    classifyIfAny(c0, cm, r0, rm, touching);
                    classifyIfAny(cm, c1, r0, rm, touching);
                    classifyIfAny(c0, cm, rm, r1, touching);
                    classifyIfAny(cm, c1, rm, r1, touching);
                }
            }

            /** A block one cell wide is halved along one side only: the other half is empty. */
            private void classifyIfAny(int c0, int c1, int r0, int r1, List<Entry> candidates) {
                if (c0 < c1 && r0 < r1) {
                    classify(c0, c1, r0, r1, candidates);
                }
            }

            /** The candidates whose bounding box reaches the rectangle, from the first that touches it on. */
            private List<Entry> fromFirstTouching(List<Entry> candidates, Envelope box, Geometry rectangle) {
                List<Entry> result = new ArrayList<>();
                for (Entry e : candidates) {
                    if (e.envelope.intersects(box) && (!result.isEmpty() || prepared(e).intersects(rectangle))) {
                        result.add(e);
                    }
                }
                return result;
            }

            private PreparedGeometry prepared(Entry e) {
                return prepared.computeIfAbsent(e, x -> PreparedGeometryFactory.prepare(x.geometry));
            }
        }
    }
}
