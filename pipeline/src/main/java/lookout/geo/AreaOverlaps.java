package lookout.geo;

import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.locationtech.jts.operation.relateng.RelateNG;
import org.locationtech.jts.operation.relateng.RelatePredicate;

/**
 * Finds two areas of a boundary file that cover the same ground. A point in both is counted in the one listed first
 * ({@link AreaIndex}), so a file that lists one area twice under two ids, or two neighbourhood sets of one city,
 * would count every event there in one of them without a word. Real files overlap too, by digitisation slivers
 * along shared streets, and those must load: Toronto's 158 neighbourhoods have 50 overlapping pairs, the largest
 * 0.00004% of the smaller area. The bench's generated 10,000-area city, whose cells' edges were once split at a
 * length of each cell's own, overlapped along about 19,000 borders, the largest 0.16% (0.25% over seeds 0 to 29);
 * it now has none, nor has the demo city.
 */
final class AreaOverlaps {
    /** The largest share of the smaller area's ground that two areas may share; more is refused. */
    static final double TOLERANCE = 0.01;

    /** The DE-9IM pattern of two geometries whose interiors meet. */
    private static final String INTERIORS_MEET = "T********";

    /** Features {@code earlier} and {@code later} (file order) share {@code share} of the smaller one's area. */
    record Overlap(int earlier, int later, double share) {}

    private AreaOverlaps() {}

    /**
     * The first pair in file order (by the later feature, then the earlier) that shares more than the tolerance,
     * or null. Only pairs the tree finds are looked at, and only those whose interiors meet (a shared border does
     * not count) and whose bounding boxes share more than the tolerance are intersected.
     */
    static Overlap first(List<Geometry> areas) {
        STRtree tree = new STRtree();
        double[] size = new double[areas.size()];
        for (int i = 0; i < areas.size(); i++) {
            tree.insert(areas.get(i).getEnvelopeInternal(), i);
            size[i] = areas.get(i).getArea();
        }
        for (int later = 0; later < areas.size(); later++) {
            Geometry area = areas.get(later);
            RelateNG prepared = RelateNG.prepare(area);
            for (int e : earlierCandidates(tree, later, area.getEnvelopeInternal())) {
                double smaller = Math.min(size[e], size[later]);
                Geometry other = areas.get(e);
                if (area.getEnvelopeInternal().intersection(other.getEnvelopeInternal()).getArea() > TOLERANCE * smaller
                        && prepared.evaluate(other, RelatePredicate.matches(INTERIORS_MEET))) {
                    double shared = OverlayNGRobust.overlay(other, area, OverlayNG.INTERSECTION).getArea();
                    if (shared > TOLERANCE * smaller) {
                        return new Overlap(e, later, shared / smaller);
                    }
                }
            }
        }
        return null;
    }

    /** The features listed before {@code later} whose bounding boxes meet {@code box}, in file order. */
    private static List<Integer> earlierCandidates(STRtree tree, int later, Envelope box) {
        List<Integer> earlier = new ArrayList<>();
        for (Object item : tree.query(box)) {
            if ((Integer) item < later) {
                earlier.add((Integer) item);
            }
        }
        earlier.sort(null);
        return earlier;
    }
}
