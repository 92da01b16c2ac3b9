package lookout.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import lookout.demo.EmbeddedKafka;

/**
 * A KRaft Kafka broker (broker and controller in one node, {@code kafka.Kafka}) in its own JVM on loopback. Its
 * ports and log directory are fixed when it is created, so it can be stopped, killed and started again as the same
 * broker with the same topics and offsets.
 */
public final class KafkaBroker implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Path config;
    private ChildJvm process;
    private int starts;

    private KafkaBroker(Path dir, int port, Path config) {
        this.dir = dir;
        this.port = port;
        this.config = config;
    }

    /** Formats a broker's storage in {@code dir} and starts it. */
    public static KafkaBroker start(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = FlinkCluster.freePort();
        int controllerPort = FlinkCluster.freePort();
        Properties p = EmbeddedKafka.brokerProperties(dir, port, controllerPort);
        Path config = dir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            p.store(out, "lookout.cluster.KafkaBroker");
        }
        ChildJvm.run(classPath(), "kafka.tools.StorageTool",
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()),
                dir.resolve("tmp"), dir.resolve("format.out"), Duration.ofSeconds(60));
        KafkaBroker broker = new KafkaBroker(dir, port, config);
        try {
            broker.startAgain();
        } catch (IOException | InterruptedException | RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /** The test JVM's class path holds Kafka's server (a dependency of tools). */
    private static String classPath() {
        return System.getProperty("java.class.path");
    }

    /** Starts the broker after {@link #stop()} or {@link #kill()}: same port, same data. */
    public void startAgain() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the broker is running");
        }
        String name = "kafka-" + (starts++);
        process = ChildJvm.start(name, classPath(), List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "-Dlog4j2.configurationFile=" + log4jConfig().toUri()), "kafka.Kafka", List.of(config.toString()),
                dir.resolve("tmp"), dir.resolve(name + ".out"), Map.of());
        awaitReady(Duration.ofSeconds(90));
    }

    private Path log4jConfig() throws IOException {
        Path file = dir.resolve("log4j2.properties");
        if (!Files.exists(file)) {
            Files.writeString(file, """
                    rootLogger.level = WARN
                    rootLogger.appenderRef.out.ref = out
                    appender.out.type = Console
                    appender.out.name = out
                    appender.out.layout.type = PatternLayout
                    appender.out.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} %m%n
                    """);
        }
        return file;
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000))) {
            FlinkCluster.awaitCondition("the broker at " + bootstrapServers(), timeout, () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the broker exited:\n" + process.tail(30));
                }
                try {
                    return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** SIGTERM: a controlled shutdown. */
    public void stop() {
        process.stop(Duration.ofSeconds(30));
    }

    /** SIGKILL. */
    public void kill() {
        process.kill();
    }

    public ChildJvm process() {
        return process;
    }

    /** Stops the broker; its data directory stays in {@code dir} (a JUnit temp dir removes it). */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.stop(Duration.ofSeconds(30));
        }
    }
}
