package lookout.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Flink 2.2 standalone session cluster of separate JVMs on loopback: one JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and N TaskManagers ({@code TaskManagerRunner}, started with the JVM
 * flags and memory settings {@code BashJavaUtils} computes, as Flink's own scripts do), all from the Maven-built
 * class path in {@code tools/flink-cluster/target/lib} (what a Flink distribution's lib/ holds). Its configuration,
 * logs, temporary files, checkpoints and savepoints live in the directory it is given (a JUnit temp dir). The job is
 * submitted through the REST API exactly as an operator would: upload the job jar, run it with program arguments.
 * See README-harness.md for the API.
 */
public final class FlinkCluster implements AutoCloseable {
    static final String JOB_MANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    static final String CLIENT_MAIN = "org.apache.flink.client.cli.CliFrontend";
    static final String RESOURCE_PARAMS_MAIN = "org.apache.flink.runtime.util.bash.BashJavaUtils";
    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /**
     * The classes a cluster loads from its own class path before the job jar (docker/ sets the same): DuckDB's driver,
     * whose native library holds its classes for the life of the JVM, and Avro's name validator, which every schema
     * parse leaves in a thread-local of the Flink thread it ran on. Loaded from a job jar, either would keep every
     * finished job's classes in metaspace (RELIABILITY.md, "Session clusters").
     */
    public static final String PARENT_FIRST_PATTERNS = "org.duckdb.;org.apache.avro.NameValidator";

    private final Path dir;
    private final Path conf;
    private final String classPath;
    private final int restPort;
    private final Map<String, String> jobManagerEnv;
    private final List<String> jvmOptions;
    private final List<String> jobManagerJvmOptions;
    private ChildJvm jobManager;
    private int jobManagerStarts;
    private final List<ChildJvm> taskManagers = new ArrayList<>();
    private List<List<String>> taskManagerParams;
    private boolean closed;

    private FlinkCluster(Path dir, String classPath, int restPort, Map<String, String> jobManagerEnv, List<String> jvmOptions,
            List<String> jobManagerJvmOptions) {
        this.dir = dir;
        this.conf = dir.resolve("conf");
        this.classPath = classPath;
        this.restPort = restPort;
        this.jobManagerEnv = jobManagerEnv;
        this.jvmOptions = jvmOptions;
        this.jobManagerJvmOptions = jobManagerJvmOptions;
    }

    /** What a cluster is started with; {@link #start()} writes its config.yaml and starts it. */
    public static final class Builder {
        private final Path dir;
        private int taskManagers = 2;
        private int slotsPerTaskManager = 2;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final Map<String, String> jobManagerEnv = new LinkedHashMap<>();
        private final List<String> jobManagerJvmOptions = new ArrayList<>();

        private Builder(Path dir) {
            // Flink refuses a relative upload directory, and the JVMs' working directory is not the caller's.
            this.dir = dir.toAbsolutePath();
        }

        public Builder taskManagers(int n) {
            this.taskManagers = n;
            return this;
        }

        public Builder slotsPerTaskManager(int n) {
            this.slotsPerTaskManager = n;
            return this;
        }

        /** A Flink setting added to (or replacing one of) the cluster's config.yaml. */
        public Builder set(String key, String value) {
            settings.put(key, value);
            return this;
        }

        /**
         * An environment variable of the JobManager JVM. A jar run through the REST API runs its main method in the
         * JobManager, so this is where {@code lookout run} finds its pseudonym key (LOOKOUT_PSEUDONYM_KEY).
         */
        public Builder jobManagerEnv(String name, String value) {
            jobManagerEnv.put(name, value);
            return this;
        }

        /** A flag of the JobManager JVM only, after those of every cluster JVM. */
        public Builder jobManagerJvmOption(String option) {
            jobManagerJvmOptions.add(option);
            return this;
        }

        public FlinkCluster start() throws IOException, InterruptedException {
            Path lib = libDir();
            if (!Files.isDirectory(lib)) {
                throw new IllegalStateException(lib + " is missing: `mvn package` builds it (module tools/flink-cluster)");
            }
            int restPort = freePort();
            FlinkCluster cluster = new FlinkCluster(dir, lib.toAbsolutePath() + "/*", restPort, Map.copyOf(jobManagerEnv),
                    jvmOptions(), List.copyOf(jobManagerJvmOptions));
            try {
                cluster.writeConfig(restPort, slotsPerTaskManager, settings);
                cluster.startJobManager();
                for (int i = 0; i < taskManagers; i++) {
                    cluster.startTaskManager();
                }
                cluster.awaitTaskManagers(taskManagers, Duration.ofSeconds(90));
                return cluster;
            } catch (IOException | InterruptedException | RuntimeException e) {
                cluster.close();
                throw e;
            }
        }
    }

    /**
     * The flags of every JobManager and TaskManager JVM: the module openings a Flink distribution's config.yaml
     * passes on Java 17 ({@code env.java.opts.all}; without them the DataStream translators and Kryo fail), Avro's
     * trusted packages (as docker/ sets them) and the serial collector (small heaps on two shared cores).
     */
    private static List<String> jvmOptions() {
        List<String> o = new ArrayList<>();
        for (String export : List.of("java.base/sun.net.util", "java.rmi/sun.rmi.registry", "jdk.compiler/com.sun.tools.javac.api",
                "jdk.compiler/com.sun.tools.javac.file", "jdk.compiler/com.sun.tools.javac.parser",
                "jdk.compiler/com.sun.tools.javac.tree", "jdk.compiler/com.sun.tools.javac.util",
                "java.security.jgss/sun.security.krb5")) {
            o.add("--add-exports=" + export + "=ALL-UNNAMED");
        }
        for (String open : List.of("java.lang", "java.net", "java.io", "java.nio", "sun.nio.ch", "java.lang.reflect",
                "java.text", "java.time", "java.util", "java.util.concurrent", "java.util.concurrent.atomic",
                "java.util.concurrent.locks")) {
            o.add("--add-opens=java.base/" + open + "=ALL-UNNAMED");
        }
        o.add("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=lookout");
        o.add("-XX:+UseSerialGC");
        // No /tmp/hsperfdata_USER/PID file, which a SIGKILLed JVM would leave behind.
        o.add("-XX:-UsePerfData");
        return o;
    }

    /** A cluster whose files all live in {@code dir}; two TaskManagers of two slots each unless told otherwise. */
    public static Builder in(Path dir) {
        return new Builder(dir);
    }

    /** The Flink class path built by the module tools/flink-cluster (set by surefire; otherwise found from the checkout). */
    public static Path libDir() {
        String configured = System.getProperty("lookout.flink.lib");
        return configured != null ? Path.of(configured) : LookoutOnCluster.checkout().resolve("tools/flink-cluster/target/lib");
    }

    private void writeConfig(int restPort, int slots, Map<String, String> overrides) throws IOException {
        Files.createDirectories(conf);
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "127.0.0.1");
        c.put("jobmanager.rpc.port", String.valueOf(freePort()));
        c.put("jobmanager.bind-host", "127.0.0.1");
        c.put("rest.address", "127.0.0.1");
        c.put("rest.bind-address", "127.0.0.1");
        c.put("rest.port", String.valueOf(restPort));
        c.put("blob.server.port", String.valueOf(freePort()));
        c.put("taskmanager.host", "127.0.0.1");
        c.put("taskmanager.bind-host", "127.0.0.1");
        c.put("taskmanager.numberOfTaskSlots", String.valueOf(slots));
        // Small processes: eight helpers share two cores and the job's state is small.
        c.put("jobmanager.memory.process.size", "768m");
        c.put("taskmanager.memory.process.size", "1024m");
        c.put("taskmanager.memory.managed.fraction", "0.1");
        c.put("taskmanager.memory.network.min", "32m");
        c.put("taskmanager.memory.network.max", "32m");
        // A killed TaskManager is noticed after 10 s instead of 50 s, so its slots are given up and the job restarts.
        c.put("heartbeat.interval", "2000");
        c.put("heartbeat.timeout", "10000");
        // Slots are taken evenly from the TaskManagers, so a job of parallelism 2 runs on both and a killed one
        // always takes running tasks with it.
        c.put("taskmanager.load-balance.mode", "SLOTS");
        c.put("parallelism.default", "1");
        c.put("state.backend.type", "hashmap");
        c.put("execution.checkpointing.dir", dir.resolve("checkpoints").toUri().toString());
        c.put("execution.checkpointing.savepoint-dir", dir.resolve("savepoints").toUri().toString());
        c.put("classloader.parent-first-patterns.additional", PARENT_FIRST_PATTERNS);
        c.put("io.tmp.dirs", dir.resolve("tmp").toString());
        c.put("web.tmpdir", dir.resolve("tmp").toString());
        c.put("web.upload.dir", dir.resolve("upload").toString());
        c.putAll(overrides);
        StringBuilder yaml = new StringBuilder("# written by lookout.cluster.FlinkCluster\n");
        c.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.writeString(conf.resolve("config.yaml"), yaml.toString(), StandardCharsets.UTF_8);
        Files.writeString(conf.resolve("log4j.properties"), """
                rootLogger.level = INFO
                rootLogger.appenderRef.file.ref = file
                appender.file.type = File
                appender.file.name = file
                appender.file.fileName = ${sys:log.file}
                appender.file.layout.type = PatternLayout
                appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-40c{1.} %m%n
                logger.kafka.name = org.apache.kafka
                logger.kafka.level = WARN
                """, StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("upload"));
    }

    private List<String> logOptions(String name) {
        return List.of("-Dlog.file=" + dir.resolve("log").resolve(name + ".log"),
                "-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
    }

    /**
     * Starts the JobManager (again after {@link #killJobManager()}: same ports, same configuration). Without high
     * availability a restarted JobManager knows no job: see README-harness.md.
     */
    public void startJobManager() throws IOException, InterruptedException {
        if (jobManager != null && jobManager.isAlive()) {
            throw new IllegalStateException("the JobManager is running");
        }
        List<List<String>> params = resourceParams("GET_JM_RESOURCE_PARAMS");
        String name = "jobmanager-" + (jobManagerStarts++);
        List<String> jvm = new ArrayList<>(params.get(0));
        jvm.addAll(jvmOptions);
        jvm.addAll(jobManagerJvmOptions);
        jvm.addAll(logOptions(name));
        List<String> args = new ArrayList<>(List.of("-c", conf.toString()));
        args.addAll(params.get(1));
        jobManager = ChildJvm.start(name, classPath, jvm, JOB_MANAGER_MAIN, args, dir.resolve("tmp"),
                dir.resolve("log").resolve(name + ".out"), jobManagerEnv);
        awaitCondition("the JobManager's REST API on port " + restPort, Duration.ofSeconds(90), () -> {
            if (!jobManager.isAlive()) {
                throw new IllegalStateException("the JobManager exited:\n" + jobManager.tail(30));
            }
            return get("/overview").isPresent();
        });
    }

    /** Starts one more TaskManager; returns its index (its resource id is {@code taskmanager-INDEX}). */
    public int startTaskManager() throws IOException, InterruptedException {
        if (taskManagerParams == null) {
            taskManagerParams = resourceParams("GET_TM_RESOURCE_PARAMS");
        }
        int index = taskManagers.size();
        String name = "taskmanager-" + index;
        List<String> jvm = new ArrayList<>(taskManagerParams.get(0));
        jvm.addAll(jvmOptions);
        jvm.addAll(logOptions(name));
        List<String> args = new ArrayList<>(List.of("-c", conf.toString()));
        args.addAll(taskManagerParams.get(1));
        args.addAll(List.of("-D", "taskmanager.resource-id=" + name));
        taskManagers.add(ChildJvm.start(name, classPath, jvm, TASK_MANAGER_MAIN, args, dir.resolve("tmp"),
                dir.resolve("log").resolve(name + ".out"), Map.of()));
        return index;
    }

    /** The JVM flags and the {@code -D key=value} arguments Flink's scripts pass, as BashJavaUtils computes them. */
    private List<List<String>> resourceParams(String command) throws IOException, InterruptedException {
        String output = ChildJvm.run(classPath, RESOURCE_PARAMS_MAIN, List.of(command, "--configDir", conf.toString()),
                dir.resolve("tmp"), dir.resolve("log").resolve(command + "-" + UUID.randomUUID() + ".out"), Duration.ofSeconds(60));
        List<List<String>> results = output.lines().filter(l -> l.startsWith(RESULT_PREFIX))
                .map(l -> Arrays.stream(l.substring(RESULT_PREFIX.length()).trim().split("\\s+")).filter(s -> !s.isEmpty()).toList())
                .toList();
        if (results.size() != 2) {
            throw new IllegalStateException("BashJavaUtils " + command + " printed no JVM flags: " + output);
        }
        return results;
    }

    /** SIGKILL the JobManager JVM. */
    public void killJobManager() {
        jobManager.kill();
    }

    /** SIGKILL TaskManager {@code index}. */
    public void killTaskManager(int index) {
        taskManagers.get(index).kill();
    }

    /** How many TaskManager JVMs are alive. */
    public int aliveTaskManagers() {
        return liveTaskManagers().size();
    }

    /** The TaskManager JVMs that are alive, in the order they were started; each one's name is its resource id. */
    public List<ChildJvm> liveTaskManagers() {
        return taskManagers.stream().filter(ChildJvm::isAlive).toList();
    }

    /** Every JVM of the cluster that is alive: the JobManager and the TaskManagers. */
    public Set<ChildJvm> processes() {
        Set<ChildJvm> alive = new HashSet<>(liveTaskManagers());
        if (jobManager != null && jobManager.isAlive()) {
            alive.add(jobManager);
        }
        return alive;
    }

    /** Whether the JobManager lists the uploaded jar {@code jarId} ({@code GET /jars}). */
    public boolean hasJar(String jarId) {
        return get("/jars").map(j -> j.path("files").findValuesAsText("id").contains(jarId)).orElse(false);
    }

    public ChildJvm jobManager() {
        return jobManager;
    }

    public ChildJvm taskManager(int index) {
        return taskManagers.get(index);
    }

    public int restPort() {
        return restPort;
    }

    public Path dir() {
        return dir;
    }

    /** Waits until {@code n} TaskManagers are registered with the JobManager. */
    public void awaitTaskManagers(int n, Duration timeout) throws InterruptedException {
        awaitCondition(n + " registered TaskManagers", timeout,
                () -> get("/overview").map(o -> o.path("taskmanagers").asInt()).orElse(-1) == n);
    }

    /** {@code POST /jars/upload}: the jar's id for {@link #run}. */
    public String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "lookout-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/jars/upload")).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(jar), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = ok(r, "upload " + jar);
        return Path.of(body.path("filename").asText()).getFileName().toString();
    }

    /**
     * {@code POST /jars/JAR/run}: runs {@code entryClass}'s main with {@code args} in the JobManager; the id of the
     * job it submitted. {@code savepointPath} (or null) is the checkpoint or savepoint to start from.
     */
    public String run(String jarId, String entryClass, List<String> args, String savepointPath)
            throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("entryClass", entryClass);
        request.putArray("programArgsList").addAll(args.stream().map(JSON.getNodeFactory()::textNode).toList());
        if (savepointPath != null) {
            request.put("savepointPath", savepointPath);
        }
        return ok(post("/jars/" + jarId + "/run", request, Duration.ofSeconds(180)), "run " + args).path("jobid").asText();
    }

    /** The job's state (RUNNING, RESTARTING, FINISHED, ...), or empty when the JobManager knows no such job. */
    public Optional<String> jobState(String jobId) {
        return get("/jobs/" + jobId).map(j -> j.path("state").asText()).filter(s -> !s.isEmpty());
    }

    /** Every job the JobManager knows, id to state. */
    public Map<String, String> jobs() {
        Map<String, String> jobs = new LinkedHashMap<>();
        get("/jobs").ifPresent(j -> j.path("jobs").forEach(n -> jobs.put(n.path("id").asText(), n.path("status").asText())));
        return jobs;
    }

    /** Waits until the job is in one of {@code states}; fails at once if it reaches FAILED when that is not asked. */
    public void awaitJobState(String jobId, Set<String> states, Duration timeout) throws InterruptedException {
        awaitCondition("job " + jobId + " in " + states, timeout, () -> {
            Optional<String> state = jobState(jobId);
            if (state.isPresent() && state.get().equals("FAILED") && !states.contains("FAILED")) {
                throw new IllegalStateException("job " + jobId + " FAILED: " + get("/jobs/" + jobId + "/exceptions")
                        .map(e -> e.path("root-exception").asText()).orElse("?"));
            }
            return state.isPresent() && states.contains(state.get());
        });
    }

    /** Waits until every task of the job is RUNNING (a RUNNING job may still be deploying its tasks). */
    public void awaitAllTasksRunning(String jobId, Duration timeout) throws InterruptedException {
        awaitCondition("every task of job " + jobId + " running", timeout, () -> get("/jobs/" + jobId).map(j -> {
            if (!j.path("state").asText().equals("RUNNING")) {
                return false;
            }
            for (JsonNode v : j.path("vertices")) {
                if (!v.path("status").asText().equals("RUNNING") && !v.path("status").asText().equals("FINISHED")) {
                    return false;
                }
            }
            return true;
        }).orElse(false));
    }

    /** Completed checkpoints of the job since it was submitted (or restored). */
    public long completedCheckpoints(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints").map(c -> c.path("counts").path("completed").asLong()).orElse(0L);
    }

    /** The external path of the job's latest completed checkpoint, if any. */
    public Optional<String> latestCheckpoint(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints")
                .map(c -> c.path("latest").path("completed").path("external_path").asText(""))
                .filter(p -> !p.isEmpty());
    }

    /** Waits until the job has completed at least {@code n} checkpoints. */
    public void awaitCheckpoints(String jobId, long n, Duration timeout) throws InterruptedException {
        awaitCondition(n + " completed checkpoints of job " + jobId, timeout, () -> completedCheckpoints(jobId) >= n);
    }

    /**
     * The resource ids of the TaskManagers running the job's vertex whose name contains {@code vertexName}
     * ({@code taskmanager-INDEX}), e.g. "DuckDB" for the single DuckDB writer.
     */
    public List<String> taskManagersOf(String jobId, String vertexName) {
        JsonNode job = get("/jobs/" + jobId).orElseThrow(() -> new IllegalStateException("no job " + jobId));
        for (JsonNode v : job.path("vertices")) {
            if (v.path("name").asText().contains(vertexName)) {
                JsonNode tms = get("/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/taskmanagers")
                        .orElseThrow(() -> new IllegalStateException("no task managers of " + vertexName));
                List<String> ids = new ArrayList<>();
                tms.path("taskmanagers").forEach(t -> ids.add(t.path("taskmanager-id").asText()));
                return ids;
            }
        }
        throw new IllegalStateException("job " + jobId + " has no vertex named like " + vertexName + ": " + job.path("vertices"));
    }

    /** The parallelism of each of the job's vertices, by name. */
    public Map<String, Integer> parallelism(String jobId) {
        Map<String, Integer> p = new LinkedHashMap<>();
        get("/jobs/" + jobId).ifPresent(j -> j.path("vertices").forEach(v -> p.put(v.path("name").asText(), v.path("parallelism").asInt())));
        return p;
    }

    /** {@code POST /jobs/ID/stop}: stops the job with a savepoint in {@code targetDirectory}; the savepoint's path. */
    public String stopWithSavepoint(String jobId, Path targetDirectory, Duration timeout) throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode().put("targetDirectory", targetDirectory.toUri().toString()).put("drain", false);
        String trigger = ok(post("/jobs/" + jobId + "/stop", request, Duration.ofSeconds(30)), "stop " + jobId)
                .path("request-id").asText();
        String[] location = new String[1];
        awaitCondition("the savepoint of job " + jobId, timeout, () -> get("/jobs/" + jobId + "/savepoints/" + trigger).map(s -> {
            if (!s.path("status").path("id").asText().equals("COMPLETED")) {
                return false;
            }
            JsonNode failure = s.path("operation").path("failure-cause");
            if (!failure.isMissingNode() && !failure.isNull()) {
                throw new IllegalStateException("stop with savepoint failed: " + failure);
            }
            location[0] = s.path("operation").path("location").asText();
            return true;
        }).orElse(false));
        awaitJobState(jobId, Set.of("FINISHED"), timeout);
        return location[0];
    }

    /** {@code PATCH /jobs/ID?mode=cancel}, then waits until the job is CANCELED. */
    public void cancel(String jobId, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel"))
                .timeout(Duration.ofSeconds(10)).method("PATCH", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("cancel " + jobId + ": HTTP " + r.statusCode() + " " + r.body());
        }
        awaitJobState(jobId, Set.of("CANCELED"), timeout);
    }

    /** What Flink's command-line client printed and its exit code. */
    public record ClientRun(int exitCode, String output) {}

    /**
     * {@code flink ARGS} as the distribution's script runs it ({@code CliFrontend} with this cluster's configuration
     * directory, so {@code run} submits to this cluster through its REST API), in a JVM of its own with {@code env};
     * e.g. {@code run -d -c lookout.kernel.Main JAR run --config FILE}, as docker/docker-compose.yml's submit does.
     */
    public ClientRun flinkClient(List<String> args, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        String name = "flink-client-" + UUID.randomUUID();
        Map<String, String> environment = new LinkedHashMap<>(env);
        environment.put("FLINK_CONF_DIR", conf.toString());
        List<String> jvm = new ArrayList<>(jvmOptions);
        jvm.addAll(logOptions(name));
        Path out = dir.resolve("log").resolve(name + ".out");
        ChildJvm client = ChildJvm.start(name, classPath, jvm, CLIENT_MAIN, args, dir.resolve("tmp"), out, environment);
        int code = client.waitFor(timeout);
        return new ClientRun(code, Files.readString(out, StandardCharsets.UTF_8));
    }

    /** {@code GET PATH} of the REST API as JSON; empty when the JobManager does not answer or answers an error. */
    public Optional<JsonNode> get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private HttpResponse<String> post(String path, JsonNode body, Duration timeout) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> r, String what) throws IOException {
        if (r.statusCode() != 200 && r.statusCode() != 202) {
            throw new IllegalStateException(what + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + restPort + path);
    }

    /** Polls {@code condition} every 200 ms until it holds; fails after {@code timeout}. */
    static void awaitCondition(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** Stops every TaskManager and the JobManager (SIGTERM, then SIGKILL after 20 s); the directory stays. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ChildJvm tm : taskManagers) {
            if (tm.isAlive()) {
                tm.stop(Duration.ofSeconds(20));
            }
        }
        if (jobManager != null && jobManager.isAlive()) {
            jobManager.stop(Duration.ofSeconds(20));
        }
    }
}
