package lookout.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.bench.BenchCity;
import lookout.bench.ContractLines;
import lookout.bench.MachineInfo;
import lookout.config.KafkaTopics;
import lookout.config.LookoutConfig;
import lookout.ingest.KafkaCluster;
import lookout.replay.KafkaPublisher;

/**
 * The figures of docs/SCALING.md, measured on the multi-process cluster: for parallelism 1, 2 and 4, the catch-up
 * throughput of a backlog in Kafka (events per wall second, TaskManager CPU per event, the largest checkpoint)
 * and the end-to-end latency of a live stream (publish to visible in the published snapshot). Not a test (no
 * figure is asserted, and surefire does not pick it up): run it with
 * {@code mvn -B verify -Pjob-jar -pl tools -am -Dtest=ClusterScalingMeasurement -Dsurefire.failIfNoSpecifiedTests=false
 * -Dlookout.cluster.measure=true}; it prints one table row per parallelism with the load average beside it.
 */
class ClusterScalingMeasurement {
    private static final int BACKLOG = 100_000;
    private static final int LIVE_RATE = 50;
    private static final Duration LIVE_FOR = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        assumeTrue(Boolean.getBoolean("lookout.cluster.measure"), "set -Dlookout.cluster.measure=true to measure");
        assumeTrue(Files.isRegularFile(LookoutOnCluster.jobJar()), "no job jar: build with -Pjob-jar");
        StringBuilder notes = new StringBuilder();
        BenchCity city = BenchCity.toronto(Path.of(System.getProperty("lookout.shared.dir", "../shared")), notes);
        System.out.print(notes);
        List<String> rows = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
             FlinkCluster cluster = FlinkCluster.in(dir.resolve("flink"))
                     .jobManagerEnv("LOOKOUT_PSEUDONYM_KEY", LookoutOnCluster.newKey())
                     .set("taskmanager.load-balance.mode", "SLOTS").start()) {
            String jar = cluster.uploadJar(LookoutOnCluster.jobJar());
            List<String> backlog = lines(city, BACKLOG, Duration.ofDays(60), 7);
            for (int p : new int[] {1, 2, 4}) {
                rows.add(measure(cluster, broker, jar, city, backlog, p));
            }
        }
        System.out.println("| parallelism | backlog events/s | TaskManager CPU µs/event | largest checkpoint MiB"
                + " | latency p50 / p95 / max ms (" + LIVE_RATE + " events/s) | load average |");
        rows.forEach(System.out::println);
    }

    private String measure(FlinkCluster cluster, KafkaBroker broker, String jar, BenchCity city, List<String> backlog, int p)
            throws Exception {
        Map<String, String> settings = Map.of("parallelism", String.valueOf(p), "boundaries", city.boundarySetting(),
                "checkpoint.interval", "PT1S");
        LookoutConfig config = topics(broker, "backlog-" + p, settings);
        LookoutOnCluster.publish(config, backlog);
        double load = MachineInfo.loadAverage();
        double cpuBefore = taskManagerCpuSeconds(cluster);
        String job = LookoutOnCluster.submitRun(cluster, jar, dir.resolve("backlog-" + p + ".properties"), true, null);
        cluster.awaitAllTasksRunning(job, Duration.ofSeconds(120));
        long start = System.nanoTime();
        cluster.awaitJobState(job, Set.of("FINISHED"), Duration.ofMinutes(15));
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = taskManagerCpuSeconds(cluster) - cpuBefore;
        assertEquals(BACKLOG, Tables.dailyTotal(config.db()), "every event counted once");
        long stateBytes = cluster.get("/jobs/" + job + "/checkpoints")
                .map(c -> c.path("summary").path("state_size").path("max").asLong()).orElse(-1L);

        LookoutConfig live = topics(broker, "live-" + p, settings);
        String liveJob = LookoutOnCluster.submitRun(cluster, jar, dir.resolve("live-" + p + ".properties"), false, null);
        cluster.awaitAllTasksRunning(liveJob, Duration.ofSeconds(120));
        long[] latencies = liveLatencies(city, live);
        cluster.cancel(liveJob, Duration.ofSeconds(60));
        load = Math.max(load, MachineInfo.loadAverage());
        return String.format("| %d | %,.0f | %.0f | %.1f | %d / %d / %d | %.1f |", p, BACKLOG / seconds,
                cpu * 1e6 / BACKLOG, stateBytes / 1048576.0, percentile(latencies, 0.5), percentile(latencies, 0.95),
                latencies[latencies.length - 1], load);
    }

    private LookoutConfig topics(KafkaBroker broker, String name, Map<String, String> settings) throws Exception {
        LookoutConfig config = LookoutConfig.load(LookoutOnCluster.writeConfig(dir, name, broker, settings));
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), KafkaTopics.inputs(config), 4);
        return config;
    }

    /** {@code n} valid events spread over the {@code span} before now. */
    private static List<String> lines(BenchCity city, int n, Duration span, long seed) {
        ContractLines factory = new ContractLines(city.index(), ZoneId.of("America/Toronto"), seed);
        long end = System.currentTimeMillis() - 60_000;
        long step = span.toMillis() / n;
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            lines.add(factory.valid(factory.drawSource(), end - span.toMillis() + i * step));
        }
        return lines;
    }

    /**
     * Publishes {@link #LIVE_RATE} events a second for {@link #LIVE_FOR}, each occurring a few seconds before it
     * is sent, and polls the published snapshot every 50 ms: event i's latency is the time from its send to the
     * first snapshot counting at least i + 1 events.
     */
    private long[] liveLatencies(BenchCity city, LookoutConfig config) throws Exception {
        ContractLines factory = new ContractLines(city.index(), ZoneId.of("America/Toronto"), 99);
        int n = (int) (LIVE_RATE * LIVE_FOR.toSeconds());
        long[] sentAt = new long[n];
        Thread producer = new Thread(() -> {
            try (KafkaPublisher publisher = new KafkaPublisher(config)) {
                long begin = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    long due = begin + i * 1_000_000_000L / LIVE_RATE;
                    while (System.nanoTime() < due) {
                        Thread.onSpinWait();
                    }
                    publisher.publish(factory.valid(factory.drawSource(), System.currentTimeMillis() - 5_000)
                            .getBytes(StandardCharsets.UTF_8));
                    publisher.flush();
                    sentAt[i] = System.nanoTime();
                }
            }
        }, "live producer");
        producer.start();
        long[] visibleAt = new long[n];
        int seen = 0;
        long deadline = System.nanoTime() + LIVE_FOR.toNanos() + Duration.ofSeconds(90).toNanos();
        while (seen < n && System.nanoTime() < deadline) {
            long total;
            try {
                total = Tables.dailyTotal(config.db());
            } catch (Exception e) {
                total = seen;
            }
            long now = System.nanoTime();
            for (; seen < Math.min(total, n); seen++) {
                visibleAt[seen] = now;
            }
            Thread.sleep(50);
        }
        producer.join();
        assertEquals(n, seen, "every live event became visible");
        long[] latencies = new long[n];
        for (int i = 0; i < n; i++) {
            latencies[i] = Math.max(0, (visibleAt[i] - sentAt[i]) / 1_000_000);
        }
        Arrays.sort(latencies);
        return latencies;
    }

    private static long percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** User plus system CPU of the live TaskManager JVMs (Linux /proc/PID/stat, 100 ticks a second). */
    private static double taskManagerCpuSeconds(FlinkCluster cluster) throws IOException {
        double total = 0;
        for (int i = 0; i < 2; i++) {
            String stat = Files.readString(Path.of("/proc/" + cluster.taskManager(i).pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        }
        return total;
    }
}
