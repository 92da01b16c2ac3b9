package lookout.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.management.ObjectName;

/**
 * The CPU this JVM uses over an interval, accounted by thread: every thread's user + system time is read from
 * {@code /proc/self/task/TID/stat} every {@link #PERIOD_MS} ms (threads that end between two readings lose at most
 * one period, reported as {@code unattributed}), and the whole process's from {@code /proc/self/stat}, which keeps
 * ended threads' time. A thread is classified when first seen, by the name the JVM gives it in a thread dump
 * (the {@code DiagnosticCommand} MBean's {@code threadPrint}, which names Java threads and the JVM's own): a task
 * thread the JVM does not know is a native library's, here DuckDB's worker threads (DuckDB's work on the calling
 * Java thread counts to that thread). Linux only; elsewhere {@link #start()} returns an account of nothing.
 */
final class ThreadCpu implements AutoCloseable {
    static final long PERIOD_MS = 200;
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final Path PROCESS = Path.of("/proc/self/stat");
    private static final Pattern DUMP_LINE = Pattern.compile("^\"(.*)\" .*\\bnid=(0x[0-9a-fA-F]+|[0-9]+)");
    /** Flink's task threads: "operator chain (subtask/parallelism)#attempt". */
    private static final Pattern TASK_THREAD = Pattern.compile(".* \\(\\d+/\\d+\\)#\\d+$");

    /** Where CPU goes, in the order the report lists them. */
    enum Kind {
        JIT("JIT compiler threads"),
        GC("garbage collector threads"),
        DUCKDB_NATIVE("native threads the JVM does not know: DuckDB's workers"),
        FLINK_TASKS("Flink task threads: the operator chains (incl. DuckDB work a sink does on its own thread)"),
        FLINK_SORT("Flink BATCH sort/merge/spill threads"),
        OTHER("every other thread: Flink's runtime and network, the JVM's VM thread, the bench's own");

        final String what;

        Kind(String what) {
            this.what = what;
        }

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * What the interval used: {@code totalSeconds} of the process, split into {@code byKind} and
     * {@code unattributed} (threads that ended within a period of their last reading); {@code byGroup} names the
     * threads (subtasks and pool members merged), largest first.
     */
    record Account(double totalSeconds, Map<Kind, Double> byKind, Map<String, Double> byGroup, double unattributed) {
        double seconds(Kind kind) {
            return byKind.getOrDefault(kind, 0.0);
        }

        double attributedShare() {
            return totalSeconds > 0 ? (totalSeconds - unattributed) / totalSeconds : Double.NaN;
        }

        static Account none() {
            return new Account(Double.NaN, Map.of(), Map.of(), Double.NaN);
        }
    }

    private record Seen(Kind kind, String group, long startTicks) {}

    private final double ticksPerSecond = ticksPerSecond();
    private final Map<Long, Seen> seen = new HashMap<>();
    private final Map<Long, Long> lastTicks = new HashMap<>();
    private final long processStartTicks;
    private final Thread sampler;
    private volatile boolean running = true;

    private ThreadCpu() {
        processStartTicks = processTicks();
        sample(true);
        sampler = new Thread(this::loop, "bench thread-cpu sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts accounting now; {@link #stop()} ends it. */
    static ThreadCpu start() {
        return new ThreadCpu();
    }

    static boolean available() {
        return Files.isDirectory(TASKS) && Files.isReadable(PROCESS);
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(PERIOD_MS);
            } catch (InterruptedException e) {
                return;
            }
            sample(false);
        }
    }

    /** Ends the interval and accounts for it. */
    synchronized Account stop() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample(false);
        if (!available()) {
            return Account.none();
        }
        Map<Kind, Double> byKind = new LinkedHashMap<>();
        for (Kind k : Kind.values()) {
            byKind.put(k, 0.0);
        }
        Map<String, Double> byGroup = new HashMap<>();
        double attributed = 0;
        for (Map.Entry<Long, Seen> e : seen.entrySet()) {
            double s = (lastTicks.get(e.getKey()) - e.getValue().startTicks()) / ticksPerSecond;
            if (s <= 0) {
                continue;
            }
            byKind.merge(e.getValue().kind(), s, Double::sum);
            byGroup.merge(e.getValue().group(), s, Double::sum);
            attributed += s;
        }
        double total = (processTicks() - processStartTicks) / ticksPerSecond;
        Map<String, Double> sorted = new LinkedHashMap<>();
        byGroup.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new Account(total, byKind, sorted, Math.max(0, total - attributed));
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }

    private synchronized void sample(boolean baseline) {
        Map<Long, String> unknown = new HashMap<>();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                long tid;
                String stat;
                try {
                    tid = Long.parseLong(task.getFileName().toString());
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException | NumberFormatException e) {
                    continue; // the thread ended while being read
                }
                int close = stat.lastIndexOf(')');
                String[] fields = stat.substring(close + 2).split(" ");
                // After "pid (comm) ": state is field 3, utime field 14 and stime field 15 of stat(5).
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                lastTicks.put(tid, ticks);
                if (!seen.containsKey(tid)) {
                    unknown.put(tid, stat.substring(stat.indexOf('(') + 1, close));
                    seen.put(tid, new Seen(Kind.OTHER, "?", baseline ? ticks : 0));
                }
            }
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (!unknown.isEmpty()) {
            Map<Long, String> names = jvmThreadNames();
            for (Map.Entry<Long, String> u : unknown.entrySet()) {
                String name = names.get(u.getKey());
                Seen s = seen.get(u.getKey());
                seen.put(u.getKey(), name == null
                        ? new Seen(Kind.DUCKDB_NATIVE, "native (named after its creator: " + u.getValue() + ")", s.startTicks())
                        : new Seen(kindOf(name), group(name), s.startTicks()));
            }
        }
    }

    static Kind kindOf(String name) {
        if (name.startsWith("C1 CompilerThread") || name.startsWith("C2 CompilerThread")
                || name.startsWith("Sweeper thread") || name.startsWith("JVMCI")) {
            return Kind.JIT;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("ZWorker")
                || name.startsWith("Shenandoah")) {
            return Kind.GC;
        }
        if (name.startsWith("SortMerger")) {
            return Kind.FLINK_SORT;
        }
        if (TASK_THREAD.matcher(name).matches()) {
            return Kind.FLINK_TASKS;
        }
        return Kind.OTHER;
    }

    /** A thread's name with its subtask, attempt and pool numbers taken off, so that its kind's threads add up. */
    static String group(String name) {
        return name.replaceAll(" \\(\\d+/(\\d+)\\)#\\d+$", " (*/$1)").replaceAll("[#-]?\\d+$", "#*");
    }

    /** Native thread id to name, for every thread the JVM knows: Java threads and its own (VM, GC, JIT). */
    private static Map<Long, String> jvmThreadNames() {
        Map<Long, String> names = new HashMap<>();
        try {
            Object dump = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            for (String line : dump.toString().split("\n")) {
                Matcher m = DUMP_LINE.matcher(line);
                if (m.find()) {
                    String nid = m.group(2);
                    names.put(nid.startsWith("0x") ? Long.parseLong(nid.substring(2), 16) : Long.parseLong(nid), m.group(1));
                }
            }
        } catch (Exception e) {
            // Without a dump every thread counts as native: the report then shows an implausible native share.
        }
        return names;
    }

    private static long processTicks() {
        try {
            String stat = Files.readString(PROCESS);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** USER_HZ, the unit of /proc's times: 100 on every Linux this runs on, asked of getconf to be sure. */
    private static double ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 ? Double.parseDouble(out) : 100;
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return 100;
        }
    }

    /** The account as a list of kinds for the report's note: "jit 12.1 s (10 %), ...". */
    static String describe(Account a, int topGroups) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Kind, Double> e : a.byKind().entrySet()) {
            b.append(String.format("%s %.1f s (%.0f %%), ", e.getKey().key(), e.getValue(), 100 * e.getValue() / a.totalSeconds()));
        }
        b.append(String.format("unattributed %.1f s; top threads: ", a.unattributed()));
        List<Map.Entry<String, Double>> top = a.byGroup().entrySet().stream().limit(topGroups).toList();
        for (int i = 0; i < top.size(); i++) {
            b.append(i > 0 ? "; " : "").append(String.format("%s %.1f s", top.get(i).getKey(), top.get(i).getValue()));
        }
        return b.toString();
    }
}
