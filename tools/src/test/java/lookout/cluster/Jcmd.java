package lookout.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JDK's {@code jcmd}, asked about one of the cluster's JVMs: what the tests read of class loaders and metaspace. */
final class Jcmd {
    /** "Both: N chunks, C MB capacity, C MB (p%) committed, U MB (p%) used, ...": the figure before "used". */
    private static final Pattern USED = Pattern.compile("([0-9.]+ [KMG]B) \\([^)]*\\) used");
    /** Before a class name: the tree's indentation, and "Classes:" or "Hidden Classes:" on a loader's first one. */
    private static final Pattern CLASS_PREFIX = Pattern.compile("^[\\s|]*((Hidden )?Classes:)?\\s*");

    private Jcmd() {
    }

    /** One class loader of a JVM ({@code "app", jdk.internal.loader.ClassLoaders$AppClassLoader}) and the classes it defined. */
    record LoaderClasses(String loader, List<String> classes) {
    }

    private static List<String> run(long pid, String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid)));
        argv.addAll(List.of(command));
        return Command.run(argv.toArray(String[]::new));
    }

    /** Every class loader of the JVM, in the order {@code VM.classloaders} prints them, with the classes it defined. */
    static List<LoaderClasses> classLoaders(long pid) throws IOException, InterruptedException {
        List<LoaderClasses> loaders = new ArrayList<>();
        for (String line : run(pid, "VM.classloaders", "show-classes=true")) {
            int header = line.indexOf("+-- ");
            if (header >= 0) {
                loaders.add(new LoaderClasses(line.substring(header + 4).strip(), new ArrayList<>()));
            } else if (!loaders.isEmpty()) {
                // Other lines of a loader's block (its oop, blank tree lines, reflection stubs) hold a space.
                String entry = CLASS_PREFIX.matcher(line).replaceFirst("");
                if (!entry.isEmpty() && !entry.contains(" ") && entry.contains(".")) {
                    loaders.get(loaders.size() - 1).classes().add(entry);
                }
            }
        }
        return loaders;
    }

    /** A full collection, which also unloads the classes of every class loader it finds unreachable. */
    static void gc(long pid) throws IOException, InterruptedException {
        run(pid, "GC.run");
    }

    /** The metaspace in use after a full collection, as {@code VM.metaspace} sums it ("Total Usage", both spaces). */
    static String metaspaceUsedAfterGc(long pid) throws IOException, InterruptedException {
        gc(pid);
        List<String> lines = run(pid, "VM.metaspace");
        int total = lines.indexOf(lines.stream().filter(l -> l.startsWith("Total Usage")).findFirst()
                .orElseThrow(() -> new IOException("no \"Total Usage\" in VM.metaspace: " + lines)));
        String both = lines.subList(total, lines.size()).stream().filter(l -> l.strip().startsWith("Both:")).findFirst()
                .orElseThrow(() -> new IOException("no \"Both:\" in VM.metaspace: " + lines));
        Matcher used = USED.matcher(both);
        if (!used.find()) {
            throw new IOException("no figure used in: " + both);
        }
        return used.group(1);
    }
}
