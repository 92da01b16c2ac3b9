package lookout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.internet.MimeMessage;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import lookout.cluster.SharedCluster;
import lookout.config.KafkaTopics;
import lookout.config.LookoutConfig;
import lookout.demo.DemoStreamGenerator;
import lookout.demo.EmbeddedKafka;
import lookout.geo.Area;
import lookout.geo.AreaIndex;
import lookout.geo.WebShapes;
import lookout.ingest.KafkaCluster;
import lookout.job.Environments;
import lookout.job.KafkaJob;
import lookout.kernel.Main;
import lookout.notify.Notifier;
import lookout.notify.NotifierConfig;
import lookout.privacy.PseudonymKey;
import lookout.replay.KafkaPublisher;
import lookout.schema.Alert;
import lookout.testing.Db;
import lookout.testing.Topics;

/**
 * Every identifying input value, and every substance field, carries a unique canary; after a backfill, a public
 * export and a streaming run through real Kafka, no artifact may contain one: not a table or view of any DuckDB
 * file, not an export file, not a log line, not an alert, not a checkpoint, not a notification (an email, a
 * webhook call, the notifier's store, feeds and output). The restricted dead-letter topic must
 * contain them, which shows the scan would find a leak.
 */
@Timeout(600)
@Order(0)
@ResourceLock(SharedCluster.FLINK_CONTEXT)
class PrivacyCanaryTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());
    /**
     * A number that could be a coordinate; not the seconds of a time ("22:15:43.6512"), whose fraction a coordinate's
     * digits match by chance (a commit at second 43 of a minute looked like a latitude in the demo city).
     */
    private static final Pattern DECIMAL = Pattern.compile("(?<![\\d:.])-?\\d{1,3}\\.\\d{4,}");

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static final StringWriter LOGS = new StringWriter();
    static WriterAppender appender;
    static Level previousRootLevel;
    static final List<String> LINES = new ArrayList<>();
    static final Set<String> CANARIES = new HashSet<>();
    static final Set<String> COORDINATES = new HashSet<>();

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        appender = WriterAppender.createAppender(PatternLayout.createDefaultLayout(), null, LOGS, "canary-logs", false, true);
        appender.start();
        context.getConfiguration().addAppender(appender);
        context.getConfiguration().getRootLogger().addAppender(appender, Level.INFO, null);
        previousRootLevel = context.getConfiguration().getRootLogger().getLevel();
        context.getConfiguration().getRootLogger().setLevel(Level.INFO);
        context.updateLoggers();

        AreaIndex city = AreaIndex.demoCity();
        DemoStreamGenerator generator = new DemoStreamGenerator(DemoStreamGenerator.Settings
                .builder(city.areas().stream().map(Area::id).toList(), city)
                .seed(3).days(42).badFraction(0.03).duplicateFraction(0.03)
                .spike("D12", Instant.parse("2026-04-09T04:00:00Z"), 6, 30).build());
        ObjectMapper json = new ObjectMapper();
        int i = 0;
        for (String line : generator.generate()) {
            i++;
            JsonNode node;
            try {
                node = json.readTree(line);
            } catch (IOException notJson) {
                LINES.add(line);
                continue;
            }
            ObjectNode event = (ObjectNode) node;
            ObjectNode person = event.putObject("person");
            person.put("name", canary("Canary Name " + i));
            person.put("health_number", canary("CANARY-HN-" + i));
            person.put("date_of_birth", canary(LocalDate.of(1920, 1, 1).plusDays(i).toString()));
            person.put("sex", "F");
            event.put("notes", canary("canary note " + i + ": found behind 12 Example Lane"));
            substanceCanaries(event, i);
            JsonNode location = event.get("location");
            if (location != null && location.has("lat")) {
                COORDINATES.add(rounded(location.get("lat").asDouble()));
                COORDINATES.add(rounded(location.get("lon").asDouble()));
            }
            LINES.add(event.toString());
        }
        CANARIES.add("Test Person");
    }

    /**
     * Free text in every substance field, starting with a watch-list name so that, were it kept, it would become
     * a finding and reach the alerts' explanations and evidence. The token alone is a canary too, so a copy in
     * another case or cut short is still found.
     */
    private static void substanceCanaries(ObjectNode event, int i) {
        String text = "Nitazene zzcanarysubst-" + i + " John Doe 555-0199";
        CANARIES.add("zzcanarysubst-" + i);
        // Records broken on purpose keep their breakage: a field that is not an array is left as it is.
        if (event.get("suspected_substances") instanceof ArrayNode suspected) {
            suspected.add(canary(text));
        }
        if (event.get("toxicology") instanceof ArrayNode toxicology) {
            toxicology.add(canary(text));
        }
        if (event.get("detected") instanceof ArrayNode detected) {
            detected.addObject().put("substance", canary(text));
            event.put("expected_substance", canary(text));
        }
    }

    private static String canary(String value) {
        CANARIES.add(value);
        return value;
    }

    private static String rounded(double coordinate) {
        return String.format(Locale.ROOT, "%.4f", coordinate);
    }

    @AfterAll
    static void stop() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender("canary-logs");
        context.getConfiguration().getRootLogger().setLevel(previousRootLevel);
        context.updateLoggers();
        kafka.close();
    }

    @Test
    void noIdentifyingValueReachesAnyArtifact() throws Exception {
        Path input = Files.write(dir.resolve("canary.ndjson"), LINES, StandardCharsets.UTF_8);
        Path backfilled = dir.resolve("backfill.duckdb");
        String commandOutput = run("backfill", "--input", input.toString(), "--db", backfilled.toString())
                + run("export", "--tier", "public", "--db", backfilled.toString(), "--out", dir.resolve("export").toString());

        LookoutConfig config = LookoutConfig.defaults()
                .with("kafka.bootstrap", kafka.bootstrapServers())
                .with("kafka.topic_prefix", "canary")
                .with("db", dir.resolve("streamed.duckdb").toString())
                .with("checkpoint.interval", "PT0.5S")
                .with("checkpoint.dir", dir.resolve("checkpoints").toString());
        List<String> topics = KafkaTopics.all(config);
        // One partition per topic and one reader: each source is read in the order it was written, so the injected
        // spike raises its alert in every run (with two, how partitions interleave decided whether it did).
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), topics, 1);
        try (KafkaPublisher publisher = new KafkaPublisher(config)) {
            for (String line : LINES) {
                publisher.publish(line.getBytes(StandardCharsets.UTF_8));
            }
            publisher.flush();
        }
        StreamExecutionEnvironment env = Environments.create(Environments.streaming(config, null), 1);
        KafkaJob.build(env, config, PseudonymKey.ephemeral(), OffsetsInitializer.earliest(), true, false);
        env.execute("canary");

        Map<String, String> artifacts = new LinkedHashMap<>();
        for (Path db : List.of(backfilled, config.db())) {
            artifacts.putAll(tablesAndViews(db));
            artifacts.putAll(tablesAndViews(db.resolveSibling(db.getFileName() + ".writer")));
        }
        artifacts.putAll(files(dir.resolve("export")));
        artifacts.putAll(files(dir.resolve("checkpoints")));
        artifacts.put("command output", commandOutput);
        artifacts.put("logs", LOGS.toString());
        List<ConsumerRecord<byte[], byte[]>> alerts = Topics.readAll(kafka.bootstrapServers(), KafkaTopics.alerts(config));
        StringBuilder alertText = new StringBuilder();
        for (ConsumerRecord<byte[], byte[]> r : alerts) {
            alertText.append(new String(r.key(), StandardCharsets.UTF_8)).append(' ')
                    .append(Alert.getDecoder().decode(r.value())).append('\n');
        }
        artifacts.put("topic " + KafkaTopics.alerts(config), alertText.toString());
        artifacts.putAll(notified(config, alerts.size()));

        assertTrue(!alerts.isEmpty(), "the stream raised alerts, so alert payloads were checked");
        assertTrue(artifacts.get("logs").length() > 10_000, "logs were captured at INFO");
        assertTrue(artifacts.keySet().stream().anyMatch(k -> k.endsWith(".parquet")), "export files were checked: " + artifacts.keySet());
        assertEquals(List.of(), leaks(artifacts), "artifacts holding an identifying value");

        StringBuilder restricted = new StringBuilder();
        for (ConsumerRecord<byte[], byte[]> r : Topics.readAll(kafka.bootstrapServers(), KafkaTopics.deadLetters(config))) {
            restricted.append(new String(r.value(), StandardCharsets.ISO_8859_1)).append('\n');
        }
        assertEquals(List.of("restricted dead letters"), leaks(Map.of("restricted dead letters", restricted.toString())),
                "the scan finds identifying values where they are expected: in the restricted dead-letter topic");
    }

    /** Contact details of the subscribers the notifier manages: only in its store, and only until deleted. */
    static final String MANAGED_EMAIL = "canary-managed@example.org";
    static final String MANAGED_PHONE = "+19995550123";
    static final String NOTIFIER_TOKEN = "canary-notifier-token-0123456789";

    /**
     * The notifier over the canary run's alerts, with one subscriber to every area by email (a real SMTP server)
     * and webhook (a real HTTP server) in the subscribers file, one kept through its subscriptions API (email) and
     * one who joined by SMS through its inbound webhook: every message it sent, its store, its feeds and its output
     * are artifacts to scan, and none may hold the file subscriber's address either. The managed subscribers'
     * contact details are in the notifier's store while they are subscribed (the scan finds them there), and
     * nowhere, not in the store, the feeds, the output or the logs, once the SMS subscriber sent STOP and the
     * other was deleted.
     */
    static Map<String, String> notified(LookoutConfig config, int alerts) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                bodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.start();
        // The stand-in for the recipients' mail server logs the mailboxes it creates: its lines are not Lookout's.
        Configurator.setLevel("com.icegreen.greenmail", Level.WARN);
        GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            Path subscribers = Files.writeString(dir.resolve("subscribers.json"), """
                    {"subscribers": [{"id": "all", "name": "Everyone", "areas": "ALL",
                      "channels": [{"email": "canary-subscriber@example.org"}, {"webhook": "http://127.0.0.1:%d/hook"},
                                   {"webhook": "http://127.0.0.1:%d/teams", "kind": "teams"}]}]}"""
                    .formatted(webhook.getAddress().getPort(), webhook.getAddress().getPort()));
            Map<String, String> settings = new HashMap<>(Map.of("kafka.bootstrap", config.kafkaBootstrap(),
                    "kafka.topic_prefix", "canary", "subscriptions", subscribers.toString(),
                    "store", dir.resolve("notifier").toString(), "feed.dir", dir.resolve("feed").toString(),
                    "snapshot", config.db().toString(), "smtp.host", "127.0.0.1",
                    "smtp.port", Integer.toString(mail.getSmtp().getPort()), "rate.per_hour", "1000"));
            settings.putAll(Map.of("http.port", "0", "http.token", NOTIFIER_TOKEN, "sms.inbound_token", NOTIFIER_TOKEN,
                    "sms.url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/sms",
                    // The generated weeks are long past: every alert of them is sent, so that every message is scanned.
                    "news.within", "P36500D"));
            NotifierConfig notifier = NotifierConfig.fromMap(settings);
            followFromTheStart(notifier.kafkaBootstrap(), notifier.consumerGroup(), notifier.alertsTopic());
            try (Notifier n = Notifier.start(notifier, Clock.systemUTC(), new PrintStream(output, true, StandardCharsets.UTF_8))) {
                assertEquals(200, notifierCall(n, "PUT", "/api/owners/canary-owner/subscription", "application/json",
                        "{\"name\": \"canary-owner\", \"areas\": \"ALL\", \"channels\": [{\"email\": \""
                                + MANAGED_EMAIL + "\"}]}").statusCode());
                assertEquals(200, notifierCall(n, "POST", "/sms/inbound", "application/x-www-form-urlencoded",
                        "from=%2B" + MANAGED_PHONE.substring(1) + "&text=JOIN+ALL").statusCode());
                String managed = Files.readString(dir.resolve("notifier/subscribers.json"));
                assertTrue(managed.contains(MANAGED_EMAIL) && managed.contains(MANAGED_PHONE),
                        "while subscribed, the contact details are in the notifier's store, where the scan looks");
                int read = 0;
                long deadline = System.nanoTime() + 120_000_000_000L;
                while (read < alerts) {
                    assertTrue(System.nanoTime() < deadline, "the notifier read " + read + " of " + alerts + " alerts");
                    read += n.poll(Duration.ofMillis(200));
                }
                assertEquals(200, notifierCall(n, "POST", "/sms/inbound", "application/x-www-form-urlencoded",
                        "from=%2B" + MANAGED_PHONE.substring(1) + "&text=STOP").statusCode());
                assertEquals(204, notifierCall(n, "DELETE", "/api/owners/canary-owner/subscription", null, null)
                        .statusCode());
            }
            assertTrue(Arrays.stream(mail.getReceivedMessages()).anyMatch(m -> GreenMailUtil.getWholeMessage(m)
                    .contains(MANAGED_EMAIL)), "the managed subscriber was sent alerts, so their address was in use");
            assertTrue(bodies.stream().anyMatch(b -> b.contains("\"to\":\"" + MANAGED_PHONE + "\"")),
                    "the SMS subscriber was sent alerts");
            assertTrue(mail.getReceivedMessages().length > 0, "the notifier sent email, so messages were checked");
            for (MimeMessage m : mail.getReceivedMessages()) {
                out.put("email " + m.getSubject(), GreenMailUtil.getWholeMessage(m));
            }
            for (int i = 0; i < bodies.size(); i++) {
                out.put("webhook call " + i, bodies.get(i));
            }
        } finally {
            mail.stop();
            webhook.stop(0);
        }
        Map<String, String> own = new LinkedHashMap<>(files(dir.resolve("notifier")));
        own.putAll(files(dir.resolve("feed")));
        own.put("notifier output", output.toString(StandardCharsets.UTF_8));
        for (Map.Entry<String, String> e : own.entrySet()) {
            assertTrue(!e.getValue().contains("canary-subscriber") && !e.getValue().contains(":" + webhook.getAddress().getPort()),
                    e.getKey() + " holds a subscriber's address");
        }
        Map<String, String> afterDelete = new LinkedHashMap<>(own);
        afterDelete.put("logs", LOGS.toString());
        for (Map.Entry<String, String> e : afterDelete.entrySet()) {
            List<String> lines = e.getValue().lines().filter(l -> l.contains(MANAGED_EMAIL)
                    || l.contains(MANAGED_PHONE.substring(1)) || l.contains("canary-owner")).toList();
            assertEquals(List.of(), lines, e.getKey() + " holds a deleted subscriber's contact details");
        }
        out.putAll(own);
        return out;
    }

    /**
     * Sets the notifier's consumer group at the start of the alerts topic, as {@code kafka-consumer-groups
     * --reset-offsets --to-earliest --execute} does: a group with offsets is not new, so the notifier sends every
     * alert on the topic as it reads it (a new group reads them silently and tells only those still open), and all
     * of its messages are scanned.
     */
    private static void followFromTheStart(String bootstrap, String group, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> start.put(new TopicPartition(topic, p.partition()), new OffsetAndMetadata(0)));
            admin.alterConsumerGroupOffsets(group, start).all().get();
        }
    }

    /** A call to the notifier's HTTP server with both of its secrets (the same in this test). */
    static HttpResponse<String> notifierCall(Notifier n, String method, String path, String type, String body)
            throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + n.httpPort() + path))
                .header("Authorization", "Bearer " + NOTIFIER_TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            r.header("Content-Type", type);
        }
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<String> leaks(Map<String, String> artifacts) {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, String> a : artifacts.entrySet()) {
            String text = a.getValue();
            String hit = CANARIES.stream().filter(text::contains).findFirst().orElse(null);
            if (hit == null) {
                Matcher m = DECIMAL.matcher(text);
                while (hit == null && m.find()) {
                    String rounded = rounded(Double.parseDouble(m.group()));
                    hit = COORDINATES.contains(rounded) ? "coordinate " + m.group() : null;
                }
            }
            if (hit != null) {
                found.add(a.getKey());
            }
        }
        return found;
    }

    static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        return text;
    }

    static Map<String, String> tablesAndViews(Path db) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> names = Db.query(db, "SELECT table_name FROM duckdb_tables() UNION ALL"
                + " SELECT view_name FROM duckdb_views() WHERE NOT internal");
        assertTrue(names.size() >= 5, db + " has its tables: " + names);
        for (String name : names) {
            if (name.equals("area_shapes")) {
                // The city's own boundaries, published for the map: checked to be exactly those, so the scan for
                // event coordinates (any number near one) need not read them.
                List<String> expected = new ArrayList<>();
                new TreeMap<>(WebShapes.of(AreaIndex.demoCity())).forEach((id, shape) -> expected.add(id + " " + shape));
                assertEquals(expected, Db.query(db, "SELECT area_id || ' ' || geojson FROM area_shapes ORDER BY area_id"),
                        db + " area_shapes");
                continue;
            }
            out.put(db.getFileName() + " " + name, String.join("\n", Db.query(db, "SELECT * FROM \"" + name + "\"")));
        }
        return out;
    }

    static Map<String, String> files(Path root) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                String text = f.toString().endsWith(".parquet")
                        ? String.join("\n", Db.query(dir.resolve("backfill.duckdb"),
                                "SELECT * FROM read_parquet('" + f + "')"))
                        : new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                out.put(root.relativize(f).toString(), text);
            }
        }
        return out;
    }
}
