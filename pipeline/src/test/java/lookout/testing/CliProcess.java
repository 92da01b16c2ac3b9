package lookout.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import lookout.kernel.ChildJvmOptions;

/**
 * {@code ./lookout COMMAND} as a user runs it: its own JVM, working directory, environment and temp directory,
 * so that what it leaves behind, the sockets it opens and its exit code can be checked.
 */
public final class CliProcess {
    /** How Flink's ExecutionGraph logs a job's change of state. */
    private static final Pattern JOB_STATE_CHANGE = Pattern.compile("Job .* switched from state (\\w+ to \\w+)\\.$");

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final Path attempts;

    private CliProcess(Process process, Path stdout, Path stderr, Path attempts) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.attempts = attempts;
    }

    /**
     * Starts the command line in a JVM of its own, with {@link ChildJvmOptions#extra()} after its own options, and
     * the logging a user gets: Flink's test jars on the test class path carry a {@code log4j2-test.properties} that
     * Log4j would otherwise prefer, and that silences what a user would see. Only what the tests' own probes cause is
     * left out ({@code lookout/testing/probe-log4j2.properties}), and the job's attempts are also written to
     * attempts.txt ({@link #jobStateChanges()}).
     *
     * @param logs where stdout.txt, stderr.txt and attempts.txt go
     * @param tmp the process's java.io.tmpdir
     */
    public static CliProcess start(Path workingDir, Path logs, Path tmp, Map<String, String> env, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-Djava.io.tmpdir=" + tmp, "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=lookout",
                "-Dlookout.testing.logs=" + logs, "-Dlog4j2.configurationFile=log4j2.properties,"
                        + "lookout/testing/probe-log4j2.properties,lookout/testing/attempts-log4j2.properties"));
        command.addAll(ChildJvmOptions.extra());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "lookout.kernel.Main"));
        command.addAll(List.of(args));
        Files.createDirectories(logs);
        Path out = logs.resolve("stdout.txt");
        Path err = logs.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("LOOKOUT_PSEUDONYM_KEY");
        pb.environment().remove("LOOKOUT_PSEUDONYM_KEY_FILE");
        pb.environment().putAll(env);
        return new CliProcess(pb.start(), out, err, logs.resolve("attempts.txt"));
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code; the process is killed and the test fails if it has not ended within {@code seconds}. */
    public int waitFor(long seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("still running after " + seconds + " s; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public String stdout() throws IOException {
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    public String stderr() throws IOException {
        return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    /**
     * The state changes of the jobs the process ran, such as {@code RUNNING to RESTARTING}, from Flink's INFO lines
     * that the console does not show; empty if no job ran.
     */
    public List<String> jobStateChanges() throws IOException {
        if (!Files.exists(attempts)) {
            return List.of();
        }
        return Files.readAllLines(attempts, StandardCharsets.UTF_8).stream().map(JOB_STATE_CHANGE::matcher)
                .filter(Matcher::find).map(m -> m.group(1)).toList();
    }

    /** Lines of stderr that belong to a Java stack trace. */
    public List<String> stackTraceLines() throws IOException {
        return stderr().lines().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by: ")).toList();
    }

    /** The lines of stderr that the command itself wrote ({@code lookout NAME: ...}), not Flink's log. */
    public List<String> commandErrors(String name) throws IOException {
        return stderr().lines().filter(l -> l.startsWith("lookout " + name + ": ")).toList();
    }
}
