package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.demo.EmbeddedKafka;
import lookout.ingest.AvroContractCodec;
import lookout.kernel.Topics;
import lookout.schema.Alert;
import lookout.testing.RunningClock;

/**
 * Anonymous SMS opt-in and opt-out end to end: a real broker, the notifier with its HTTP server, and a real SMS
 * gateway stub (the JDK's HTTP server) that both sends the notifier's texts and posts the texts it receives to the
 * inbound webhook. JOIN then an alert in that area reaches the phone once; STOP removes the number from the store
 * before the webhook answers, is confirmed by one text, and nothing is sent to the number after it.
 */
class SmsInboundEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long HOUR = 3_600_000L;
    private static final long WINDOW_START = Instant.parse("2026-11-03T01:00:00Z").toEpochMilli();
    private static final String PHONE = "+14165550142";
    private static final String SECRET = "inbound-secret-0123456789abcdef";

    @TempDir
    Path dir;

    private EmbeddedKafka kafka;
    private HttpServer gateway;
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        kafka = EmbeddedKafka.start(dir);
        kafka.createTopics(1, Topics.name("lookout", Topics.ALERTS));
        gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.createContext("/send", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                sent.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        gateway.start();
    }

    @AfterEach
    void stop() {
        gateway.stop(0);
        kafka.close();
    }

    private NotifierConfig config() throws Exception {
        Path snapshot = dir.resolve("lookout.duckdb");
        PublishedDb.withAreas(snapshot, Map.of("073", "Moss Park", "140", "Guildwood"));
        Map<String, String> v = new HashMap<>();
        v.put("kafka.bootstrap", kafka.bootstrapServers());
        v.put("subscriptions", Files.writeString(dir.resolve("subscribers.json"), "{\"subscribers\": []}").toString());
        v.put("store", dir.resolve("store").toString());
        v.put("feed.dir", dir.resolve("feed").toString());
        v.put("snapshot", snapshot.toString());
        v.put("sms.url", "http://127.0.0.1:" + gateway.getAddress().getPort() + "/send");
        v.put("http.port", "0");
        v.put("http.token", "service-token-0123456789abcdef");
        v.put("sms.inbound_token", SECRET);
        return NotifierConfig.fromMap(v);
    }

    /** A text from the phone, as the gateway posts it to the inbound webhook (a form, the secret in the URL). */
    private String text(Notifier notifier, String words) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + notifier.httpPort()
                        + "/sms/inbound?token=" + SECRET))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("from=%2B14165550142&text="
                        + java.net.URLEncoder.encode(words, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static Alert alert(String spike, String area, String status, String severity) {
        return Alert.newBuilder().setSpikeId(spike).setAreaId(area).setSignal("paramedic").setMethod("intraday")
                .setOpenedAt(WINDOW_START + 5 * HOUR).setUpdatedAt(WINDOW_START + 6 * HOUR).setClosedAt(null)
                .setWindowStart(WINDOW_START).setWindowEnd(WINDOW_START + 6 * HOUR).setObserved(9)
                .setExpected(1.2).setThreshold(5).setScore(3.1).setSeverity(severity).setStatus(status)
                .setEvidence("{}").setExplanation("...").build();
    }

    private void produce(Alert... alerts) throws Exception {
        AvroContractCodec codec = new AvroContractCodec();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Alert a : alerts) {
                producer.send(new ProducerRecord<>(Topics.name("lookout", Topics.ALERTS),
                        a.getSpikeId().getBytes(StandardCharsets.UTF_8), codec.encode(a))).get();
            }
        }
    }

    /** Polls until {@code records} more records were read and {@code done} holds. */
    private void pollUntil(Notifier notifier, int records, BooleanSupplier done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int read = 0;
        while (read < records || !done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "the notifier did not get there within " + WAIT + "; read " + read
                    + "; sent " + sent);
            read += notifier.poll(Duration.ofMillis(200));
        }
    }

    private static String sms(String text) {
        return "{\"to\":\"" + PHONE + "\",\"text\":\"" + text + "\"}";
    }

    @Test
    void joinThenAnAlertReachesThePhoneOnceAndStopRemovesTheNumberAtOnceWithOneConfirmation() throws Exception {
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        Path store = dir.resolve("store/subscribers.json");
        // An hour after the alerts: they are news.
        Instant present = Instant.ofEpochMilli(WINDOW_START + 7 * HOUR);
        try (Notifier notifier = Notifier.start(config(), RunningClock.at(present), out)) {
            assertTrue(text(notifier, "JOIN moss park").contains("\"action\":\"joined\""));
            assertTrue(Files.readString(store).contains(PHONE));
            pollUntil(notifier, 0, () -> sent.size() == 1);
            assertEquals(sms("Lookout: you will get overdose alerts for Moss Park. Reply STOP to end, HELP for help."),
                    sent.get(0));

            produce(alert("spike-1", "073", "opened", "moderate"), alert("spike-2", "140", "opened", "high"));
            pollUntil(notifier, 2, () -> sent.size() >= 2);
            assertEquals(2, sent.size(), "one alert in Moss Park; none for Guildwood: " + sent);
            // Anybody can text JOIN: the number is told what the public feeds tell, without the count.
            assertEquals(sms("Lookout moderate alert since Mon. 2 Nov., 8 p.m.: more paramedic calls for overdoses"
                    + " than usual in Moss Park. Don't use alone. http://localhost:8080/alerts"), sent.get(1));

            long before = System.nanoTime();
            assertTrue(text(notifier, "STOP").contains("\"action\":\"stopped\""));
            long stopMillis = (System.nanoTime() - before) / 1_000_000;
            String left = Files.readString(store);
            assertFalse(left.contains("4165550142"), "the number is gone from the store when STOP is answered: " + left);
            System.out.println("SmsInboundEndToEndTest: STOP answered, number deleted, in " + stopMillis + " ms");
            pollUntil(notifier, 0, () -> sent.size() == 3);
            assertEquals(sms("Lookout: you will get no more alerts and your number is deleted. Text JOIN and an area to"
                    + " start again."), sent.get(2));

            produce(alert("spike-1", "073", "updated", "critical"), alert("spike-3", "073", "opened", "high"));
            pollUntil(notifier, 2, () -> true);
            notifier.poll(Duration.ofMillis(500));
        }
        Thread.sleep(500);
        assertEquals(3, sent.size(), "nothing reaches the number after STOP: " + sent);
        String notifierFiles = Files.readString(dir.resolve("store/deliveries.ndjson"))
                + Files.readString(dir.resolve("store/steps.ndjson")) + Files.readString(store)
                + output.toString(StandardCharsets.UTF_8);
        assertFalse(notifierFiles.contains("4165550142"), notifierFiles);
    }
}
