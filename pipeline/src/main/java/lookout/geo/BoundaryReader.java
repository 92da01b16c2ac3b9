package lookout.geo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

import lookout.kernel.AreaId;

/**
 * Reads the areas of a GeoJSON FeatureCollection (RFC 7946, positions [lon, lat]).
 * Only Polygon and MultiPolygon features are accepted: an area must cover ground. Invalid polygons (a
 * self-intersecting ring, overlapping parts, a hole outside its shell) are refused rather than repaired: a
 * repaired boundary silently changes which area a call is counted in, so the file's owner must fix it. So are two
 * areas that overlap by more than a sliver ({@link AreaOverlaps}).
 */
final class BoundaryReader {
    /** Property names tried in order; the first is ours, the others match published city files. */
    private static final List<String> ID_PROPERTIES = List.of("area_id", "AREA_SHORT_CODE", "id");
    private static final List<String> NAME_PROPERTIES = List.of("name", "AREA_NAME");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One feature of the file: the area and its polygonal geometry in x = lon, y = lat. */
    record Feature(Area area, Geometry geometry) {}

    private final String label;
    private final GeometryFactory factory;

    private BoundaryReader(String label, GeometryFactory factory) {
        this.label = label;
        this.factory = factory;
    }

    static List<Feature> read(Path file, GeometryFactory factory) {
        String label = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BoundaryException("boundary file " + label + ": not found");
        } catch (IOException e) {
            throw new BoundaryException("boundary file " + label + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        BoundaryReader reader = new BoundaryReader(label, factory);
        try {
            return reader.features(MAPPER.readTree(bytes));
        } catch (IOException e) {
            throw reader.notJson(e);
        }
    }

    static List<Feature> read(String json, String label, GeometryFactory factory) {
        BoundaryReader reader = new BoundaryReader(label, factory);
        try {
            return reader.features(MAPPER.readTree(json));
        } catch (IOException e) {
            throw reader.notJson(e);
        }
    }

    private BoundaryException notJson(IOException e) {
        if (e instanceof JsonProcessingException parse && parse.getLocation() != null) {
            return fileError("not valid JSON (line " + parse.getLocation().getLineNr()
                    + ", column " + parse.getLocation().getColumnNr() + ")");
        }
        return fileError("not valid JSON");
    }

    private List<Feature> features(JsonNode root) {
        if (root == null || !root.isObject() || !"FeatureCollection".equals(root.path("type").asText(null))) {
            throw fileError("not a GeoJSON FeatureCollection");
        }
        JsonNode features = root.path("features");
        if (!features.isArray()) {
            throw fileError("FeatureCollection has no \"features\" array");
        }
        if (features.isEmpty()) {
            throw fileError("no features");
        }
        List<Feature> result = new ArrayList<>(features.size());
        Map<String, Integer> firstIndexOfId = new HashMap<>();
        for (int i = 0; i < features.size(); i++) {
            Feature feature = feature(features.get(i), i);
            Integer earlier = firstIndexOfId.putIfAbsent(feature.area().id(), i);
            if (earlier != null) {
                throw featureError(i, "duplicate area id \"" + feature.area().id() + "\" (also feature " + earlier + ")");
            }
            result.add(feature);
        }
        AreaOverlaps.Overlap overlap = AreaOverlaps.first(result.stream().map(Feature::geometry).toList());
        if (overlap != null) {
            throw overlapError(result, overlap);
        }
        return result;
    }

    private BoundaryException overlapError(List<Feature> features, AreaOverlaps.Overlap overlap) {
        Area earlier = features.get(overlap.earlier()).area();
        return featureError(overlap.later(), features.get(overlap.later()).area(), "overlaps feature "
                + overlap.earlier() + " (" + which(earlier) + ") by "
                + shareAbove(overlap.share(), AreaOverlaps.TOLERANCE)
                + " of the smaller one's area, more than the " + percent(AreaOverlaps.TOLERANCE)
                + " allowed: events there would all be counted in area " + earlier.id());
    }

    /** A share as a percentage of three significant digits at most: 25%, 33.3%. */
    private static String percent(double share) {
        return percent(share, 3);
    }

    private static String percent(double share, int digits) {
        return BigDecimal.valueOf(share * 100).round(new MathContext(digits)).stripTrailingZeros().toPlainString()
                + "%";
    }

    /**
     * A share above {@code limit} as a percentage, with the digits it takes to differ from the limit's: 1.0004% would
     * read "1%" at three, "by 1% ..., more than the 1% allowed".
     */
    private static String shareAbove(double share, double limit) {
        int digits = 3;
        while (digits < 9 && percent(share, digits).equals(percent(limit, digits))) {
            digits++;
        }
        return percent(share, digits);
    }

    private Feature feature(JsonNode node, int index) {
        if (!node.isObject() || !"Feature".equals(node.path("type").asText(null))) {
            throw featureError(index, "not a GeoJSON Feature");
        }
        JsonNode properties = node.path("properties");
        String id = firstText(properties, ID_PROPERTIES);
        if (id == null) {
            throw featureError(index, "no area id (expected property area_id, AREA_SHORT_CODE or id)");
        }
        if (!AreaId.isValid(id)) {
            throw featureError(index, "area id \"" + printable(id) + "\" is not " + AreaId.RULE
                    + " (ids name the areas' pages and accounts): give each feature an area_id property of that form");
        }
        String name = firstText(properties, NAME_PROPERTIES);
        if (name != null && hasControlCharacter(name)) {
            // Names reach emails, SMS, CSV and the CAP and Atom feeds, where XML cannot hold most of them.
            throw featureError(index, "the area name holds a control character (a line break, tab or NUL)");
        }
        Area area = new Area(id, name == null ? id : name);
        Geometry geometry = geometry(node.path("geometry"), index);
        TopologyValidationError invalid = new IsValidOp(geometry).getValidationError();
        if (invalid != null) {
            throw featureError(index, area, "not a valid polygon: " + invalid.getMessage() + " at or near "
                    + position(invalid.getCoordinate()) + " (lon, lat)");
        }
        return new Feature(area, geometry);
    }

    /** A coordinate as a GeoJSON position, without the trailing zeros a double would print. */
    private static String position(Coordinate c) {
        return "[" + BigDecimal.valueOf(c.x).stripTrailingZeros().toPlainString() + ", "
                + BigDecimal.valueOf(c.y).stripTrailingZeros().toPlainString() + "]";
    }

    /** An id as a message can show it: control characters escaped, at most 80 characters. */
    private static String printable(String id) {
        StringBuilder out = new StringBuilder();
        id.codePoints().limit(80).forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
                : Character.toString(c)));
        return id.codePointCount(0, id.length()) > 80 ? out + "..." : out.toString();
    }

    private static boolean hasControlCharacter(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }

    private static String firstText(JsonNode properties, List<String> names) {
        for (String name : names) {
            JsonNode value = properties.path(name);
            if (value.isTextual() && !value.asText().isBlank()) {
                return value.asText().strip();
            }
            if (value.isIntegralNumber()) {
                return value.bigIntegerValue().toString();
            }
        }
        return null;
    }

    private Geometry geometry(JsonNode geometry, int index) {
        if (!geometry.isObject()) {
            throw featureError(index, "no geometry");
        }
        String type = geometry.path("type").asText("(none)");
        JsonNode coordinates = geometry.path("coordinates");
        try {
            return switch (type) {
                case "Polygon" -> polygon(coordinates);
                case "MultiPolygon" -> {
                    Polygon[] parts = new Polygon[arraySize(coordinates, 1)];
                    for (int p = 0; p < parts.length; p++) {
                        parts[p] = polygon(coordinates.get(p));
                    }
                    yield factory.createMultiPolygon(parts);
                }
                default -> throw featureError(index,
                        "unsupported geometry type " + type + " (expected Polygon or MultiPolygon)");
            };
        } catch (NotLonLat e) {
            throw featureError(index, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw featureError(index, "invalid " + type + " coordinates");
        }
    }

    private Polygon polygon(JsonNode rings) {
        LinearRing[] parsed = new LinearRing[arraySize(rings, 1)];
        for (int r = 0; r < parsed.length; r++) {
            JsonNode ring = rings.get(r);
            Coordinate[] points = new Coordinate[arraySize(ring, 4)];
            for (int c = 0; c < points.length; c++) {
                JsonNode position = ring.get(c);
                arraySize(position, 2);
                if (!position.get(0).isNumber() || !position.get(1).isNumber()) {
                    throw new IllegalArgumentException("position is not numeric");
                }
                points[c] = lonLat(position);
            }
            parsed[r] = factory.createLinearRing(points);
        }
        LinearRing[] holes = new LinearRing[parsed.length - 1];
        System.arraycopy(parsed, 1, holes, 0, holes.length);
        return factory.createPolygon(parsed[0], holes);
    }

    /**
     * A position in degrees of WGS 84, as RFC 7946 says. A file in a projected system (metres) would otherwise load,
     * and then every located record would fall outside every area; a number too large for a double is infinite.
     */
    private static Coordinate lonLat(JsonNode position) {
        double lon = position.get(0).doubleValue();
        double lat = position.get(1).doubleValue();
        if (!Double.isFinite(lon) || !Double.isFinite(lat)) {
            throw new NotLonLat("a position holds a number too large to be a coordinate");
        }
        if (Math.abs(lon) > 180 || Math.abs(lat) > 90) {
            throw new NotLonLat("position " + position + " is not a longitude and latitude in degrees (lon -180 to"
                    + " 180, lat -90 to 90); GeoJSON is in WGS 84, not in a projected system");
        }
        return new Coordinate(lon, lat);
    }

    /** A position that is a pair of numbers, but not of degrees; its message says which. */
    private static final class NotLonLat extends IllegalArgumentException {
        NotLonLat(String message) {
            super(message);
        }
    }

    private static int arraySize(JsonNode node, int minimum) {
        if (!node.isArray() || node.size() < minimum) {
            throw new IllegalArgumentException("expected an array of at least " + minimum);
        }
        return node.size();
    }

    private BoundaryException fileError(String problem) {
        return new BoundaryException("boundary file " + label + ": " + problem);
    }

    private BoundaryException featureError(int index, String problem) {
        return new BoundaryException("boundary file " + label + ", feature " + index + ": " + problem);
    }

    /** Names the area too, once it is known, so the user can find the feature in a GIS by id or name. */
    private BoundaryException featureError(int index, Area area, String problem) {
        return new BoundaryException("boundary file " + label + ", feature " + index + " (" + which(area) + "): "
                + problem);
    }

    private static String which(Area area) {
        return area.name().equals(area.id()) ? "area " + area.id() : "area " + area.id() + ", " + area.name();
    }
}
