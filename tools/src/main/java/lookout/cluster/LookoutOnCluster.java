package lookout.cluster;

import java.io.IOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import lookout.config.LookoutConfig;
import lookout.replay.KafkaPublisher;

/**
 * Lookout's streaming job ({@code lookout run}) on a {@link FlinkCluster} fed by a {@link KafkaBroker}: the job jar
 * built by {@code -Pjob-jar}, a config file per run, submission through the REST API with the same arguments as
 * {@code flink run -c lookout.kernel.Main lookout-job.jar run --config FILE}.
 */
public final class LookoutOnCluster {
    /** The job jar's entry point, as in docker/ and README.md. */
    public static final String ENTRY_CLASS = "lookout.kernel.Main";

    private LookoutOnCluster() {}

    /** pipeline/target/lookout-job.jar, which `mvn package -Pjob-jar` builds (CI: `mvn -B verify -Pjob-jar,image-lib`). */
    public static Path jobJar() {
        return checkout().resolve("pipeline/target/lookout-job.jar");
    }

    /**
     * The checkout these classes were built in: they are loaded from tools/target/classes (tests) or
     * tools/target/lookout-tools.jar (`./lookout`), both three levels below it.
     */
    static Path checkout() {
        try {
            Path built = Path.of(LookoutOnCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return built.toAbsolutePath().getParent().getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot tell where the tools module was loaded from", e);
        }
    }

    /**
     * A fresh pseudonym key (base64 of 32 random bytes) for {@code LOOKOUT_PSEUDONYM_KEY} of the JobManager, which
     * runs {@code lookout run}'s main method when the jar is run through the REST API. Every run of one comparison
     * must use the same key, or deduplication and linkage differ.
     */
    public static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /**
     * Writes {@code dir/NAME.properties} for one run: topics {@code NAME.*} on {@code broker}, consumer group
     * {@code NAME}, the database {@code dir/NAME/lookout.duckdb}, checkpoints in {@code dir/NAME/checkpoints} every
     * 500 ms; {@code settings} add or replace keys (e.g. parallelism, state.backend).
     */
    public static Path writeConfig(Path dir, String name, KafkaBroker broker, Map<String, String> settings) throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("kafka.bootstrap", broker.bootstrapServers());
        c.put("kafka.topic_prefix", name);
        c.put("kafka.consumer_group", name);
        c.put("db", dir.resolve(name).resolve("lookout.duckdb").toString());
        c.put("checkpoint.dir", dir.resolve(name).resolve("checkpoints").toString());
        c.put("checkpoint.interval", "PT0.5S");
        c.putAll(settings);
        Files.createDirectories(dir.resolve(name));
        Path file = dir.resolve(name + ".properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> e : c.entrySet()) {
                w.write(e.getKey() + " = " + e.getValue() + "\n");
            }
        }
        return file;
    }

    /**
     * Submits {@code lookout run --config FILE [--stop-at-latest] [--from-checkpoint PATH]} through the REST API;
     * the job id.
     */
    public static String submitRun(FlinkCluster cluster, String jarId, Path configFile, boolean stopAtLatest,
            String fromCheckpoint) throws IOException, InterruptedException {
        return submit(cluster, jarId, configFile, stopAtLatest, fromCheckpoint, false);
    }

    /**
     * As {@link #submitRun}, without a restore and with {@code --fresh-state}: a new run on a database an earlier run
     * wrote, whose sink would otherwise refuse to start there.
     */
    public static String submitFreshRun(FlinkCluster cluster, String jarId, Path configFile, boolean stopAtLatest)
            throws IOException, InterruptedException {
        return submit(cluster, jarId, configFile, stopAtLatest, null, true);
    }

    private static String submit(FlinkCluster cluster, String jarId, Path configFile, boolean stopAtLatest,
            String fromCheckpoint, boolean freshState) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("run", "--config", configFile.toString()));
        if (stopAtLatest) {
            args.add("--stop-at-latest");
        }
        if (fromCheckpoint != null) {
            args.addAll(List.of("--from-checkpoint", fromCheckpoint));
        }
        if (freshState) {
            args.add("--fresh-state");
        }
        return cluster.run(jarId, ENTRY_CLASS, args, null);
    }

    /** Publishes NDJSON lines to the run's topics as the replay tool does (Avro where the contract allows). */
    public static void publish(LookoutConfig config, List<String> lines) {
        try (KafkaPublisher publisher = new KafkaPublisher(config)) {
            for (String line : lines) {
                publisher.publish(line.getBytes(StandardCharsets.UTF_8));
            }
            publisher.flush();
        }
    }

    /**
     * The newest retained checkpoint of {@code jobId} on disk (a {@code chk-N} directory holding {@code _metadata}):
     * what an operator resumes from when the JobManager that knew the job is gone.
     */
    public static Optional<Path> latestRetainedCheckpoint(LookoutConfig config, String jobId) throws IOException {
        Path jobDir = config.checkpointDir().resolve(jobId);
        if (!Files.isDirectory(jobDir)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jobDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> Files.exists(d.resolve("_metadata")))
                    .max(Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString().substring(4))));
        }
    }
}
