package lookout.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The JDK's {@code jcmd}, asked about one of the cluster's JVMs: what the tests read of class loaders and metaspace. */
final class Jcmd {
    /** "Both: N chunks, C MB capacity, C MB (p%) committed, U MB (p%) used, ...": the figure before "used". */
    private static final Pattern USED = Pattern.compile("([0-9.]+ [KMG]B) \\([^)]*\\) used");

    private Jcmd() {
    }

    /** The lines {@code jcmd PID COMMAND...} prints; a command that fails is an error naming its output. */
    static List<String> run(long pid, String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid)));
        argv.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(argv).redirectErrorStream(true).start();
        List<String> lines = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        if (jcmd.waitFor() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + String.join("\n", lines));
        }
        return lines;
    }

    /** The metaspace in use after a full collection, as {@code VM.metaspace} sums it ("Total Usage", both spaces). */
    static String metaspaceUsedAfterGc(long pid) throws IOException, InterruptedException {
        run(pid, "GC.run");
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
