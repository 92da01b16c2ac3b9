package lookout.geo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
import org.locationtech.jts.index.strtree.STRtree;

/**
 * Finds the area a point lies in. Areas are polygons or multipolygons; holes belong to no area.
 * A point on a border shared by several areas goes to the one listed first in the boundary file,
 * so every point has at most one area and the answer never depends on index internals.
 * Safe for concurrent use once built.
 */
public final class AreaIndex implements PointSampler {
    /** Rejection sampling gives up after this many misses: only a sliver-shaped area gets near it. */
    private static final int MAX_SAMPLING_ATTEMPTS = 100_000;

    /** Grid cells per area: enough that a cell's candidates are one or two areas, few enough to build at once. */
    private static final int CELLS_PER_AREA = 8;

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
        Coordinate point = null;
        for (Entry entry : grid.candidates(lon, lat)) {
            if (entry.envelope.covers(lon, lat)) {
                point = point == null ? new Coordinate(lon, lat) : point;
                if (entry.locator.locate(point) != Location.EXTERIOR) {
                    return entry.id;
                }
            }
        }
        return null;
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
     * A regular grid over all areas whose cells list, in file order, the areas whose bounding box reaches into
     * them. A point's cell therefore lists every area that can cover it, earliest first, and the first that
     * covers it is the answer: no tree to walk per point, and the search stops at the first covering area.
     */
    private static final class Grid {
        private static final Entry[] NONE = new Entry[0];

        private final Envelope extent = new Envelope();
        private final int columns;
        private final int rows;
        private final double cellWidth;
        private final double cellHeight;
        private final Entry[][] cells;

        Grid(List<Entry> entries) {
            entries.forEach(e -> extent.expandToInclude(e.envelope));
            int side = Math.max(1, (int) Math.ceil(Math.sqrt((double) entries.size() * CELLS_PER_AREA)));
            columns = side;
            rows = side;
            cellWidth = extent.getWidth() > 0 ? extent.getWidth() / columns : 1;
            cellHeight = extent.getHeight() > 0 ? extent.getHeight() / rows : 1;
            List<List<Entry>> lists = new ArrayList<>(columns * rows);
            for (int i = 0; i < columns * rows; i++) {
                lists.add(new ArrayList<>(2));
            }
            for (Entry e : entries) {
                for (int c = column(e.envelope.getMinX()); c <= column(e.envelope.getMaxX()); c++) {
                    for (int r = row(e.envelope.getMinY()); r <= row(e.envelope.getMaxY()); r++) {
                        lists.get(r * columns + c).add(e);
                    }
                }
            }
            cells = new Entry[lists.size()][];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = lists.get(i).isEmpty() ? NONE : lists.get(i).toArray(Entry[]::new);
            }
        }

        /** The areas whose bounding box may hold (x, y), in file order; none outside every bounding box. */
        Entry[] candidates(double x, double y) {
            if (!extent.covers(x, y)) {
                return NONE;
            }
            return cells[row(y) * columns + column(x)];
        }

        /**
         * Rounding down is monotonic, so a point within a bounding box falls in a column between the box's first
         * and last: no cell misses an area that covers one of its points.
         */
        private int column(double x) {
            return Math.min(columns - 1, Math.max(0, (int) ((x - extent.getMinX()) / cellWidth)));
        }

        private int row(double y) {
            return Math.min(rows - 1, Math.max(0, (int) ((y - extent.getMinY()) / cellHeight)));
        }
    }
}
