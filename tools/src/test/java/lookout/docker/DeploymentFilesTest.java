package lookout.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.cluster.FlinkCluster;
import lookout.config.LookoutConfig;
import lookout.dashboards.ServeCommand;
import lookout.kernel.Main;
import lookout.notify.NotifierConfig;
import lookout.notify.NotifyCommand;

/**
 * What can be checked of {@code docker/} without a Docker engine or a Kubernetes cluster: the compose file against
 * the Compose Specification's JSON schema and the FlinkDeployment against the Flink Kubernetes Operator 1.15 CRD's
 * openAPIV3Schema (both kept as test resources, see their README), the commands' arguments against the commands
 * themselves, the config files they name loaded by their own loaders, and every path agreeing between the
 * Dockerfiles, the compose file and the manifests.
 */
class DeploymentFilesTest {
    static final Path ROOT = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."));
    static final Path DOCKER = ROOT.resolve("docker");
    static final YAMLMapper YAML = new YAMLMapper();
    static final String DATA = "/opt/lookout/data";
    static final String JOB_JAR = "/opt/flink/usrlib/lookout-job.jar";
    /** Not /run/secrets itself: a volume there would hide the service account token at /var/run/secrets. */
    static final String KUBERNETES_SECRETS = "/run/secrets/lookout";

    // ---- schemas ----

    @Test
    void theComposeFileFollowsTheComposeSpecificationAndAMisspeltKeyIsCaught() throws Exception {
        Schema schema = schema("compose-spec.json");
        JsonNode compose = yaml(DOCKER.resolve("docker-compose.yml"));
        assertEquals(List.of(), messages(schema.validate(compose)));

        ObjectNode misspelt = compose.deepCopy();
        ((ObjectNode) misspelt.path("services").path("notifier")).set("comand", misspelt.path("services").path("notifier").path("command"));
        assertEquals(1, schema.validate(misspelt).size(), "an unknown service key is refused");
    }

    @Test
    void theFlinkDeploymentFollowsTheOperatorsCrdAndAMisspeltOrUnsupportedFieldIsCaught() throws Exception {
        Schema schema = crdSchema();
        JsonNode deployment = flinkDeployment();
        assertEquals(List.of(), messages(schema.validate(deployment)));

        ObjectNode misspelt = deployment.deepCopy();
        ((ObjectNode) misspelt.path("spec").path("job")).put("upgradeMod", "savepoint");
        assertFalse(schema.validate(misspelt).isEmpty(), "a field the CRD does not have is refused, not pruned");
        ObjectNode unknownVersion = deployment.deepCopy();
        ((ObjectNode) unknownVersion.path("spec")).put("flinkVersion", "v2_9");
        assertFalse(schema.validate(unknownVersion).isEmpty(), "a Flink version the operator does not know is refused");
        ObjectNode podTypo = deployment.deepCopy();
        ((ObjectNode) podTypo.path("spec").path("podTemplate").path("spec").path("securityContext")).put("runAsNonroot", true);
        assertFalse(schema.validate(podTypo).isEmpty(), "the pod template is checked against the Pod schema too");
    }

    // ---- the job: arguments, config, paths ----

    @Test
    void theJobIsSubmittedWithTheSameJarClassAndArgumentsInComposeAndOnKubernetes() throws Exception {
        JsonNode submit = services().path("submit").path("command");
        List<String> flinkRun = texts(submit);
        int jar = flinkRun.indexOf(JOB_JAR);
        assertEquals(List.of("flink", "run", "-m", "jobmanager:8081", "-d", "-c", "lookout.kernel.Main"), flinkRun.subList(0, jar));
        JsonNode job = flinkDeployment().path("spec").path("job");
        assertEquals("local://" + JOB_JAR, job.path("jarURI").asText());
        assertEquals("lookout.kernel.Main", job.path("entryClass").asText());
        assertEquals(flinkRun.subList(jar + 1, flinkRun.size()), texts(job.path("args")));
        assertEquals("savepoint", job.path("upgradeMode").asText());
        assertEquals("v2_2", flinkDeployment().path("spec").path("flinkVersion").asText());
        assertTrue(dockerfile("Dockerfile.job").contains("COPY --chown=root:root --chmod=0444 pipeline/target/lookout-job.jar "
                + JOB_JAR + "\n"), "the image puts the job jar where both submit it from");
    }

    /**
     * {@code run} with the compose and the Kubernetes arguments, its config path mapped to the file mounted there:
     * the options are accepted and the config loads, and the command stops at the first thing it needs from the
     * container, the pseudonym key secret, before anything starts.
     */
    @Test
    void runAcceptsTheArgumentsAndLoadsTheConfigThatComposeAndKubernetesMount(@TempDir Path tmp) throws Exception {
        List<String> composeArgs = jobArguments(texts(services().path("submit").path("command")));
        Path composeConfig = mountedFile(services().path("submit"), configArgument(composeArgs));
        assertEquals(DOCKER.resolve("lookout.properties").normalize(), composeConfig.normalize());
        Path kubernetesConfig = tmp.resolve("lookout.properties");
        Files.writeString(kubernetesConfig, configMap().path("data").path("lookout.properties").asText());
        List<String> kubernetesArgs = texts(flinkDeployment().path("spec").path("job").path("args"));
        assertEquals("/opt/lookout/lookout.properties", configArgument(kubernetesArgs));

        for (Path config : List.of(composeConfig, kubernetesConfig)) {
            List<String> args = new ArrayList<>(kubernetesArgs);
            args.set(args.indexOf("--config") + 1, config.toString());
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Main.run(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals("lookout run: no pseudonym key: set LOOKOUT_PSEUDONYM_KEY (base64, at least 32 bytes) or "
                    + "LOOKOUT_PSEUDONYM_KEY_FILE (see docs/PRIVACY.md)\n", err.toString(StandardCharsets.UTF_8), config.toString());
            assertEquals(2, exit);
        }
    }

    @Test
    void theJobsDataCheckpointsAndStateBackendAgreeBetweenItsConfigFlinkAndTheVolumes(@TempDir Path dir) throws Exception {
        Map<String, String> kubernetesFlink = flinkConfiguration(flinkDeployment().path("spec").path("flinkConfiguration"));
        Path kubernetesConfig = dir.resolve("lookout.properties");
        Files.writeString(kubernetesConfig, configMap().path("data").path("lookout.properties").asText());
        Map<String, LookoutConfig> configs = Map.of(
                "compose", LookoutConfig.load(DOCKER.resolve("lookout.properties")),
                "kubernetes", LookoutConfig.load(kubernetesConfig));
        for (LookoutConfig config : configs.values()) {
            assertEquals(DATA + "/lookout.duckdb", config.db().toString());
            assertEquals(DATA + "/checkpoints", config.checkpointDir().toString());
            assertEquals("rocksdb", config.stateBackend());
        }
        Map<String, String> expected = Map.of(
                "state.backend.type", "rocksdb",
                "execution.checkpointing.dir", "file://" + DATA + "/checkpoints",
                "execution.checkpointing.savepoint-dir", "file://" + DATA + "/savepoints",
                "env.java.opts.all", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=lookout",
                "classloader.parent-first-patterns.additional", FlinkCluster.PARENT_FIRST_PATTERNS);
        Map<String, String> jobmanager = flinkProperties(services().path("jobmanager"));
        expected.forEach((key, value) -> {
            assertEquals(value, jobmanager.get(key), "compose jobmanager " + key);
            assertEquals(value, kubernetesFlink.get(key), "FlinkDeployment " + key);
        });
        for (String taskmanager : List.of("taskmanager-1", "taskmanager-2")) {
            Map<String, String> flink = flinkProperties(services().path(taskmanager));
            assertEquals("rocksdb", flink.get("state.backend.type"), taskmanager);
            assertEquals(expected.get("env.java.opts.all"), flink.get("env.java.opts.all"), taskmanager);
            assertEquals(FlinkCluster.PARENT_FIRST_PATTERNS, flink.get("classloader.parent-first-patterns.additional"), taskmanager);
            assertEquals("2", flink.get("taskmanager.numberOfTaskSlots"), taskmanager);
        }
        assertEquals(2, flinkDeployment().path("spec").path("taskManager").path("replicas").asInt());

        // The writer may run on either TaskManager and `run` checks the directories from the submitting client:
        // every one of them mounts the same data volume, writable.
        for (String service : List.of("jobmanager", "taskmanager-1", "taskmanager-2", "submit")) {
            assertEquals("lookout-data:" + DATA, volume(services().path(service), DATA), service);
        }
        JsonNode flinkPod = flinkDeployment().path("spec").path("podTemplate").path("spec");
        assertEquals("{\"name\":\"lookout-data\",\"mountPath\":\"" + DATA + "\"}",
                mount(flinkPod.path("containers").get(0), DATA).toString());
        assertEquals("lookout-data", flinkPod.path("volumes").get(0).path("persistentVolumeClaim").path("claimName").asText());
        assertTrue(dockerfile("Dockerfile.job").contains("RUN mkdir -p " + DATA + " && chown flink:flink " + DATA + "\n"));
    }

    /** Flink ignores a key it does not know, so a misspelt one would silently leave the default in force. */
    @Test
    void everyFlinkSettingInComposeAndTheFlinkDeploymentIsAnOptionOfFlink22() throws Exception {
        List<String> known = new ArrayList<>();
        for (Class<?> options : List.of(CheckpointingOptions.class, StateBackendOptions.class, HighAvailabilityOptions.class,
                CoreOptions.class, TaskManagerOptions.class, JobManagerOptions.class)) {
            for (Field f : options.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.get(null) instanceof ConfigOption<?> option) {
                    known.add(option.key());
                }
            }
        }
        List<String> used = new ArrayList<>(flinkConfiguration(flinkDeployment().path("spec").path("flinkConfiguration")).keySet());
        for (String service : List.of("jobmanager", "taskmanager-1", "taskmanager-2")) {
            used.addAll(flinkProperties(services().path(service)).keySet());
        }
        assertEquals(24, used.size());
        assertEquals(List.of(), used.stream().filter(key -> !known.contains(key)).toList());
    }

    /**
     * DuckDB's driver and Avro come from Flink's own class path in the image, as in the tests' cluster, from the build
     * that made the job jar (the parent-first patterns then take only DuckDB and Avro's name validator from there):
     * loaded from the job jar, either would keep every finished job's classes.
     */
    @Test
    void theImageAndTheTestClusterLoadDuckDbAndAvrosNameValidatorFromFlinksClassPath() throws Exception {
        for (String jar : List.of("duckdb_jdbc-*.jar", "avro-*.jar")) {
            assertTrue(dockerfile("Dockerfile.job").contains("COPY --chown=root:root --chmod=0444"
                    + " tools/flink-cluster/target/lib/" + jar + " /opt/flink/lib/\n"), jar);
        }
        Path lib = FlinkCluster.libDir();
        assumeTrue(Files.isDirectory(lib), lib + " is built by `mvn package`; not built here");
        // The jars the job jar bundles, at the same versions, and no other jar those COPY lines would match.
        List<String> bundled = new ArrayList<>();
        for (Class<?> c : List.of(org.duckdb.DuckDBDriver.class, org.apache.avro.NameValidator.class)) {
            bundled.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString());
        }
        try (Stream<Path> jars = Files.list(lib)) {
            assertEquals(bundled.stream().sorted().toList(), jars.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith("duckdb_jdbc-") || name.startsWith("avro-")).sorted().toList());
        }
    }

    @Test
    void theJobJarStartsOnFlinksClassPathAndBringsOnlyTheJobsCommands() throws Exception {
        Path jar = ROOT.resolve("pipeline/target/lookout-job.jar");
        assumeTrue(Files.isRegularFile(jar), "pipeline/target/lookout-job.jar is built by `mvn package -Pjob-jar`; not built here");
        // What the image's /opt/flink/lib provides: Flink itself, RocksDB and the logging the job jar leaves out.
        String flinkLib = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> Pattern.compile("/org/apache/flink/flink-(?!connector-kafka)|/com/ververica/|/org/apache/logging/log4j/|/org/slf4j/")
                        .matcher(e.replace(File.separatorChar, '/')).find())
                .collect(Collectors.joining(File.pathSeparator));
        assertEquals(List.of("backfill", "run"), commandsListed(help(jar + File.pathSeparator + flinkLib)));
    }

    // ---- the dashboards and the notifier ----

    @Test
    void theDashboardsAndTheNotifierReadThePublishedSnapshotReadOnlyWithArgumentsTheirCommandsKnow() throws Exception {
        String db = LookoutConfig.load(DOCKER.resolve("lookout.properties")).db().toString();
        JsonNode kubernetes = appDeployments();

        List<String> serve = texts(services().path("dashboards").path("command"));
        List<String> kubernetesServe = texts(container(kubernetes, "lookout-dashboards").path("args"));
        assertEquals(KUBERNETES_SECRETS + "/dashboard_users", valueOf(kubernetesServe, "--users"));
        kubernetesServe.set(kubernetesServe.indexOf("--users") + 1, "/run/secrets/dashboard_users");
        assertEquals(serve, kubernetesServe, "the same arguments but where the secret is");
        assertEquals("serve", serve.get(0));
        assertEquals(db, valueOf(serve, "--db"));
        assertEquals("/run/secrets/dashboard_users", valueOf(serve, "--users"));
        assertKnownOptions(serve, new ServeCommand().usage());
        assertTrue(valueOf(serve, "--audit").startsWith("/opt/lookout/audit/"), "the audit log is on a writable volume");
        assertEquals("dashboards-audit:/opt/lookout/audit", volume(services().path("dashboards"), "/opt/lookout/audit"));

        List<String> notify = texts(services().path("notifier").path("command"));
        assertEquals(notify, texts(container(kubernetes, "lookout-notifier").path("args")));
        assertEquals(List.of("notify", "--config", "/opt/lookout/notifier.properties"), notify);
        assertKnownOptions(notify, new NotifyCommand().usage());
        Path notifierFile = mountedFile(services().path("notifier"), valueOf(notify, "--config"));
        assertEquals(DOCKER.resolve("notifier.properties").normalize(), notifierFile.normalize());
        NotifierConfig notifier = NotifierConfig.load(notifierFile);
        assertEquals(db, notifier.snapshot().toString());
        assertEquals("/run/secrets/subscriptions", notifier.subscriptions().toString());
        assertEquals("mailpit", notifier.smtpHost());
        assertEquals(1025, notifier.smtpPort());
        assertTrue(services().has("mailpit"));
        assertEquals("notifier-data:/opt/lookout/notifier", volume(services().path("notifier"), notifier.store().toString()));
        assertTrue(notifier.feedDir().startsWith(notifier.store()), "the feeds are written on the notifier's volume");
        assertEquals("kafka:9092", notifier.kafkaBootstrap());

        // Both readers mount the data volume read-only, in compose and on Kubernetes.
        for (String service : List.of("dashboards", "notifier")) {
            assertEquals("lookout-data:" + DATA + ":ro", volume(services().path(service), DATA), service);
        }
        for (String deployment : List.of("lookout-dashboards", "lookout-notifier")) {
            JsonNode pod = pod(kubernetes, deployment);
            assertTrue(mount(pod.path("containers").get(0), DATA).path("readOnly").asBoolean(), deployment);
            assertEquals("{\"claimName\":\"lookout-data\",\"readOnly\":true}",
                    pod.path("volumes").get(0).path("persistentVolumeClaim").toString(), deployment);
        }
    }

    @Test
    void theAppsImageRunsTheDispatcherOnTheClassPathItsProfileBuildsAsAnUnprivilegedUser() throws Exception {
        String apps = dockerfile("Dockerfile.apps");
        assertTrue(apps.contains("ENTRYPOINT [\"java\", \"-Dorg.apache.avro.SERIALIZABLE_PACKAGES=lookout\", \"-cp\", "
                + "\"/opt/lookout/lib/*\", \"lookout.kernel.Main\"]"));
        for (String module : List.of("dashboards", "notifier")) {
            assertTrue(apps.contains("COPY --chown=root:root " + module + "/target/image-lib/ /opt/lookout/lib/\n"), module);
            assertTrue(apps.contains(module + "/target/lookout-" + module + ".jar"), module);
            String pom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
            assertTrue(pom.contains("<finalName>lookout-" + module + "</finalName>"), module);
            assertTrue(pom.contains("<outputDirectory>${project.build.directory}/image-lib</outputDirectory>"), module);
        }
        for (String file : List.of("Dockerfile.job", "Dockerfile.apps")) {
            String d = dockerfile(file);
            assertTrue(d.startsWith("# ") && d.contains("\nFROM flink:2.2.1-scala_2.12-java17\n"), file);
            assertTrue(d.strip().lines().filter(l -> l.startsWith("USER ")).toList().equals(List.of("USER flink")), file + " runs as flink");
            assertTrue(d.lines().noneMatch(l -> l.startsWith("ENV ") || l.startsWith("ARG ")),
                    file + " bakes no variable in: keys, tokens and configs arrive at run time");
        }
    }

    @Test
    void theAppsClassPathStartsAndBringsTheDashboardsAndTheNotifiersCommands() throws Exception {
        List<Path> lib = List.of(ROOT.resolve("dashboards/target/image-lib"), ROOT.resolve("notifier/target/image-lib"),
                ROOT.resolve("dashboards/target/lookout-dashboards.jar"), ROOT.resolve("notifier/target/lookout-notifier.jar"));
        assumeTrue(lib.stream().allMatch(Files::exists),
                "the apps image's class path is built by `mvn package -Pimage-lib`; not built here");
        // What the image's /opt/lookout/lib holds: the two directories and the two jars, nothing from this JVM.
        String classPath = lib.stream().map(p -> Files.isDirectory(p) ? p + File.separator + "*" : p.toString())
                .collect(Collectors.joining(File.pathSeparator));
        assertEquals(List.of("notify", "serve", "users"), commandsListed(help(classPath)));
    }

    @Test
    void everyKubernetesPodRunsAsTheImagesUnprivilegedUserAndItsSecretsBesideTheServiceAccountToken() throws Exception {
        List<JsonNode> pods = new ArrayList<>();
        pods.add(flinkDeployment().path("spec").path("podTemplate").path("spec"));
        pods.add(pod(appDeployments(), "lookout-dashboards"));
        pods.add(pod(appDeployments(), "lookout-notifier"));
        for (JsonNode pod : pods) {
            assertEquals("{\"runAsNonRoot\":true,\"runAsUser\":9999,\"runAsGroup\":9999,\"fsGroup\":9999,"
                    + "\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}", pod.path("securityContext").toString());
            JsonNode container = pod.path("containers").get(0).path("securityContext");
            assertFalse(container.path("allowPrivilegeEscalation").asBoolean(true));
            assertEquals("[\"ALL\"]", container.path("capabilities").path("drop").toString());
            for (JsonNode v : pod.path("volumes")) {
                if (v.has("secret")) {
                    assertEquals(0440, v.path("secret").path("defaultMode").asInt(), "readable by fsGroup 9999 only");
                    assertEquals(KUBERNETES_SECRETS, mountOf(pod.path("containers").get(0), v.path("name").asText()).path("mountPath").asText());
                }
            }
        }
        JsonNode flinkContainer = pods.get(0).path("containers").get(0);
        assertEquals("flink-main-container", flinkContainer.path("name").asText());
        assertEquals("{\"name\":\"LOOKOUT_PSEUDONYM_KEY_FILE\",\"value\":\"" + KUBERNETES_SECRETS + "/pseudonym_key\"}",
                flinkContainer.path("env").get(0).toString());
        assertEquals("/run/secrets/pseudonym_key",
                services().path("submit").path("environment").path("LOOKOUT_PSEUDONYM_KEY_FILE").asText());
    }

    // ---- helpers ----

    static JsonNode yaml(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }

    static JsonNode services() throws IOException {
        return yaml(DOCKER.resolve("docker-compose.yml")).path("services");
    }

    static List<JsonNode> documents(Path file) throws IOException {
        return YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile()).readAll();
    }

    static JsonNode kind(Path file, String kind) throws IOException {
        return documents(file).stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst().orElseThrow();
    }

    static JsonNode flinkDeployment() throws IOException {
        return kind(DOCKER.resolve("kubernetes/flink-deployment.yaml"), "FlinkDeployment");
    }

    static JsonNode configMap() throws IOException {
        return kind(DOCKER.resolve("kubernetes/flink-deployment.yaml"), "ConfigMap");
    }

    static JsonNode appDeployments() throws IOException {
        return YAML.valueToTree(documents(DOCKER.resolve("kubernetes/apps.yaml")));
    }

    static JsonNode pod(JsonNode documents, String deployment) {
        for (JsonNode d : documents) {
            if (d.path("kind").asText().equals("Deployment") && d.path("metadata").path("name").asText().equals(deployment)) {
                return d.path("spec").path("template").path("spec");
            }
        }
        throw new AssertionError("no Deployment " + deployment);
    }

    static JsonNode container(JsonNode documents, String deployment) {
        return pod(documents, deployment).path("containers").get(0);
    }

    static JsonNode mount(JsonNode container, String path) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("mountPath").asText().equals(path)) {
                return m;
            }
        }
        throw new AssertionError("nothing mounted at " + path);
    }

    static JsonNode mountOf(JsonNode container, String volume) {
        for (JsonNode m : container.path("volumeMounts")) {
            if (m.path("name").asText().equals(volume)) {
                return m;
            }
        }
        throw new AssertionError("volume " + volume + " is not mounted");
    }

    static String dockerfile(String name) throws IOException {
        return Files.readString(DOCKER.resolve(name));
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The program arguments of a {@code flink run ... JAR ARGS} command line. */
    static List<String> jobArguments(List<String> flinkRun) {
        return flinkRun.subList(flinkRun.indexOf(JOB_JAR) + 1, flinkRun.size());
    }

    static String configArgument(List<String> args) {
        return valueOf(args, "--config");
    }

    static String valueOf(List<String> args, String option) {
        int i = args.indexOf(option);
        assertTrue(i >= 0 && i + 1 < args.size(), option + " with a value in " + args);
        return args.get(i + 1);
    }

    /** Every {@code --option} of a command line appears in the command's own usage text. */
    static void assertKnownOptions(List<String> args, String usage) {
        for (String a : args) {
            if (a.startsWith("--")) {
                assertTrue(usage.contains("[" + a + " ") || usage.contains(" " + a + " "), a + " is an option of " + args.get(0));
            }
        }
    }

    /** The compose volume entry (short syntax, SOURCE:TARGET[:ro]) mounted at {@code target}. */
    static String volume(JsonNode service, String target) {
        for (JsonNode v : service.path("volumes")) {
            if (v.asText().replaceFirst(":ro$", "").endsWith(":" + target)) {
                return v.asText();
            }
        }
        throw new AssertionError("nothing mounted at " + target + " in " + service.path("volumes"));
    }

    /** The repository file a compose bind mount puts at {@code target} (its default when a variable names it). */
    static Path mountedFile(JsonNode service, String target) {
        String source = volume(service, target).split(":" + target)[0];
        Matcher defaulted = Pattern.compile("\\$\\{[A-Z_]+:-(.+)}").matcher(source);
        return DOCKER.resolve(defaulted.matches() ? defaulted.group(1) : source);
    }

    static Map<String, String> flinkProperties(JsonNode service) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String line : service.path("environment").path("FLINK_PROPERTIES").asText().split("\n")) {
            int colon = line.indexOf(": ");
            p.put(line.substring(0, colon).strip(), line.substring(colon + 2).strip());
        }
        return p;
    }

    static Map<String, String> flinkConfiguration(JsonNode flat) {
        Map<String, String> p = new LinkedHashMap<>();
        flat.properties().forEach(e -> p.put(e.getKey(), e.getValue().asText()));
        return p;
    }

    /** {@code java -cp CLASS_PATH lookout.kernel.Main --help} in a JVM of its own; its output, after exit 0. */
    static String help(String classPath) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, "lookout.kernel.Main", "--help")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    static List<String> commandsListed(String help) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^  (\\S+) +").matcher(help.substring(help.indexOf("Commands:")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static Schema schema(String resource) throws IOException {
        try (InputStream in = DeploymentFilesTest.class.getResourceAsStream(resource)) {
            // The schema's relative $id (compose_spec.json) resolves against where it was read from.
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(
                    SchemaLocation.of("classpath:lookout/docker/" + resource), new ObjectMapper().readTree(in));
        }
    }

    /**
     * The FlinkDeployment's openAPIV3Schema, with what the API server does to unknown fields made strict: it
     * silently prunes a field a structural schema does not declare, so a misspelt field would be lost, not
     * refused; here every object schema that declares its properties and does not preserve unknown fields
     * refuses others, as {@code kubectl apply --validate=strict} does.
     */
    static Schema crdSchema() throws IOException {
        try (InputStream in = DeploymentFilesTest.class.getResourceAsStream("flinkdeployments.flink.apache.org-v1.yml")) {
            JsonNode crd = YAML.readTree(in);
            ObjectNode schema = (ObjectNode) crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
            // The API server itself accepts these three at the top of every object; the CRD leaves them out.
            ObjectNode top = (ObjectNode) schema.path("properties");
            top.set("apiVersion", YAML.readTree("{type: string, enum: [flink.apache.org/v1beta1]}"));
            top.set("kind", YAML.readTree("{type: string, enum: [FlinkDeployment]}"));
            top.set("metadata", YAML.readTree("{type: object, required: [name]}"));
            strict(schema);
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(schema);
        }
    }

    static void strict(JsonNode node) {
        if (node instanceof ObjectNode o && o.has("properties") && !o.has("additionalProperties")
                && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
            o.put("additionalProperties", false);
        }
        node.forEach(DeploymentFilesTest::strict);
    }

    static List<String> messages(List<Error> errors) {
        return errors.stream().map(Error::toString).toList();
    }
}
