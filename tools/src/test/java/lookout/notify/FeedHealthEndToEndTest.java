package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.internet.MimeMessage;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import lookout.config.KafkaTopics;
import lookout.config.LookoutConfig;
import lookout.demo.EmbeddedKafka;
import lookout.ingest.KafkaCluster;
import lookout.job.Environments;
import lookout.job.KafkaJob;
import lookout.privacy.PseudonymKey;
import lookout.replay.KafkaPublisher;
import lookout.testing.Db;

/**
 * Issue 12's must-show for feed health: the streaming job on a real broker, fed a paramedic and a naloxone record
 * every {@link #GAP}; the paramedic source stops, and the operator's message reaches a real SMTP inbox (GreenMail)
 * and a real webhook receiver within twice the source's usual gap; the all-clear follows when it resumes. The
 * naloxone source, still flowing, and the two sources that never sent anything, are never reported. The same
 * job serves its gauges to Prometheus over HTTP.
 */
class FeedHealthEndToEndTest {
    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());
    /** The sources' rhythm: seconds, so the test is short, and regular, so the usual gap is GAP. */
    private static final Duration GAP = Duration.ofSeconds(4);
    /** Gaps of history before the usual gap is trusted (feed.min_history). */
    private static final int HISTORY = 4;
    private static final Pattern SILENT = Pattern.compile(
            "Paramedic feed silent for (\\d+) seconds; usually a record every (\\d+) seconds\\. .*", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<String> webhookBodies = new CopyOnWriteArrayList<>();
    private final List<Long> webhookArrivals = new CopyOnWriteArrayList<>();

    @Test
    @Timeout(180)
    void aStoppedSourceIsToldToTheOperatorWithinTwiceItsUsualGapAndItsResumptionAfter() throws Exception {
        int metricsPort;
        try (ServerSocket free = new ServerSocket(0)) {
            metricsPort = free.getLocalPort();
        }
        HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/ops", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                webhookBodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                webhookArrivals.add(System.nanoTime());
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        Path db = dir.resolve("lookout.duckdb");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            LookoutConfig config = LookoutConfig.defaults()
                    .with("kafka.bootstrap", kafka.bootstrapServers())
                    .with("db", db.toString())
                    .with("checkpoint.interval", "PT1S")
                    .with("checkpoint.dir", dir.resolve("checkpoints").toString())
                    .with("parallelism", "1")
                    .with("feed.silence_multiple", "1.4")
                    .with("feed.usual_gap_floor", "PT1S")
                    .with("feed.min_history", Integer.toString(HISTORY))
                    .with("metrics.prometheus_port", Integer.toString(metricsPort));
            KafkaCluster.ensureTopics(config.kafkaBootstrap(), config.kafkaProperties(), KafkaTopics.all(config), 1);
            StreamExecutionEnvironment env = Environments.create(Environments.streaming(config, null), 1);
            KafkaJob.build(env, config, PseudonymKey.ephemeral(), OffsetsInitializer.earliest(), false, false);
            JobClient job = env.executeAsync("feed health test");

            ByteArrayOutputStream notifierOutput = new ByteArrayOutputStream();
            Path subscribers = Files.writeString(dir.resolve("subscribers.json"), "{\"subscribers\": []}");
            NotifierConfig notifierConfig = NotifierConfig.fromMap(Map.of(
                    "kafka.bootstrap", kafka.bootstrapServers(), "subscriptions", subscribers.toString(),
                    "store", dir.resolve("store").toString(), "feed.dir", dir.resolve("feed").toString(),
                    "smtp.host", "127.0.0.1", "smtp.port", Integer.toString(MAIL.getSmtp().getPort()),
                    "operator.email", "feeds@ops.example.org",
                    "operator.webhook", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/ops"));
            Notifier notifier = Notifier.start(notifierConfig, Clock.systemUTC(),
                    new PrintStream(notifierOutput, true, StandardCharsets.UTF_8));
            Thread notifying = new Thread(notifier::run, "notifier");
            notifying.start();

            try (KafkaPublisher publisher = new KafkaPublisher(config)) {
                // Warm up: one record of each, counted once the job runs, so the gaps it learns are the rhythm's.
                long warmUp = System.nanoTime();
                send(publisher, "paramedic");
                send(publisher, "naloxone");
                waitUntil(Duration.ofSeconds(90), () -> counted(db) >= 2, "the job counts the first records");
                sleepUntil(warmUp + GAP.toNanos());

                AtomicBoolean paramedicFlows = new AtomicBoolean(true);
                AtomicLong lastParamedic = new AtomicLong();
                producer.scheduleAtFixedRate(() -> {
                    if (paramedicFlows.get()) {
                        send(publisher, "paramedic");
                        lastParamedic.set(System.nanoTime());
                    }
                    send(publisher, "naloxone");
                }, 0, GAP.toMillis(), TimeUnit.MILLISECONDS);

                // HISTORY + 1 records after the warm-up: the usual gap is learned; nothing is reported meanwhile.
                Thread.sleep(GAP.toMillis() * HISTORY + GAP.toMillis() / 2);
                assertEquals(0, MAIL.getReceivedMessages().length, "a regular feed is never called silent");
                double learned = paramedicGauges(metricsPort).get("usualGapSeconds");
                assertTrue(learned >= GAP.toSeconds() - 1 && learned <= GAP.toSeconds() + 1, "usual gap " + learned);

                paramedicFlows.set(false);
                Thread.sleep(GAP.toMillis() / 2); // past the next tick, which sends only naloxone
                long stopped = lastParamedic.get();
                waitUntil(GAP.multipliedBy(3), () -> MAIL.getReceivedMessages().length >= 1, "the silence is told");
                long told = System.nanoTime();
                System.out.printf("feed health: the silence was told %d ms after the last paramedic record%n",
                        (told - stopped) / 1_000_000);
                assertTrue(told - stopped <= 2 * GAP.toNanos(), "told " + (told - stopped) / 1_000_000
                        + " ms after the last paramedic record; twice the usual gap is " + 2 * GAP.toMillis() + " ms");
                waitUntil(GAP, () -> webhookBodies.size() >= 1, "the webhook is told too");
                assertTrue(webhookArrivals.get(0) - stopped <= 2 * GAP.toNanos(), "the webhook within twice the usual gap");

                MimeMessage silent = MAIL.getReceivedMessages()[0];
                assertEquals("Lookout: Paramedic feed silent", silent.getSubject());
                Matcher m = SILENT.matcher(GreenMailUtil.getBody(silent).strip());
                assertTrue(m.matches(), GreenMailUtil.getBody(silent));
                assertEquals(GAP.toSeconds(), Long.parseLong(m.group(2)),
                        "usually a record every " + GAP.toSeconds() + " seconds");
                // One scrape, both gauges: the silence is told no sooner than the multiple of the gap the job learned,
                // which jitters with the machine's load around GAP (3.7 s makes the threshold 5.18 s, not 5.6 s).
                Map<String, Double> gauges = paramedicGauges(metricsPort);
                double since = gauges.get("secondsSinceLastRecord");
                double threshold = 1.4 * gauges.get("usualGapSeconds");
                assertTrue(since >= threshold - 0.001 && since <= 60, "secondsSinceLastRecord = " + since
                        + ", expected at least 1.4 usual gaps (" + threshold + " s) and at most 60");
                long silentFor = Long.parseLong(m.group(1));
                assertTrue(silentFor >= Math.floor(threshold) && silentFor <= 2 * GAP.toSeconds(),
                        "silent for 1.4 usual gaps (" + threshold + " s) or a little more: " + silentFor);

                Thread.sleep(GAP.toMillis());
                paramedicFlows.set(true);
                waitUntil(GAP.multipliedBy(3), () -> MAIL.getReceivedMessages().length >= 2, "the all-clear is told");
                assertEquals("Lookout: Paramedic feed back", MAIL.getReceivedMessages()[1].getSubject());
                assertTrue(GreenMailUtil.getBody(MAIL.getReceivedMessages()[1]).strip()
                        .matches("All-clear: the Paramedic feed has resumed after \\d+ seconds of silence\\."));
                waitUntil(GAP, () -> webhookBodies.size() >= 2, "the webhook is told the all-clear");
                JsonNode opened = JSON.readTree(webhookBodies.get(0));
                JsonNode ended = JSON.readTree(webhookBodies.get(1));
                assertEquals(opened.path("episode_id").asText(), ended.path("episode_id").asText());
                assertEquals("silent", ended.path("status").asText());
                assertTrue(opened.path("until").isNull() && !ended.path("until").isNull());

                waitUntil(Duration.ofSeconds(30), () -> query(db, "SELECT count(*) FROM feed_health WHERE until IS NOT NULL")
                        .equals(List.of("1")), "the ended episode is published");
                assertEquals(List.of("paramedic|silent|" + GAP.toSeconds()), query(db,
                        "SELECT source, status, round(usual_gap_seconds) :: INT FROM feed_health"),
                        "one episode: naloxone never stopped, coroner and drug checking have no history");
                Thread.sleep(GAP.toMillis());
                assertEquals(2, MAIL.getReceivedMessages().length, "nothing more: each step told once");
                assertEquals(2, webhookBodies.size());
            } finally {
                producer.shutdownNow();
                notifier.wakeup();
                notifying.join(10_000);
                notifier.close();
                job.cancel().get(30, TimeUnit.SECONDS);
            }
            String log = notifierOutput.toString(StandardCharsets.UTF_8) + Files.readString(dir.resolve("store/operator.ndjson"));
            assertTrue(!log.contains("ops.example.org"), "no operator address in the notifier's output or log");
        } finally {
            webhook.stop(0);
        }
    }

    private static void send(KafkaPublisher publisher, String source) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String line = "{\"event_id\": \"" + UUID.randomUUID() + "\", \"source\": \"" + source + "\", \"occurred_at\": \""
                + now.minusMinutes(2) + "\", \"reported_at\": \"" + now + "\", \"area_code\": \"D05\"}";
        publisher.publish(line.getBytes(StandardCharsets.UTF_8));
        publisher.flush();
    }

    private static long counted(Path db) {
        List<String> rows = query(db, "SELECT coalesce(sum(count), 0) FROM area_counts WHERE granularity = 'hour'");
        return rows.isEmpty() ? 0 : Long.parseLong(rows.get(0));
    }

    /** The published file's rows, or none while it does not exist yet. */
    private static List<String> query(Path db, String sql) {
        if (!Files.exists(db)) {
            return List.of();
        }
        try {
            return Db.query(db, sql);
        } catch (Exception e) {
            return List.of();
        }
    }

    /** The paramedic source's gauges, by name, from one read of the Prometheus endpoint over HTTP. */
    private static Map<String, Double> paramedicGauges(int port) throws Exception {
        String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> gauges = new HashMap<>();
        for (String name : List.of("usualGapSeconds", "secondsSinceLastRecord")) {
            Matcher m = Pattern.compile("(?m)^flink_taskmanager_job_task_operator_source_" + name
                    + "\\{[^}]*source=\"paramedic\"[^}]*\\} (\\S+)$").matcher(page);
            assertTrue(m.find(), name + " of paramedic is not served:\n" + page.lines()
                    .filter(l -> l.contains(name)).toList());
            gauges.put(name, Double.parseDouble(m.group(1)));
        }
        return gauges;
    }

    private static void waitUntil(Duration limit, BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " within " + limit);
            Thread.sleep(50);
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000);
        }
    }
}
