package lookout.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import lookout.kernel.StrayRpcErrors;

/**
 * Runs one backfill in a JVM of its own, so that each run pays its own start-up and JIT compilation (a second run in
 * the same JVM would reuse the first's compiled code, and the difference between two sizes would hide the fixed
 * cost) and its peak memory and CPU by thread are its own. The child gets this JVM's flags (the heap limit
 * included); a flight recording is kept only for the run that asks for it.
 */
final class BackfillChildJvm {
    private BackfillChildJvm() {}

    static BackfillBench.Result run(String label, List<Path> inputs, Path db, BenchCity city, int parallelism,
            boolean keepRecording, PrintStream log) throws IOException, InterruptedException {
        Path result = db.resolveSibling(db.getFileName() + ".result.json");
        Files.deleteIfExists(result);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agent") && (keepRecording || !arg.startsWith("-XX:StartFlightRecording"))) {
                command.add(arg);
            }
        }
        // Settings a test harness sets as properties rather than flags (Avro's trusted packages, the shared data).
        for (String key : List.of("org.apache.avro.SERIALIZABLE_PACKAGES", "lookout.shared.dir")) {
            String value = System.getProperty(key);
            if (value != null) {
                command.add("-D" + key + "=" + value);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BackfillChildJvm.class.getName(),
                result.toString(), db.toString(), city.boundarySetting(), Integer.toString(parallelism)));
        inputs.forEach(p -> command.add(p.toString()));
        log.printf("bench:   %s: %d file(s), in a JVM of its own%n", label, inputs.size());
        Process child = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int exit = child.waitFor();
        if (exit != 0 || !Files.isRegularFile(result)) {
            throw new IOException("the " + label + " backfill's JVM exited with status " + exit);
        }
        return JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build().readValue(result.toFile(), BackfillBench.Result.class);
    }

    /** Arguments: result file, DuckDB file, boundaries setting, parallelism, input files. */
    public static void main(String[] args) throws Exception {
        StrayRpcErrors.install();
        List<Path> inputs = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            inputs.add(Path.of(args[i]));
        }
        BackfillBench.Result r = BackfillBench.run(inputs, Path.of(args[1]), args[2], Integer.parseInt(args[3]));
        new JsonMapper().writeValue(Path.of(args[0]).toFile(), r);
        System.exit(0);
    }
}
