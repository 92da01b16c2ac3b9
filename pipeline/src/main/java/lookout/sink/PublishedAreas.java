package lookout.sink;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import lookout.geo.AreaAdjacency;
import lookout.geo.AreaIndex;
import lookout.geo.WebShapes;

/**
 * What the sink publishes about the areas themselves, in file order: each area's name (the {@code areas} table),
 * its boundary simplified for the web (the {@code area_shapes} table) and the areas it shares a border with (the
 * {@code area_neighbours} table). Copies that travel with the sink to the task that writes.
 */
public record PublishedAreas(Map<String, String> names, Map<String, String> shapes,
        Map<String, List<String>> neighbours) implements Serializable {
    public PublishedAreas {
        names = new LinkedHashMap<>(names);
        shapes = new LinkedHashMap<>(shapes);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        neighbours.forEach((area, near) -> copy.put(area, List.copyOf(near)));
        neighbours = copy;
    }

    /** Areas without published neighbours (tests of the other tables). */
    public PublishedAreas(Map<String, String> names, Map<String, String> shapes) {
        this(names, shapes, Map.of());
    }

    public static PublishedAreas of(AreaIndex index) {
        return of(index, AreaAdjacency.of(index));
    }

    /** With the {@link AreaAdjacency} of {@code index} already worked out (it takes seconds for thousands of areas). */
    public static PublishedAreas of(AreaIndex index, Map<String, Set<String>> adjacency) {
        return new PublishedAreas(index.names(), WebShapes.of(index), lists(adjacency));
    }

    /** Each area's border neighbours as a list (in id order), what the table's rows are made from. */
    private static Map<String, List<String>> lists(Map<String, Set<String>> adjacency) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        adjacency.forEach((area, near) -> out.put(area, List.copyOf(near)));
        return out;
    }

    /** One entry per ordered pair of areas sharing a border, both directions: the {@code area_neighbours} rows. */
    public List<Map.Entry<String, String>> neighbourPairs() {
        return neighbours.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(n -> Map.entry(e.getKey(), n)))
                .toList();
    }
}
