package lookout.detect;

import java.io.Serializable;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The space-time scan's settings: its zones and threshold, the areas' names (alerts name a cluster's areas in
 * words) and the most cluster alerts open at once per signal. Defaults and the figures behind them are in
 * docs/DETECTION.md.
 *
 * @param scan     the zones and the calibrated threshold
 * @param names    area id to name; an area without one is called "area ID"
 * @param maxOpen  cluster alerts open at once per signal; a further cluster waits until one closes
 */
public record ScanSettings(SpaceTimeScan scan, Map<String, String> names, int maxOpen) implements Serializable {
    /** The most areas in one zone: a cluster spread over 2-5 areas is what the scan is for. */
    public static final int MAX_AREAS = 5;
    /**
     * The threshold on the log likelihood ratio, calibrated on the null city of {@code eval-city-detection}: see
     * docs/DETECTION.md for the false alerts it gives.
     */
    public static final double THRESHOLD = 14.0;
    /**
     * The candidate zones: every connected set of 2 to {@link #MAX_AREAS} areas ({@link ScanZones#connected}), or
     * each area grown by nearness ({@link ScanZones#of}). See docs/DETECTION.md for the figures of each.
     */
    public static final boolean CONNECTED_ZONES = true;
    /**
     * The most areas a city may have for the default scan to use every connected set: their number grows by some
     * 170-280 per area (27,267 for Toronto's 158; 556,000 for a generated city of 2,000), and the zones travel in
     * the job's graph, so a city of tens of thousands of areas would carry millions. A larger city gets the zones
     * grown by nearness, 4 per area.
     */
    public static final int CONNECTED_ZONES_MAX_CITY = 1_000;

    public ScanSettings {
        names = Map.copyOf(names);
    }

    /**
     * The default scan over the given adjacency (every area a key), with the areas' names: every connected set for a
     * city of up to {@link #CONNECTED_ZONES_MAX_CITY} areas, zones grown by nearness beyond.
     */
    public static ScanSettings defaults(Map<String, ? extends Collection<String>> adjacency, Map<String, String> names) {
        boolean connected = CONNECTED_ZONES && adjacency.size() <= CONNECTED_ZONES_MAX_CITY;
        return new ScanSettings(new SpaceTimeScan(zones(adjacency, MAX_AREAS, connected), THRESHOLD), names, 10);
    }

    /** The zones of up to {@code maxAreas} areas: every connected set, or each area's grown by nearness. */
    public static ScanZones zones(Map<String, ? extends Collection<String>> adjacency, int maxAreas,
            boolean connected) {
        return connected ? ScanZones.connected(adjacency, maxAreas) : ScanZones.of(adjacency, maxAreas);
    }

    /** No scan: a city without adjacency, or a test of the per-area detectors alone. */
    public static ScanSettings none() {
        return new ScanSettings(new SpaceTimeScan(ScanZones.of(Map.of(), MAX_AREAS), THRESHOLD), Map.of(), 0);
    }

    public boolean enabled() {
        return maxOpen > 0 && scan.zones().count() > 0;
    }

    /** The name people read for an area. */
    public String name(String areaId) {
        String n = names.get(areaId);
        return n == null ? "area " + areaId : n;
    }

    /** "Moss Park and two neighbouring areas (Regent Park and South Riverdale)": a zone's areas, centre first. */
    public String zoneInWords(List<String> areaIds) {
        String centre = name(areaIds.get(0));
        List<String> others = areaIds.subList(1, areaIds.size()).stream().map(this::name).toList();
        if (others.isEmpty()) {
            return centre;
        }
        String count = others.size() == 1 ? "a neighbouring area" : number(others.size()) + " neighbouring areas";
        return centre + " and " + count + " (" + listed(others) + ")";
    }

    /** "Regent Park, Moss Park and South Riverdale": areas named in the order given. */
    public String namesInWords(List<String> areaIds) {
        return listed(areaIds.stream().map(this::name).toList());
    }

    private static String listed(List<String> names) {
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    static String number(int n) {
        String[] words = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
        return n < words.length ? words[n] : Integer.toString(n);
    }
}
