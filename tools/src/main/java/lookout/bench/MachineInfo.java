package lookout.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What every figure is printed with: the machine's cores, the JVM and its heap settings, and this process's
 * peak resident memory (Linux's VmHWM, which the kernel lets a process reset so each phase gets its own peak).
 */
public record MachineInfo(int cores, String jvm, String heapFlags, long maxHeapMiB, String gc) {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private static final Path LOAD_AVERAGE = Path.of("/proc/loadavg");

    public static MachineInfo current() {
        List<String> arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> flags = arguments.stream()
                .filter(a -> a.startsWith("-Xm") || a.startsWith("-XX:MaxRAM") || a.startsWith("-XX:+Use"))
                .toList();
        String gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
        // The launcher's JIT thresholds change the compiler's share of a run, so the figures name them.
        String jit = arguments.stream().filter(a -> a.startsWith("-XX:Tier")).map(a -> " " + a)
                .collect(Collectors.joining());
        return new MachineInfo(Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + jit,
                flags.isEmpty() ? "(JVM default)" : String.join(" ", flags),
                Runtime.getRuntime().maxMemory() >> 20, gc);
    }

    /** Peak resident set size of this process in MiB since start or the last {@link #resetPeakRss()}; -1 off Linux. */
    public static long peakRssMiB() {
        return statusKiB("VmHWM:") >> 10;
    }

    public static long rssMiB() {
        return statusKiB("VmRSS:") >> 10;
    }

    /** Resets the peak to the current RSS; false where the kernel does not allow it (then the peak is the process's). */
    public static boolean resetPeakRss() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * The one-minute load average: on a machine shared with other work, a load above the core count means
     * the figures beside it were measured with less than the whole machine. NaN where unknown.
     */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(LOAD_AVERAGE).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * CPU time this process has used, in seconds, over all its threads (native DuckDB threads included). On
     * a shared machine, events per CPU-second compare runs fairly where events per wall-second cannot.
     */
    public static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    /** Heap in use after a full collection, in MiB: what live objects hold, not garbage awaiting collection. */
    public static long liveHeapMiB() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
    }

    private static long statusKiB(String field) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1024;
        }
        return -1024;
    }
}
