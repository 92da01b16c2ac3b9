package lookout.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import lookout.cluster.FlinkCluster;
import lookout.cluster.KafkaBroker;
import lookout.cluster.LookoutOnCluster;
import lookout.config.KafkaTopics;
import lookout.config.LookoutConfig;
import lookout.ingest.KafkaCluster;
import lookout.kernel.UsageException;
import lookout.replay.KafkaPublisher;
import lookout.sink.DuckDbStore;

/**
 * The figures of docs/SCALING.md: the streaming job on a multi-process Flink cluster (a JobManager and two
 * TaskManagers of two slots, each its own JVM) fed by a KRaft broker in a JVM of its own. For parallelism 1, 2 and
 * 4: the catch-up of a backlog in Kafka ({@code run --stop-at-latest}; events per wall second, the TaskManagers'
 * CPU per event, the largest checkpoint), then a live stream (publish to counted in the published snapshot).
 */
final class ClusterBench {
    private static final int[] PARALLELISM = {1, 2, 4};
    private static final int PARTITIONS = 4;
    private static final int LIVE_RATE = 50;
    private static final int TASK_MANAGERS = 2;

    private final BenchSettings s;
    private final BenchCity city;
    private final PrintStream log;
    private final Path dir;

    ClusterBench(BenchSettings settings, BenchCity city, PrintStream log) {
        this.s = settings;
        this.city = city;
        this.log = log;
        this.dir = settings.dir().resolve("cluster");
    }

    /** Stops with one readable line when what the cluster runs has not been built (checked before any part runs). */
    static void requireBuilt() {
        if (!Files.isRegularFile(LookoutOnCluster.jobJar())) {
            throw new UsageException("the cluster part needs the job jar " + LookoutOnCluster.jobJar()
                    + ": build it with `mvn -B -DskipTests package -Pjob-jar`");
        }
        if (!Files.isDirectory(FlinkCluster.libDir())) {
            throw new UsageException("the cluster part needs Flink's class path " + FlinkCluster.libDir()
                    + ": build it with `mvn -B -DskipTests package -Pjob-jar`");
        }
    }

    List<Figure> run() throws Exception {
        int backlog = s.quick() ? 10_000 : 100_000;
        Duration liveFor = Duration.ofSeconds(s.quick() ? 10 : 30);
        StreamingRig.deleteRecursively(dir);
        List<Figure> figures = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
             FlinkCluster cluster = FlinkCluster.in(dir.resolve("flink")).taskManagers(TASK_MANAGERS)
                     .jobManagerEnv("LOOKOUT_PSEUDONYM_KEY", LookoutOnCluster.newKey()).start()) {
            String jar = cluster.uploadJar(LookoutOnCluster.jobJar());
            List<String> lines = backlog(backlog);
            for (int p : PARALLELISM) {
                figures.addAll(catchUp(cluster, broker, jar, lines, p));
                figures.addAll(live(cluster, broker, jar, p, liveFor));
            }
        } catch (Exception | AssertionError e) {
            log.println("bench: the cluster's logs are kept in " + dir);
            throw e;
        }
        StreamingRig.deleteRecursively(dir);
        return figures;
    }

    /** One catch-up: its wall time, the TaskManagers' CPU and the largest checkpoint. */
    private record CatchUp(int events, double seconds, double cpuSeconds, double checkpointMiB, String conditions) {}

    /**
     * The backlog's catch-up, and its first half's in a job of its own before it: every job loads the code afresh
     * (a class loader per job) and so pays its own JIT, and the difference between the two is the steady cost per
     * event.
     */
    private List<Figure> catchUp(FlinkCluster cluster, KafkaBroker broker, String jar, List<String> lines, int p)
            throws Exception {
        CatchUp half = catchUp(cluster, broker, jar, lines.subList(0, lines.size() / 2), p, "half-");
        CatchUp all = catchUp(cluster, broker, jar, lines, p, "");
        double steady = (all.cpuSeconds() - half.cpuSeconds()) / (all.events() - half.events());
        String name = "cluster.p" + p + ".";
        return List.of(
                new Figure(name + "backlog_events_per_s", all.events() / all.seconds(), "events/s", all.events(),
                        "submission to FINISHED, every event counted once; " + all.conditions()),
                new Figure(name + "taskmanager_cpu_us_per_event", all.cpuSeconds() * 1e6 / all.events(), "µs",
                        all.events(), String.format("user + system CPU of both TaskManager JVMs (%.1f CPU-s: JIT, GC,"
                                + " RocksDB and the DuckDB writer included) ÷ events; %s", all.cpuSeconds(),
                                all.conditions())),
                new Figure(name + "taskmanager_steady_cpu_us_per_event", steady * 1e6, "µs", all.events(),
                        String.format("(CPU of %,d events − CPU of %,d, each its own job) ÷ %,d; fixed cost per job"
                                + " %.1f CPU-s; half run: %s", all.events(), half.events(), all.events() - half.events(),
                                all.cpuSeconds() - steady * all.events(), half.conditions())),
                new Figure(name + "largest_checkpoint_mib", all.checkpointMiB(), "MiB", all.events(),
                        "the largest completed checkpoint of the catch-up (checkpoints every second); " + all.conditions()));
    }

    private CatchUp catchUp(FlinkCluster cluster, KafkaBroker broker, String jar, List<String> lines, int p, String run)
            throws Exception {
        log.printf("bench: cluster, parallelism %d: catching up a backlog of %,d events%n", p, lines.size());
        String name = run + "backlog-" + p;
        LookoutConfig config = topics(broker, name, p);
        LookoutOnCluster.publish(config, lines);
        double loadBefore = MachineInfo.loadAverage();
        double cpuBefore = taskManagerCpuSeconds(cluster);
        // Timed from the submission: a small backlog can be read to its end before the last task is deployed.
        long start = System.nanoTime();
        String job = LookoutOnCluster.submitRun(cluster, jar, dir.resolve(name + ".properties"), true, null);
        cluster.awaitJobState(job, Set.of("FINISHED"), Duration.ofMinutes(15));
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = taskManagerCpuSeconds(cluster) - cpuBefore;
        long counted = dailyTotal(config.db());
        if (counted != lines.size()) {
            throw new IllegalStateException("the cluster counted " + counted + " of " + lines.size() + " events");
        }
        double checkpointMiB = cluster.get("/jobs/" + job + "/checkpoints")
                .map(c -> c.path("summary").path("state_size").path("max").asLong()).orElse(0L) / 1048576.0;
        return new CatchUp(lines.size(), seconds, cpu, checkpointMiB, String.format(
                "parallelism %d, %,d events from %d partitions; load %.1f -> %.1f", p, lines.size(), PARTITIONS,
                loadBefore, MachineInfo.loadAverage()));
    }

    private List<Figure> live(FlinkCluster cluster, KafkaBroker broker, String jar, int p, Duration liveFor)
            throws Exception {
        log.printf("bench: cluster, parallelism %d: %d events/s live for %d s%n", p, LIVE_RATE, liveFor.toSeconds());
        LookoutConfig config = topics(broker, "live-" + p, p);
        String job = LookoutOnCluster.submitRun(cluster, jar, dir.resolve("live-" + p + ".properties"), false, null);
        cluster.awaitAllTasksRunning(job, Duration.ofSeconds(120));
        double loadBefore = MachineInfo.loadAverage();
        Latencies latencies = liveLatencies(config, liveFor);
        cluster.cancel(job, Duration.ofSeconds(60));
        String conditions = String.format("parallelism %d, %d events/s for %d s, checkpoints every second (the"
                + " snapshot is published on each); load %.1f -> %.1f", p, LIVE_RATE, liveFor.toSeconds(), loadBefore,
                MachineInfo.loadAverage());
        String name = "cluster.p" + p + ".live_latency_";
        return List.of(
                new Figure(name + "p50_ms", latencies.p50(), "ms", latencies.count(),
                        "Kafka append to counted in the published snapshot; " + conditions),
                new Figure(name + "p95_ms", latencies.p95(), "ms", latencies.count(), conditions),
                new Figure(name + "max_ms", latencies.max(), "ms", latencies.count(), conditions));
    }

    private LookoutConfig topics(KafkaBroker broker, String name, int parallelism) throws Exception {
        Map<String, String> settings = Map.of("parallelism", String.valueOf(parallelism),
                "boundaries", city.boundarySetting(), "checkpoint.interval", "PT1S");
        LookoutConfig config = LookoutConfig.load(LookoutOnCluster.writeConfig(dir, name, broker, settings));
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), KafkaTopics.inputs(config), PARTITIONS);
        return config;
    }

    /** Valid events (the bench's mix of sources) spread over the 60 days before now. */
    private List<String> backlog(int n) {
        ContractLines factory = new ContractLines(city.index(), s.zone(), s.seed());
        long span = Duration.ofDays(60).toMillis();
        long end = System.currentTimeMillis() - 60_000;
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            lines.add(factory.valid(factory.drawSource(), end - span + i * (span / n)));
        }
        return lines;
    }

    /**
     * Publishes {@link #LIVE_RATE} events a second, each occurring a few seconds before it is sent, and polls the
     * published snapshot every 50 ms: event i's latency is from its send to the first snapshot counting at least
     * i + 1 events.
     */
    private Latencies liveLatencies(LookoutConfig config, Duration liveFor) throws Exception {
        ContractLines factory = new ContractLines(city.index(), s.zone(), s.seed() + 1);
        int n = (int) (LIVE_RATE * liveFor.toSeconds());
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
        }, "bench-live-producer");
        producer.start();
        long[] visibleAt = new long[n];
        int seen = 0;
        long deadline = System.nanoTime() + liveFor.toNanos() + Duration.ofSeconds(90).toNanos();
        while (seen < n && System.nanoTime() < deadline) {
            long total = publishedTotal(config.db(), seen);
            long now = System.nanoTime();
            for (; seen < Math.min(total, n); seen++) {
                visibleAt[seen] = now;
            }
            Thread.sleep(50);
        }
        producer.join();
        if (seen < n) {
            throw new IllegalStateException("only " + seen + " of " + n + " live events became visible");
        }
        List<Double> ms = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ms.add(Math.max(0, (visibleAt[i] - sentAt[i]) / 1e6));
        }
        return Latencies.of(ms, 0);
    }

    /** The published total, or {@code otherwise} while the snapshot is being replaced (read mid-rename). */
    private static long publishedTotal(Path db, long otherwise) {
        try {
            return dailyTotal(db);
        } catch (SQLException e) {
            return otherwise;
        }
    }

    /** Events in the published daily counts (the combined signal counts linked reports again, so it is left out). */
    private static long dailyTotal(Path db) throws SQLException {
        if (!Files.exists(db)) {
            return 0;
        }
        try (Connection c = DuckDbStore.openPublished(db);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(sum(count), 0) FROM area_counts"
                     + " WHERE granularity = 'day' AND signal <> 'combined'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** User plus system CPU of the TaskManager JVMs. */
    private static double taskManagerCpuSeconds(FlinkCluster cluster) {
        double total = 0;
        for (int i = 0; i < TASK_MANAGERS; i++) {
            total += cluster.taskManager(i).cpuSeconds();
        }
        return total;
    }
}
