package lookout.sink;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

import lookout.geo.AreaIndex;
import lookout.geo.WebShapes;

/**
 * What the sink publishes about the areas themselves, in file order: each area's name (the {@code areas} table)
 * and its boundary simplified for the web (the {@code area_shapes} table). Copies that travel with the sink to
 * the task that writes.
 */
public record PublishedAreas(Map<String, String> names, Map<String, String> shapes) implements Serializable {
    public PublishedAreas {
        names = new LinkedHashMap<>(names);
        shapes = new LinkedHashMap<>(shapes);
    }

    public static PublishedAreas of(AreaIndex index) {
        return new PublishedAreas(index.names(), WebShapes.of(index));
    }
}
