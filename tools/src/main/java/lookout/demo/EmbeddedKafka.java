package lookout.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker (KRaft, broker and controller in one node) inside this JVM, listening on loopback
 * only, so the demo and the tests exercise the same client code paths as production without Docker.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Free ports are found by binding port 0 and releasing it; another process may grab one in between. */
    private static final int START_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final Path dir;
    private final String bootstrapServers;
    private final Admin admin;
    private final Thread cleanupOnExit;
    private boolean closed;

    private EmbeddedKafka(KafkaRaftServer server, Path dir, String bootstrapServers, Admin admin) {
        this.server = server;
        this.dir = dir;
        this.bootstrapServers = bootstrapServers;
        this.admin = admin;
        // An interrupted demo (Ctrl-C) would otherwise leave broker files behind in the temp directory.
        this.cleanupOnExit = new Thread(this::shutDownAndDelete, "embedded-kafka-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    /**
     * For an owner whose own shutdown hook closes this broker after the clients that use it. On Ctrl-C the JVM runs
     * every hook at once, so the broker's own hook stopped it under the demo's notifier and job, whose last requests
     * then failed with a page of errors.
     */
    public void ownerClosesOnExit() {
        Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
    }

    /** Starts a broker whose files live in a fresh directory under the system temp dir. */
    public static EmbeddedKafka start() {
        return start(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Starts a broker whose files live in a fresh subdirectory of {@code parentDir} (created if missing);
     * that subdirectory is deleted by {@link #close()}.
     */
    public static EmbeddedKafka start(Path parentDir) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            Path dir = createDir(parentDir);
            try {
                return startIn(dir);
            } catch (RuntimeException e) {
                deleteRecursively(dir);
                last = e;
            }
        }
        throw last;
    }

    private static EmbeddedKafka startIn(Path dir) {
        int brokerPort = freePort();
        int controllerPort = freePort();
        Properties props = brokerProperties(dir, brokerPort, controllerPort);
        format(dir, props);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        String bootstrap = HOST + ":" + brokerPort;
        Admin admin = null;
        try {
            server.startup();
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_CALL_TIMEOUT.toMillis()));
            awaitReady(admin, bootstrap);
            return new EmbeddedKafka(server, dir, bootstrap, admin);
        } catch (RuntimeException e) {
            if (admin != null) {
                admin.close(Duration.ZERO);
            }
            server.shutdown();
            server.awaitShutdown();
            throw e;
        }
    }

    /** A single-node KRaft broker and controller on loopback, its logs in {@code dir} (also the cluster harness's broker). */
    public static Properties brokerProperties(Path dir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.resolve("logs").toString());
        p.put("num.partitions", "1");
        // A single node cannot satisfy the production defaults of three replicas for internal topics.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Consumers in tests and the demo should not wait three seconds for a group rebalance.
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    private static void format(Path dir, Properties props) {
        Path config = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            props.store(out, "embedded Kafka for Lookout");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write embedded Kafka config in " + dir, e);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int code;
        try (PrintStream ps = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            code = StorageTool.execute(
                    new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()}, ps);
        }
        if (code != 0) {
            throw new IllegalStateException("formatting embedded Kafka storage failed (exit " + code + "): "
                    + output.toString(StandardCharsets.UTF_8).strip());
        }
    }

    private static void awaitReady(Admin admin, String bootstrap) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (!get(admin.describeCluster().nodes(), Duration.ofSeconds(5)).isEmpty()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException("embedded Kafka broker at " + bootstrap + " did not answer describeCluster within "
                + READY_TIMEOUT.toSeconds() + " s" + (last == null ? "" : ": " + last.getMessage()), last);
    }

    /** Bootstrap address for clients, e.g. {@code 127.0.0.1:40123}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Creates each topic with the given partition count and replication factor 1; topics that exist are left as they are. */
    public void createTopics(int partitions, String... topics) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics) {
            newTopics.add(new NewTopic(topic, partitions, (short) 1));
        }
        var results = admin.createTopics(newTopics).values();
        for (String topic : topics) {
            try {
                get(results.get(topic), ADMIN_CALL_TIMEOUT);
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        awaitTopics(topics);
    }

    /** A new topic's metadata reaches the broker a moment after the controller accepted it. */
    private void awaitTopics(String... topics) {
        long deadline = System.nanoTime() + ADMIN_CALL_TIMEOUT.toNanos();
        while (true) {
            try {
                get(admin.describeTopics(Arrays.asList(topics)).allTopicNames(), ADMIN_CALL_TIMEOUT);
                return;
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Directory holding this broker's files; gone after {@link #close()}. */
    public Path dataDir() {
        return dir;
    }

    @Override
    public void close() {
        shutDownAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // The JVM is exiting and the hook is running or has run; nothing left to deregister.
        }
    }

    private synchronized void shutDownAndDelete() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            admin.close(Duration.ofSeconds(5));
            server.shutdown();
            server.awaitShutdown();
        } finally {
            deleteRecursively(dir);
        }
    }

    private static <T> T get(KafkaFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("embedded Kafka admin call failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("embedded Kafka admin call timed out after " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for embedded Kafka", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for embedded Kafka", e);
        }
    }

    private static Path createDir(Path parentDir) {
        try {
            Files.createDirectories(parentDir);
            return Files.createTempDirectory(parentDir, "lookout-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create embedded Kafka directory under " + parentDir, e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete embedded Kafka directory " + root, e);
        }
    }
}
