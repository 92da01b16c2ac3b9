package lookout.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import lookout.config.KafkaTopics;
import lookout.config.LookoutConfig;
import lookout.demo.EmbeddedKafka;
import lookout.ingest.Source;
import lookout.job.Environments;
import lookout.job.KafkaJob;
import lookout.privacy.PseudonymKey;
import lookout.sink.DuckDbStore;

/**
 * The production path, in one JVM: a real Kafka broker, the streaming job with exactly-once checkpoints
 * reading every source topic, and the DuckDB sink publishing after each checkpoint. Each source topic has
 * one partition, so a signal's events are applied in the order they were appended.
 */
final class StreamingRig implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final EmbeddedKafka kafka;
    private final LookoutConfig config;
    private final JobClient job;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong failedSends = new AtomicLong();

    private StreamingRig(EmbeddedKafka kafka, LookoutConfig config, JobClient job) {
        this.kafka = kafka;
        this.config = config;
        this.job = job;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        // On a busy shared machine the broker can fall minutes behind a flat-out producer; wait rather than drop.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "600000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
    }

    static StreamingRig start(BenchCity city, Path dir, Duration checkpointInterval, int parallelism) throws Exception {
        deleteRecursively(dir);
        Files.createDirectories(dir);
        EmbeddedKafka kafka = EmbeddedKafka.start(dir);
        try {
            LookoutConfig config = LookoutConfig.defaults()
                    .with("kafka.bootstrap", kafka.bootstrapServers())
                    .with("boundaries", city.boundarySetting())
                    .with("db", dir.resolve("stream.duckdb").toString())
                    .with("checkpoint.interval", checkpointInterval.toString())
                    .with("checkpoint.dir", dir.resolve("checkpoints").toString())
                    .with("parallelism", Integer.toString(parallelism));
            kafka.createTopics(1, KafkaTopics.all(config).toArray(String[]::new));
            DuckDbStore.delete(config.db());
            StreamExecutionEnvironment env = Environments.create(Environments.streaming(config, null), parallelism);
            KafkaJob.build(env, config, PseudonymKey.ephemeral(), OffsetsInitializer.earliest(), false, false);
            JobClient job = env.executeAsync("lookout bench streaming");
            StreamingRig rig = new StreamingRig(kafka, config, job);
            rig.awaitRunning();
            return rig;
        } catch (Exception | Error e) {
            kafka.close();
            throw e;
        }
    }

    private void awaitRunning() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (job.getJobStatus().get(10, TimeUnit.SECONDS) != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the streaming job did not start within " + START_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    void send(Source source, byte[] value, long createTimeMillis) {
        producer.send(new ProducerRecord<>(KafkaTopics.input(config, source.signal()), null, createTimeMillis, null, value),
                (metadata, e) -> {
                    if (e != null) {
                        failedSends.incrementAndGet();
                    }
                });
    }

    /** Records the broker never took: they can never become visible, and every figure that counts them says so. */
    long failedSends() {
        return failedSends.get();
    }

    void flush() {
        producer.flush();
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    String alertTopic() {
        return KafkaTopics.alerts(config);
    }

    Path db() {
        return config.db();
    }

    Duration checkpointInterval() {
        return config.checkpointInterval();
    }

    /**
     * Records the published DuckDB file accounts for, as hourly counts or as dead letters: those whose
     * checkpoint completed and was committed.
     */
    long publishedRecords() throws SQLException {
        if (!Files.exists(config.db())) {
            return 0;
        }
        try (Connection c = DuckDbStore.openPublished(config.db());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT coalesce(sum(count), 0) FROM area_counts WHERE granularity = 'hour')"
                     + " + (SELECT count(*) FROM dead_letters)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The newest completed checkpoint's chk-N directory. */
    Optional<Path> latestCheckpoint() throws IOException {
        Path root = config.checkpointDir();
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> walk = Files.walk(root, 2)) {
            return walk
                    .filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(4))));
        }
    }

    /** Total size on disk of a checkpoint: every file under its chk-N directory. */
    static long bytesOnDisk(Path checkpoint) throws IOException {
        try (Stream<Path> files = Files.walk(checkpoint)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            producer.close(Duration.ofSeconds(10));
            job.cancel().get(60, TimeUnit.SECONDS);
            awaitEnd();
        } finally {
            kafka.close();
        }
    }

    /**
     * Waits until the cancelled job has ended. The cancel call returns once the request is taken, while the sources'
     * coordinator still asks the broker for partitions; closing the broker then made it log a page of errors.
     */
    private void awaitEnd() throws Exception {
        try {
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException cancelled) {
            // A cancelled job's result is its cancellation: the job has ended, which is all that is waited for.
        }
    }

    /**
     * Deletes {@code dir} and everything in it. A job cancelled a moment ago may still be writing its last
     * checkpoint files there on a busy machine, so a directory that is not yet empty is tried again a few times.
     */
    static void deleteRecursively(Path dir) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                deleteOnce(dir);
                return;
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                if (attempt == 20) {
                    throw e;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static void deleteOnce(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
