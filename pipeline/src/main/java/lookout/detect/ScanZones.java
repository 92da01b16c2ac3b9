package lookout.detect;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The candidate zones of the space-time scan: each area (the centre) with its nearest neighbours by adjacency.
 * From a centre, the zone grows one area at a time: the next area is one bordering the zone, nearest the centre
 * in graph distance (borders crossed), and among those the one bordering most areas already in the zone (so the
 * zone stays compact), then the smallest id. Every prefix of two areas up to {@code maxAreas} is a zone (as
 * SaTScan's circles are every radius up to a cap); a zone of one area is the per-area detectors' job and is left
 * out. Zones with the same areas from different centres are kept once.
 */
public final class ScanZones implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<String> areas;
    private final Map<String, Integer> index;
    /** Each zone's area indices, centre first, in the order the zone grew. */
    private final int[][] zones;
    /**
     * Per zone, an earlier zone with the same areas but one ({@link #NONE} for a zone of two areas, or if none is
     * listed earlier), and that one area: the scan sums a zone's counts as the smaller zone's plus the area's.
     */
    private final int[] smaller;
    private final int[] added;
    static final int NONE = -1;
    /** The fewest areas in a zone: one area alone is what the per-area detectors judge. */
    public static final int MIN_AREAS = 2;

    private ScanZones(List<String> areas, int[][] zones) {
        this.areas = List.copyOf(areas);
        this.index = new HashMap<>();
        for (int i = 0; i < areas.size(); i++) {
            index.put(areas.get(i), i);
        }
        this.zones = zones;
        this.smaller = new int[zones.length];
        this.added = new int[zones.length];
        linkSmaller();
    }

    /**
     * Finds each zone's {@link #smaller} zone: one with the same areas but one, listed before it (zones grow one
     * area at a time, so both ways of making them list a zone's smaller ones first). A zone of two areas, or one
     * whose smaller zones are none of them listed before it, is summed area by area.
     */
    private void linkSmaller() {
        Map<List<Integer>, Integer> bySet = new HashMap<>();
        for (int z = 0; z < zones.length; z++) {
            int[] members = zones[z];
            smaller[z] = NONE;
            added[z] = NONE;
            if (members.length > 2) {
                for (int i = members.length - 1; i >= 0 && smaller[z] == NONE; i--) {
                    Integer found = bySet.get(setWithout(members, i));
                    if (found != null) {
                        smaller[z] = found;
                        added[z] = members[i];
                    }
                }
            }
            bySet.putIfAbsent(setWithout(members, -1), z);
        }
    }

    /** The zone's areas in index order, without the one at position {@code skip} (none if -1). */
    private static List<Integer> setWithout(int[] members, int skip) {
        List<Integer> set = new ArrayList<>(members.length);
        for (int i = 0; i < members.length; i++) {
            if (i != skip) {
                set.add(members[i]);
            }
        }
        set.sort(null);
        return set;
    }

    /**
     * @param adjacency area id to the ids of the areas sharing a border with it (made symmetric here); every area
     *                  of the city must be a key, an area without neighbours mapping to an empty set
     * @param maxAreas  the most areas in one zone, at least {@link #MIN_AREAS}
     */
    public static ScanZones of(Map<String, ? extends Collection<String>> adjacency, int maxAreas) {
        City city = City.of(adjacency, maxAreas);
        Map<String, Set<String>> graph = city.graph();
        List<String> ids = city.ids();
        Map<String, Integer> at = city.at();
        Set<List<Integer>> seen = new HashSet<>();
        List<int[]> zones = new ArrayList<>();
        for (String centre : ids) {
            Map<String, Integer> distance = distances(graph, centre, maxAreas - 1);
            List<String> zone = new ArrayList<>(List.of(centre));
            while (zone.size() < maxAreas) {
                String next = null;
                int bestDistance = Integer.MAX_VALUE;
                int bestLinks = -1;
                for (String member : zone) {
                    for (String candidate : graph.get(member)) {
                        if (zone.contains(candidate)) {
                            continue;
                        }
                        int d = distance.get(candidate);
                        int links = (int) graph.get(candidate).stream().filter(zone::contains).count();
                        if (d < bestDistance || d == bestDistance && (links > bestLinks
                                || links == bestLinks && candidate.compareTo(next) < 0)) {
                            next = candidate;
                            bestDistance = d;
                            bestLinks = links;
                        }
                    }
                }
                if (next == null) {
                    break;
                }
                zone.add(next);
                int[] members = zone.stream().mapToInt(at::get).toArray();
                List<Integer> key = Arrays.stream(members).sorted().boxed().toList();
                if (seen.add(key)) {
                    zones.add(members);
                }
            }
        }
        return new ScanZones(ids, zones.toArray(int[][]::new));
    }

    /**
     * Every connected set of 2 to {@code maxAreas} areas, not only those grown from a centre by nearness: a
     * cluster spread over areas at random is then a zone itself, at the cost of many more zones (the evaluation's
     * hexagonal layout of 158 areas has 26,594 of up to 5 areas, against 594). Its centre (first) is the member
     * bordering most of the others, then the smallest id; the rest follow in id order.
     */
    public static ScanZones connected(Map<String, ? extends Collection<String>> adjacency, int maxAreas) {
        City city = City.of(adjacency, maxAreas);
        Map<String, Set<String>> graph = city.graph();
        List<String> ids = city.ids();
        Map<String, Integer> at = city.at();
        int[][] near = new int[ids.size()][];
        for (int i = 0; i < ids.size(); i++) {
            near[i] = graph.get(ids.get(i)).stream().mapToInt(at::get).sorted().toArray();
        }
        Set<List<Integer>> seen = new HashSet<>();
        List<int[]> zones = new ArrayList<>();
        List<List<Integer>> level = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            level.add(List.of(i));
        }
        for (int size = 2; size <= maxAreas; size++) {
            List<List<Integer>> grown = new ArrayList<>();
            for (List<Integer> set : level) {
                for (int member : set) {
                    for (int n : near[member]) {
                        if (set.contains(n)) {
                            continue;
                        }
                        List<Integer> key = new ArrayList<>(set);
                        key.add(n);
                        key.sort(null);
                        if (seen.add(key)) {
                            grown.add(key);
                            zones.add(centreFirst(key, near));
                        }
                    }
                }
            }
            level = grown;
        }
        return new ScanZones(ids, zones.toArray(int[][]::new));
    }

    /** The adjacency made symmetric, the areas in id order, and each area's index in that order. */
    private record City(Map<String, Set<String>> graph, List<String> ids, Map<String, Integer> at) {
        static City of(Map<String, ? extends Collection<String>> adjacency, int maxAreas) {
            if (maxAreas < MIN_AREAS) {
                throw new IllegalArgumentException("a zone has at least two areas");
            }
            Map<String, Set<String>> graph = symmetric(adjacency);
            List<String> ids = new ArrayList<>(graph.keySet());
            Map<String, Integer> at = new HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                at.put(ids.get(i), i);
            }
            return new City(graph, ids, at);
        }
    }

    private static int[] centreFirst(List<Integer> sorted, int[][] near) {
        int centre = sorted.get(0);
        int bestLinks = -1;
        for (int a : sorted) {
            int links = (int) Arrays.stream(near[a]).filter(sorted::contains).count();
            if (links > bestLinks) {
                centre = a;
                bestLinks = links;
            }
        }
        int[] out = new int[sorted.size()];
        out[0] = centre;
        int i = 1;
        for (int a : sorted) {
            if (a != centre) {
                out[i++] = a;
            }
        }
        return out;
    }

    private static Map<String, Set<String>> symmetric(Map<String, ? extends Collection<String>> adjacency) {
        Map<String, Set<String>> graph = new TreeMap<>();
        adjacency.forEach((a, near) -> {
            graph.computeIfAbsent(a, k -> new HashSet<>());
            for (String n : near) {
                if (!n.equals(a)) {
                    graph.get(a).add(n);
                    graph.computeIfAbsent(n, k -> new HashSet<>()).add(a);
                }
            }
        });
        return graph;
    }

    /**
     * Graph distances from {@code from}, out to {@code depth} borders: a zone of at most {@code depth + 1} areas never
     * reaches further, and searching the whole city from every centre would cost areas² (minutes at 10,000 areas).
     */
    private static Map<String, Integer> distances(Map<String, Set<String>> graph, String from, int depth) {
        Map<String, Integer> d = new HashMap<>(Map.of(from, 0));
        ArrayDeque<String> queue = new ArrayDeque<>(List.of(from));
        while (!queue.isEmpty()) {
            String a = queue.poll();
            if (d.get(a) == depth) {
                continue;
            }
            for (String n : graph.get(a)) {
                if (d.putIfAbsent(n, d.get(a) + 1) == null) {
                    queue.add(n);
                }
            }
        }
        return d;
    }

    /** The areas in id order: index i of the scan's arrays is area {@code areas().get(i)}. */
    public List<String> areas() {
        return areas;
    }

    /** The index of an area in {@link #areas()}, or -1 for an area the zones do not know. */
    public int indexOf(String area) {
        Integer i = index.get(area);
        return i == null ? -1 : i;
    }

    public int count() {
        return zones.length;
    }

    /** Zone {@code z}'s area indices, centre first. */
    public int[] zone(int z) {
        return zones[z].clone();
    }

    int[] members(int z) {
        return zones[z];
    }

    /** A zone listed before zone {@code z} with the same areas but one ({@link #added}), or {@link #NONE}. */
    int smaller(int z) {
        return smaller[z];
    }

    /** The area zone {@code z} has beyond its {@link #smaller} zone, or {@link #NONE} if it has none. */
    int added(int z) {
        return added[z];
    }
}
