package lookout.demo;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import lookout.dashboards.Role;
import lookout.dashboards.Users;
import lookout.kernel.Topics;
import lookout.schema.FeedHealth;

/**
 * The demo's dashboards and notifier as {@code ./lookout demo} wires them, over a real broker and real HTTP: an
 * outreach account's /notifications page answers and its subscription lands in the demo notifier's store (503
 * before the notifier is up); an answer to "was this useful?" is counted in {@code DB.feedback.json}; a feed-health
 * episode reaches the operator through the demo's inbox as one printed line; neither the service token nor an
 * address is printed.
 */
@Timeout(180)
class DemoWiringTest {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final String SPIKE = "D12-paramedic-2026113006";

    @TempDir
    Path dir;

    @Test
    void anOutreachUserManagesTheirSubscriptionFeedbackIsKeptBesideTheDbAndTheOperatorIsToldThroughTheInbox()
            throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE areas (area_id VARCHAR PRIMARY KEY, name VARCHAR)");
            s.execute("INSERT INTO areas VALUES ('D12', 'Larkspur Commons'), ('D31', 'Quarry Flats')");
            s.execute("CREATE TABLE spikes (spike_id VARCHAR, area_id VARCHAR, signal VARCHAR, opened_at TIMESTAMP)");
            // Read by no page here, but the dashboards serve a file only if it has every published table.
            s.execute("CREATE TABLE area_counts (area_id VARCHAR)");
            s.execute("INSERT INTO spikes VALUES ('" + SPIKE + "', 'D12', 'paramedic', TIMESTAMP '2026-11-30 06:00:00')");
        }
        Path usersFile = dir.resolve("users.txt");
        String otto = Users.add(usersFile, "otto", Role.OUTREACH, Set.of("D12"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir);
             DemoNotifier.Api api = DemoNotifier.Api.reserve();
             Dashboards dashboards = Dashboards.start(db, Users.read(usersFile), 0, false, api.client(), out)) {
            String base = "http://127.0.0.1:" + dashboards.port;
            HttpClient browser = signedIn(base, otto);
            assertEquals(503, get(browser, base + "/api/notifications/subscription").statusCode(),
                    "the notifier not up yet");

            kafka.createTopics(1, Topics.name("lookout", Topics.ALERTS), Topics.name("lookout", Topics.FEED_HEALTH));
            try (DemoNotifier notifier = DemoNotifier.start(db, kafka.bootstrapServers(), "lookout", base,
                    ZoneId.of("America/Toronto"), api, out)) {
                HttpResponse<String> page = get(browser, base + "/notifications");
                assertEquals(200, page.statusCode(), page.body());
                assertTrue(page.body().contains("You are not subscribed yet."), page.body());
                Matcher csrf = CSRF.matcher(page.body());
                assertTrue(csrf.find(), page.body());
                HttpResponse<String> saved = post(browser, base + "/notifications", Map.of("csrf", csrf.group(1),
                        "areas", "D12", "signals", "paramedic", "min_severity", "low", "delivery", "immediate",
                        "language", "en", "email", "otto@outreach.example.org"));
                assertEquals(303, saved.statusCode(), saved.body());
                String store = Files.readString(DemoNotifier.directory(db).resolve("store/subscribers.json"));
                assertTrue(store.contains("\"owner\" : \"otto\"") || store.contains("\"owner\":\"otto\""), store);

                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base + "/api/public/alerts/" + SPIKE + "/feedback"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"answer\": \"no\", \"reason\": \"too_late\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(201, answer.statusCode(), answer.body());

                publishSilentFeed(kafka.bootstrapServers());
                String operatorLine = "  inbox: email to Operator (feed health): ";
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (!printed.toString(StandardCharsets.UTF_8).contains(operatorLine) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
            }
            String feedback = Files.readString(Dashboards.feedbackFile(db));
            String text = printed.toString(StandardCharsets.UTF_8);
            assertAll(
                    () -> assertTrue(feedback.contains("\"spike_id\" : \"" + SPIKE + "\""), feedback),
                    () -> assertTrue(feedback.contains("\"reason\" : \"too_late\""), feedback),
                    () -> assertEquals(1, text.lines().filter(l -> l.startsWith("  inbox: email to Operator (feed"
                            + " health): ")).count(), text),
                    () -> assertFalse(text.contains("example.org"), "an address printed: " + text),
                    () -> assertFalse(text.contains("notify: feed ") || text.contains("notify: HTTP at "),
                            "the notifier's lines the inbox's repeat: " + text));
        }
    }

    private static void publishSilentFeed(String bootstrap) throws Exception {
        long since = System.currentTimeMillis() - 3 * 3_600_000L;
        FeedHealth silent = FeedHealth.newBuilder().setEpisodeId("paramedic-silent-" + since).setSource("paramedic")
                .setStatus("silent").setSince(since).setUntil(null).setUpdatedAt(System.currentTimeMillis())
                .setSecondsSinceLastRecord(3 * 3600.0).setUsualGapSeconds(600.0).setDeadLetterShare(0.0)
                .setReportDelaySeconds(120.0).build();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            byte[] value = FeedHealth.getEncoder().encode(silent).array();
            producer.send(new ProducerRecord<>(Topics.name("lookout", Topics.FEED_HEALTH), value)).get();
        }
    }

    private static HttpClient signedIn(String base, String token) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        HttpResponse<String> r = post(browser, base + "/login", Map.of("token", token));
        assertEquals(302, r.statusCode(), r.body());
        return browser;
    }

    private static HttpResponse<String> get(HttpClient browser, String uri) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient browser, String uri, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return browser.send(HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
