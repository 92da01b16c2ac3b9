package lookout.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs the state part in a JVM of its own. Ten thousand areas of detection state (rings of daily and hourly
 * counts per area and signal, about 300 MiB) beside the in-JVM broker, the dedupe set of 900,000 events and the
 * boundary indexes need more than the 1 GiB the rest of the bench runs in; a fresh JVM also keeps the other
 * parts' garbage out of the state's heap figure.
 */
final class StateChildJvm {
    static final String HEAP = "-Xmx3g";
    /** Below this maximum heap the state part is not run in the bench's own JVM. */
    static final long NEEDED_HEAP_BYTES = 2_500L << 20;

    private StateChildJvm() {}

    static boolean needed(BenchSettings s) {
        return !s.quick() && Runtime.getRuntime().maxMemory() < NEEDED_HEAP_BYTES;
    }

    static List<Figure> run(BenchSettings s, PrintStream log) throws IOException, InterruptedException {
        Path dir = s.dir().resolve("state-jvm");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-Xmx") && !arg.startsWith("-XX:StartFlightRecording") && !arg.startsWith("-agent")) {
                command.add(arg);
            }
        }
        command.addAll(List.of(HEAP, "-cp", System.getProperty("java.class.path"), "lookout.kernel.Main", "bench",
                "--parts", "state", "--dir", dir.toString(), "--shared", s.sharedDir().toString(),
                "--seed", Long.toString(s.seed()), "--parallelism", Integer.toString(s.parallelism()),
                "--checkpoint-interval", Long.toString(s.checkpointInterval().toSeconds())));
        log.printf("bench: state part in a JVM of its own (%s)%n", HEAP);
        Process child = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int exit = child.waitFor();
        if (exit != 0) {
            return List.of(Figure.missing("state.child_jvm", "", "the state part's JVM exited with status " + exit));
        }
        List<Figure> figures = new ArrayList<>();
        for (JsonNode f : new ObjectMapper().readTree(Files.readString(dir.resolve("report.json"))).get("figures")) {
            String name = f.get("name").asText();
            if (name.startsWith("state.")) {
                figures.add(new Figure(name, f.get("value").isNull() ? Double.NaN : f.get("value").asDouble(),
                        f.get("unit").asText(), f.get("events").asLong(),
                        f.get("note").asText() + " (in a JVM of its own, " + HEAP + ")"));
            }
        }
        return figures;
    }
}
