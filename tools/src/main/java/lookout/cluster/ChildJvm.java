package lookout.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import lookout.kernel.ChildJvmOptions;

/**
 * One child JVM of the test cluster (a JobManager, a TaskManager, the broker), started with {@link ProcessBuilder}
 * and its output in a log file. Every child still alive when the test JVM exits is killed by one shutdown hook, so
 * an aborted test run (a timeout, Ctrl-C, a failed assertion before {@code close}) leaves no process behind.
 */
public final class ChildJvm {
    private static final Set<ChildJvm> ALIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALIVE.forEach(ChildJvm::kill), "kill cluster child JVMs"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java jvmArgs... mainClass args...} with {@code classPath}, {@code tmp} as its java.io.tmpdir and
     * stdout and stderr appended to {@code log}; {@code env} is added to this JVM's environment.
     */
    public static ChildJvm start(String name, String classPath, List<String> jvmArgs, String mainClass, List<String> args,
            Path tmp, Path log, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Djava.io.tmpdir=" + tmp);
        command.addAll(jvmArgs);
        command.addAll(ChildJvmOptions.extra());
        command.addAll(List.of("-cp", classPath, mainClass));
        command.addAll(args);
        Files.createDirectories(tmp);
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        ChildJvm child = new ChildJvm(name, pb.start(), log);
        ALIVE.add(child);
        return child;
    }

    /** Runs a short-lived JVM to its end and returns its output; fails unless it exits 0 within {@code timeout}. */
    public static String run(String classPath, String mainClass, List<String> args, Path tmp, Path log, Duration timeout)
            throws IOException, InterruptedException {
        ChildJvm child = start(mainClass, classPath, List.of("-Xmx128m", "-XX:-UsePerfData"), mainClass, args, tmp, log, Map.of());
        if (!child.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            child.kill();
            throw new IllegalStateException(mainClass + " did not end within " + timeout.toSeconds() + " s; see " + log);
        }
        ALIVE.remove(child);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (child.process.exitValue() != 0) {
            throw new IllegalStateException(mainClass + " exited " + child.process.exitValue() + ": " + output);
        }
        return output;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** User plus system CPU the child has used so far, as the operating system counts it; 0 where it cannot tell. */
    public double cpuSeconds() {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Waits for the process to end by itself; its exit code. Fails (and kills it) after {@code timeout}. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException(name + " did not end within " + timeout.toSeconds() + " s:\n" + tail(30));
        }
        ALIVE.remove(this);
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye to the cluster; returns once the process is gone. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM (the JVM runs its shutdown hooks), then SIGKILL if it has not ended within {@code grace}. */
    public void stop(Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
        ALIVE.remove(this);
    }

    private void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " (pid " + pid() + ") still alive " + timeout.toSeconds() + " s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " to end", e);
        }
        ALIVE.remove(this);
    }

    /** The last {@code lines} lines of its log, for failure messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Its name and pid, and its exit code once it has ended: what a failure message names it by. */
    @Override
    public String toString() {
        return name + " (pid " + pid() + (process.isAlive() ? ")" : ", exited " + process.exitValue() + ")");
    }

    /** Child JVMs started by this test JVM that have not been stopped or killed. */
    public static Set<ChildJvm> alive() {
        return Set.copyOf(ALIVE);
    }
}
