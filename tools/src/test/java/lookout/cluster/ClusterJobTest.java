package lookout.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lookout.config.KafkaTopics;
import lookout.dashboards.Role;
import lookout.dashboards.Users;
import lookout.config.LookoutConfig;
import lookout.ingest.KafkaCluster;
import lookout.schema.SinkBatch;
import lookout.sink.DuckDbStore;
import lookout.testing.Db;

/**
 * The job jar on a real multi-process cluster (the {@link SharedCluster}: a JobManager JVM, two TaskManager JVMs, a
 * broker JVM), submitted through Flink's REST API as an operator submits it.
 */
@Timeout(300)
@ExtendWith(SharedCluster.Extension.class)
@Execution(ExecutionMode.CONCURRENT)
@Order(3)
@ResourceLock(SharedCluster.CHILD_JVMS)
class ClusterJobTest {
    /** The states a job never leaves (Flink's globally terminal ones). */
    private static final Set<String> TERMINAL = Set.of("FINISHED", "CANCELED", "FAILED");

    @TempDir
    static Path dir;
    static KafkaBroker broker;
    static FlinkCluster cluster;
    static String jar;
    static GeneratedStream stream;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        SharedCluster shared = SharedCluster.get();
        broker = shared.broker();
        cluster = shared.cluster();
        jar = shared.jar();
        key = shared.key();
        stream = GeneratedStream.eightDays();
    }

    @Test
    void theJobJarRunsThroughTheRestApiAndCountsExactlyWhatWasPublished() throws Exception {
        LookoutConfig config = runToTheEnd("exact").config();

        assertEquals(stream.truth.daily(), Tables.counts(config.db(), "day"));
        assertEquals(stream.truth.hourly(), Tables.counts(config.db(), "hour"));
        assertTrue(cluster.jobManager().isAlive(), "the JobManager that ran the jar's main is still up");
        List<ChildJvm> taskManagers = cluster.liveTaskManagers();
        assertEquals(2, taskManagers.size(), "two TaskManagers: " + taskManagers);
        List<Long> pids = List.of(cluster.jobManager().pid(), taskManagers.get(0).pid(), taskManagers.get(1).pid(),
                broker.process().pid(), ProcessHandle.current().pid());
        assertEquals(5, Set.copyOf(pids).size(), "JobManager, TaskManagers, broker and test are separate processes: " + pids);
    }

    @Test
    void aBadConfigIsRefusedInOneLineAndTheJobManagerStaysUp() throws Exception {
        Path conf = LookoutOnCluster.writeConfig(dir, "bad", broker, Map.of("parallelism", "0"));
        Map<String, String> before = cluster.jobs();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LookoutOnCluster.submitRun(cluster, jar, conf, false, null));
        assertTrue(e.getMessage().contains("HTTP 400"), e.getMessage());
        assertTrue(e.getMessage().contains("lookout run: config: parallelism must be at least 1"), e.getMessage());
        assertTrue(cluster.jobManager().isAlive());
        assertEquals(before, cluster.jobs(), "no job was started");
    }

    /**
     * docker/docker-compose.yml's submit: {@code flink run -d -c lookout.kernel.Main JAR run --config FILE} from
     * Flink's command-line client, whose JVM reads the key. A bad config stops there with lookout's one line and
     * exit code 2, as from ./lookout; a good one submits the job through the REST API and the client exits 0.
     */
    @Test
    void flinkRunFromTheCommandLineClientSubmitsTheJarOrStopsInOneLine() throws Exception {
        Path bad = LookoutOnCluster.writeConfig(dir, "client-bad", broker, Map.of("parallelism", "0"));
        FlinkCluster.ClientRun refused = cluster.flinkClient(List.of("run", "-d", "-c", LookoutOnCluster.ENTRY_CLASS,
                LookoutOnCluster.jobJar().toString(), "run", "--config", bad.toString()),
                Map.of("LOOKOUT_PSEUDONYM_KEY", key), Duration.ofSeconds(120));
        assertEquals(2, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains("lookout run: config: parallelism must be at least 1"), refused.output());
        assertEquals(List.of(), refused.output().lines().filter(l -> l.startsWith("\tat ")).toList(), "no stack trace");

        Path conf = LookoutOnCluster.writeConfig(dir, "client", broker, Map.of());
        LookoutConfig config = LookoutConfig.load(conf);
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), KafkaTopics.inputs(config), 2);
        LookoutOnCluster.publish(config, stream.lines);
        Set<String> before = cluster.jobs().keySet();
        FlinkCluster.ClientRun submitted = cluster.flinkClient(List.of("run", "-d", "-c", LookoutOnCluster.ENTRY_CLASS,
                LookoutOnCluster.jobJar().toString(), "run", "--config", conf.toString(), "--stop-at-latest"),
                Map.of("LOOKOUT_PSEUDONYM_KEY", key), Duration.ofSeconds(180));
        assertEquals(0, submitted.exitCode(), submitted.output());
        List<String> jobs = cluster.jobs().keySet().stream().filter(j -> !before.contains(j)).toList();
        assertEquals(1, jobs.size(), "one job submitted: " + cluster.jobs());
        cluster.awaitJobState(jobs.get(0), Set.of("FINISHED"), Duration.ofSeconds(180));
        assertEquals(stream.truth.daily(), Tables.counts(config.db(), "day"));
    }

    /**
     * A job submitted to a cluster without a restore, onto a database an earlier run wrote: there {@code run} cannot
     * tell whether Flink restores a savepoint, so the sink's writer refuses as it starts (records read again would be
     * counted again), and the database keeps what it held.
     */
    @Test
    void aJobSubmittedWithoutTheEarlierRunsStateFailsAsItStartsAndCountsNothing() throws Exception {
        Path conf = LookoutOnCluster.writeConfig(dir, "resubmitted", broker, Map.of());
        LookoutConfig config = LookoutConfig.load(conf);
        try (DuckDbStore store = DuckDbStore.open(config.db(), null, config.zone())) {
            assertTrue(store.apply(new SinkBatch("earlier-run", 1L, List.of())));
            store.publish();
        }
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), KafkaTopics.inputs(config), 2);
        LookoutOnCluster.publish(config, stream.lines.subList(0, 200));

        String job = LookoutOnCluster.submitRun(cluster, jar, conf, true, null);
        cluster.awaitJobState(job, Set.of("FAILED"), Duration.ofSeconds(180));
        String failure = cluster.get("/jobs/" + job + "/exceptions").orElseThrow().path("exceptionHistory")
                .path("entries").path(0).path("stacktrace").asText();
        assertTrue(failure.contains(DuckDbStore.writerFile(config.db()) + " holds the counts of earlier runs, and this"
                + " job started without their state: restore the newest checkpoint or a savepoint, or start with"
                + " --fresh-state"), failure);
        assertEquals(0, Tables.dailyTotal(config.db()), "nothing counted");
        assertEquals(List.of("earlier-run|1"), Db.query(DuckDbStore.writerFile(config.db()),
                "SELECT run_id, sequence FROM lookout_commits"));
    }

    /**
     * The single DuckDB writer is the job's "DuckDB" task on one TaskManager: that JVM alone holds DB.writer open.
     * The dashboards, a JVM of their own as in docker/, read the snapshot it publishes beside it (DB), never
     * DB.writer, and answer with exactly the counts the job wrote.
     */
    @Test
    void theDashboardsReadTheSnapshotThatTheWriterOnATaskManagerPublishes() throws Exception {
        Path conf = LookoutOnCluster.writeConfig(dir, "readers", broker, Map.of());
        LookoutConfig config = LookoutConfig.load(conf);
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), KafkaTopics.inputs(config), 2);
        LookoutOnCluster.publish(config, stream.lines);
        String job = LookoutOnCluster.submitRun(cluster, jar, conf, false, null);
        long all = stream.truth.daily().values().stream().mapToLong(Integer::longValue).sum();
        FlinkCluster.awaitCondition("every event counted", Duration.ofSeconds(120), () -> {
            try {
                return Tables.dailyTotal(config.db()) == all;
            } catch (Exception e) {
                return false;
            }
        });

        List<String> writerIds = cluster.taskManagersOf(job, "DuckDB");
        assertEquals(1, writerIds.size(), "one writer");
        Path writerFile = Path.of(config.db() + ".writer");
        for (ChildJvm taskManager : cluster.liveTaskManagers()) {
            boolean isWriter = taskManager.name().equals(writerIds.get(0));
            assertEquals(isWriter, openFiles(taskManager.pid()).contains(writerFile), taskManager.name()
                    + (isWriter ? ", the writer's TaskManager, holds DB.writer" : ", another TaskManager, does not hold DB.writer"));
        }

        Path users = dir.resolve("users.txt");
        String token = Users.add(users, "ana", Role.ANALYST, Set.of());
        int port = FlinkCluster.freePort();
        ChildJvm serve = ChildJvm.start("dashboards", dashboardsClassPath(), List.of("-Xmx256m", "-XX:-UsePerfData",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=lookout"), "lookout.kernel.Main", List.of("serve",
                "--db", config.db().toString(), "--port", String.valueOf(port), "--users", users.toString(),
                "--audit", dir.resolve("audit.log").toString()), dir.resolve("serve-tmp"), dir.resolve("serve.out"), Map.of());
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/areas/D05/series?signal=paramedic&granularity=day")).header("Authorization", "Bearer " + token).build();
            String[] last = {"no answer"};
            try {
                FlinkCluster.awaitCondition("the dashboards", Duration.ofSeconds(60), () -> {
                    if (!serve.isAlive()) {
                        throw new AssertionError("serve ended: " + serve.tail(20));
                    }
                    try {
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        last[0] = r.statusCode() + " " + r.body();
                        return r.statusCode() == 200;
                    } catch (Exception e) {
                        last[0] = e.toString();
                        return false;
                    }
                });
            } catch (IllegalStateException e) {
                throw new AssertionError(e.getMessage() + "; last answer " + last[0] + "; " + serve.tail(20), e);
            }
            long served = 0;
            for (JsonNode point : new ObjectMapper().readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body())) {
                served += point.path("count").asLong();
            }
            assertEquals(Db.count(config.db(), "SELECT sum(count) FROM area_counts WHERE granularity = 'day'"
                    + " AND area_id = 'D05' AND signal = 'paramedic'"), served);
            assertTrue(served > 0);
            Set<Path> readerFiles = openFiles(serve.pid());
            assertFalse(readerFiles.contains(writerFile), "the dashboards never open DB.writer: " + readerFiles);
        } finally {
            serve.stop(Duration.ofSeconds(10));
        }
        cluster.cancel(job, Duration.ofSeconds(60));
    }

    /**
     * The writer's TaskManager loads DuckDB's driver from its own class path (parent-first, as docker/ deploys it),
     * not from the job jar: the driver's native library holds JNI references to the classes that loaded it, so a job
     * class loader that loaded them could never be collected, and every finished job would keep its classes in the
     * TaskManager's metaspace (RELIABILITY.md, "Session clusters").
     */
    @Test
    void theWritersTaskManagerLoadsDuckDbFromTheClusterClassPathNotFromTheJobJar() throws Exception {
        String writerId = cluster.taskManagersOf(runToTheEnd("driver").job(), "DuckDB").get(0);
        ChildJvm writer = cluster.liveTaskManagers().stream().filter(tm -> tm.name().equals(writerId)).findFirst()
                .orElseThrow(() -> new AssertionError("the writer's TaskManager " + writerId + " is gone"));
        List<Jcmd.LoaderClasses> duckDb = Jcmd.classLoaders(writer.pid()).stream()
                .filter(l -> l.classes().stream().anyMatch(c -> c.startsWith("org.duckdb."))).toList();
        assertEquals(List.of("\"app\", jdk.internal.loader.ClassLoaders$AppClassLoader"),
                duckDb.stream().map(Jcmd.LoaderClasses::loader).toList(),
                "only the TaskManager's own class path loaded DuckDB");
        assertTrue(duckDb.get(0).classes().contains("org.duckdb.DuckDBConnection"), "the writer connected through it");
    }

    /**
     * The JobManager lets go of a finished job's classes. Each submission loads them there twice (the loader that runs
     * main, and the JobMaster's), about 31 MB. Three holders once kept them for the life of the process, so that a
     * session JobManager with Flink's 256 MB of metaspace failed at its seventh submission (RELIABILITY.md, "Session
     * clusters"): the exit hook of the temporary directory main made for a local cluster it did not start; Avro's
     * name validator, which a schema parse leaves in a thread-local of the JobManager's thread; and JFR, which keeps
     * the security context of whatever first loaded DuckDB's driver in the JVM. The second run here loads it there:
     * its main opens the first run's database to check that it is Lookout's (a new run there, so with
     * {@code --fresh-state}). What Jackson's per-thread buffers still hold is held softly, and the shared cluster's
     * JobManager clears soft references at every collection. A job ends before its JobMaster lets go, hence the wait.
     */
    @Test
    void theJobManagerKeepsNoClassesOfAFinishedJob() throws Exception {
        String again = LookoutOnCluster.submitFreshRun(cluster, jar, runToTheEnd("released").conf(), true);
        cluster.awaitJobState(again, Set.of("FINISHED"), Duration.ofSeconds(180));
        long pid = cluster.jobManager().pid();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> held;
        long unfinished;
        do {
            Thread.sleep(1000);
            unfinished = cluster.jobs().values().stream().filter(state -> !TERMINAL.contains(state)).count();
            Jcmd.gc(pid);
            held = Jcmd.classLoaders(pid).stream().map(Jcmd.LoaderClasses::loader)
                    .filter(loader -> loader.contains("ChildFirstClassLoader")).toList();
        } while (held.size() > unfinished && System.nanoTime() < deadline);
        assertTrue(held.size() <= unfinished, "the JobManager holds " + held.size() + " job class loaders with "
                + unfinished + " jobs unfinished: " + held);
    }

    /** A job that ran to the end of the generated stream, published to topics of its own. */
    record FinishedRun(String job, Path conf, LookoutConfig config) {
    }

    private static FinishedRun runToTheEnd(String name) throws Exception {
        Path conf = LookoutOnCluster.writeConfig(dir, name, broker, Map.of());
        LookoutConfig config = LookoutConfig.load(conf);
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), KafkaTopics.inputs(config), 2);
        LookoutOnCluster.publish(config, stream.lines);
        return new FinishedRun(submitToTheEnd(conf), conf, config);
    }

    /** Submits a run of {@code conf} to the end of its topics and waits until it has finished; returns its id. */
    private static String submitToTheEnd(Path conf) throws Exception {
        String job = LookoutOnCluster.submitRun(cluster, jar, conf, true, null);
        cluster.awaitJobState(job, Set.of("FINISHED"), Duration.ofSeconds(180));
        return job;
    }

    /**
     * The class path of the apps image (docker/Dockerfile.apps): the dashboards' jar and its runtime dependencies,
     * which `-Pimage-lib` copies to dashboards/target/image-lib.
     */
    static String dashboardsClassPath() {
        Path root = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."));
        Path lib = root.resolve("dashboards/target/image-lib");
        Path jar = root.resolve("dashboards/target/lookout-dashboards.jar");
        assumeTrue(Files.isDirectory(lib) && Files.isRegularFile(jar),
                "dashboards/target/image-lib is built by `mvn package -Pimage-lib`; not built here");
        return jar.toAbsolutePath() + ":" + lib.toAbsolutePath() + "/*";
    }

    /** The files a process has open (Linux /proc/PID/fd). */
    static Set<Path> openFiles(long pid) throws IOException {
        Set<Path> files = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds) {
                try {
                    files.add(Files.readSymbolicLink(fd));
                } catch (IOException closedMeanwhile) {
                    // The descriptor was closed between listing and reading it.
                }
            }
        }
        return files;
    }
}
