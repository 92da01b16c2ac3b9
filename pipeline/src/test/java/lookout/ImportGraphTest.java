package lookout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The job's packages form layers: a package may import its own layer's packages and lower ones, never a higher one,
 * and no set of packages imports each other in a cycle. A new package must be given a layer here before it compiles
 * into the job. The edges are the {@code import lookout.*} lines (static imports included) of the job's sources.
 */
class ImportGraphTest {
    /** The layers, lowest first; {@code schema} is the generated Avro records of the schemas module. */
    static final List<Set<String>> LAYERS = List.of(
            Set.of("kernel"),
            Set.of("schema"),
            Set.of("flink"),
            Set.of("config"),
            Set.of("geo"),
            Set.of("privacy"),
            Set.of("ingest"),
            Set.of("aggregate", "link"),
            Set.of("detect"),
            Set.of("sink"),
            Set.of("job"),
            Set.of("cli"));

    private static final Path ROOT = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."));
    private static final List<Path> SOURCES = List.of(ROOT.resolve("kernel/src/main/java"),
            ROOT.resolve("pipeline/src/main/java"));
    private static final Pattern IMPORT =
            Pattern.compile("^import\\s+(?:static\\s+)?lookout\\.([a-z]+)\\.", Pattern.MULTILINE);

    /** One import of one class: {@code from} (a class) imports something of package {@code to}. */
    record Edge(String fromClass, String from, String to) {}

    @Test
    void noPackageImportsAHigherLayer() throws IOException {
        List<String> upward = new ArrayList<>();
        for (Edge e : edges(SOURCES)) {
            if (layer(e.to()) > layer(e.from())) {
                upward.add(e.fromClass() + " imports lookout." + e.to() + ": " + e.from() + " (layer " + layer(e.from())
                        + ") may not depend on " + e.to() + " (layer " + layer(e.to()) + ")");
            }
        }
        assertEquals(List.of(), upward);
    }

    @Test
    void noPackageCycle() throws IOException {
        assertEquals(List.of(), cycles(graph(edges(SOURCES))));
    }

    @Test
    void everyPackageHasALayer() throws IOException {
        List<String> unplaced = new ArrayList<>();
        List<Edge> edges = edges(SOURCES);
        assertTrue(edges.size() > 50, "expected the job's imports, found " + edges.size());
        for (Edge e : edges) {
            for (String p : List.of(e.from(), e.to())) {
                if (layer(p) < 0 && !unplaced.contains(p)) {
                    unplaced.add(p);
                }
            }
        }
        assertEquals(List.of(), unplaced, "packages without a layer in ImportGraphTest.LAYERS");
    }

    /** The README gives the layers in one parenthesis, which a layer added here alone would leave stale. */
    @Test
    void theReadmeGivesTheseLayersInOrder() throws IOException {
        String layers = LAYERS.stream().map(layer -> layer.stream().sorted().map(p -> "`" + p + "`")
                .collect(Collectors.joining(", "))).collect(Collectors.joining(" < "));
        String readme = Files.readString(ROOT.resolve("README.md")).replaceAll("\\s+", " ");
        assertTrue(readme.contains("(" + layers + ")"), "README.md should say (" + layers + ")");
    }

    /** The checks themselves: an upward import and a cycle in a small made-up source tree are found. */
    @Test
    void findsAnUpwardImportAndACycle() throws IOException {
        Path dir = Files.createTempDirectory("import-graph");
        try {
            write(dir, "privacy", "Up", "import lookout.ingest.Source;");
            write(dir, "ingest", "Source", "import lookout.privacy.Up;");
            List<Edge> edges = edges(List.of(dir));
            assertEquals(List.of(new Edge("lookout.ingest.Source", "ingest", "privacy"),
                    new Edge("lookout.privacy.Up", "privacy", "ingest")), edges);
            assertTrue(layer("ingest") > layer("privacy"));
            assertEquals(List.of("ingest -> privacy -> ingest"), cycles(graph(edges)));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void write(Path root, String pkg, String cls, String imports) throws IOException {
        Path file = root.resolve("lookout").resolve(pkg).resolve(cls + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "package lookout." + pkg + ";\n\n" + imports + "\n\nclass " + cls + " {}\n");
    }

    static int layer(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        return -1;
    }

    /** Every import between two different packages, sorted by importing class. */
    static List<Edge> edges(List<Path> roots) throws IOException {
        List<Edge> edges = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root.resolve("lookout"))) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root.resolve("lookout"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    Path relative = root.relativize(file);
                    String from = relative.getName(1).toString();
                    String fromClass = relative.toString().replace(".java", "")
                            .replace(file.getFileSystem().getSeparator(), ".");
                    Matcher m = IMPORT.matcher(Files.readString(file));
                    Set<String> targets = new TreeSet<>();
                    while (m.find()) {
                        targets.add(m.group(1));
                    }
                    targets.stream().filter(to -> !to.equals(from))
                            .forEach(to -> edges.add(new Edge(fromClass, from, to)));
                }
            }
        }
        return edges;
    }

    static Map<String, Set<String>> graph(List<Edge> edges) {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Edge e : edges) {
            graph.computeIfAbsent(e.from(), k -> new TreeSet<>()).add(e.to());
            graph.computeIfAbsent(e.to(), k -> new TreeSet<>());
        }
        return graph;
    }

    /** One cycle per package that starts one (depth-first, packages in name order), written {@code a -> b -> a}. */
    static List<String> cycles(Map<String, Set<String>> graph) {
        List<String> found = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        for (String start : graph.keySet()) {
            walk(start, graph, new ArrayList<>(), done, found);
        }
        return found;
    }

    private static void walk(String pkg, Map<String, Set<String>> graph, List<String> path, Set<String> done,
            List<String> found) {
        int seen = path.indexOf(pkg);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(pkg);
            found.add(String.join(" -> ", cycle));
            return;
        }
        if (done.contains(pkg)) {
            return;
        }
        path.add(pkg);
        for (String next : graph.get(pkg)) {
            walk(next, graph, path, done, found);
        }
        path.remove(path.size() - 1);
        done.add(pkg);
    }
}
