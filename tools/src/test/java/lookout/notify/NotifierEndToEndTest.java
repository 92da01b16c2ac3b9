package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import lookout.demo.EmbeddedKafka;
import lookout.ingest.AvroContractCodec;
import lookout.kernel.Topics;
import lookout.schema.Alert;
import lookout.testing.RunningClock;

/**
 * The notifier against a real broker, a real SMTP server (GreenMail) and a real webhook receiver and SMS gateway
 * stub (the JDK's HTTP server): alert snapshots on the topic, encoded as the job encodes them, become one email,
 * one webhook call and one SMS segment per lifecycle step; after a restart that replays the whole topic nothing
 * is sent twice.
 */
class NotifierEndToEndTest {
    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long HOUR = 3_600_000L;
    private static final long WINDOW_START = Instant.parse("2026-11-03T01:00:00Z").toEpochMilli();
    /** The notifier's present: an hour after the snapshots of {@link #alert}, so that they are news. */
    private static final long PRESENT = WINDOW_START + 7 * HOUR;

    @TempDir
    Path dir;

    private EmbeddedKafka kafka;
    private HttpServer webhook;
    private final List<String> webhookBodies = new CopyOnWriteArrayList<>();
    private final List<String> smsBodies = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        kafka = EmbeddedKafka.start(dir);
        kafka.createTopics(1, Topics.name("lookout", Topics.ALERTS));
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                webhookBodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhook.createContext("/sms", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                smsBodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        webhook.start();
    }

    @AfterEach
    void stop() {
        webhook.stop(0);
        kafka.close();
    }

    private NotifierConfig config(String group) throws Exception {
        return NotifierConfig.fromMap(values(group));
    }

    private Map<String, String> values(String group) throws Exception {
        Path subscribers = Files.writeString(dir.resolve("subscribers.json"), """
                {"subscribers": [{"id": "moss-park", "name": "Moss Park outreach",
                  "channels": [{"email": "lead@outreach.example.org"}, {"webhook": "http://127.0.0.1:%d/hook"},
                               {"sms": "+14165550100"}],
                  "areas": ["073"]}]}""".formatted(webhook.getAddress().getPort()));
        Map<String, String> values = new HashMap<>();
        values.put("kafka.bootstrap", kafka.bootstrapServers());
        values.put("kafka.consumer_group", group);
        values.put("subscriptions", subscribers.toString());
        values.put("store", dir.resolve("store").toString());
        values.put("feed.dir", dir.resolve("feed").toString());
        values.put("smtp.host", "127.0.0.1");
        values.put("smtp.port", Integer.toString(MAIL.getSmtp().getPort()));
        values.put("retry.backoff", "PT0.1S");
        values.put("sms.url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/sms");
        return values;
    }

    private static Alert alert(String spike, String area, String status, String severity, Integer observed) {
        return Alert.newBuilder().setSpikeId(spike).setAreaId(area).setSignal("paramedic").setMethod("intraday")
                .setOpenedAt(WINDOW_START + 5 * HOUR).setUpdatedAt(WINDOW_START + 6 * HOUR)
                .setClosedAt(status.equals("closed") ? WINDOW_START + 48 * HOUR : null)
                .setWindowStart(WINDOW_START).setWindowEnd(WINDOW_START + 6 * HOUR).setObserved(observed)
                .setExpected(1.2).setThreshold(5).setScore(3.1).setSeverity(severity).setStatus(status)
                .setEvidence("{}").setExplanation("...").build();
    }

    /** A running clock whose present is {@code present} (epoch ms). */
    private static Clock clockAt(long present) {
        return RunningClock.at(Instant.ofEpochMilli(present));
    }

    /** The snapshot as the job makes it at {@code time} (epoch ms). */
    private static Alert at(Alert alert, long time) {
        alert.setUpdatedAt(time);
        if (alert.getClosedAt() != null) {
            alert.setClosedAt(time);
        }
        return alert;
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

    private static void pollUntil(Notifier notifier, BooleanSupplier done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "the notifier did not get there within " + WAIT);
            notifier.poll(Duration.ofMillis(200));
        }
    }

    /** Polls until {@code records} records have been read (every poll counted, unlike {@link #pollUntil}'s own). */
    private static void readAtLeast(Notifier notifier, int records) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int read = 0;
        while (read < records) {
            assertTrue(System.nanoTime() < deadline, "the notifier read " + read + " of " + records + " within " + WAIT);
            read += notifier.poll(Duration.ofMillis(200));
        }
    }

    @Test
    void alertsOnTheTopicReachAnInboxAndAWebhookOncePerStepEvenAfterARestartThatReplaysTheTopic() throws Exception {
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        produce(alert("spike-1", "073", "opened", "moderate", 9), alert("spike-1", "073", "updated", "moderate", 10),
                alert("spike-2", "140", "opened", "high", 12));
        try (Notifier notifier = Notifier.start(config("notifier"), clockAt(PRESENT), out)) {
            pollUntil(notifier, () -> MAIL.getReceivedMessages().length == 1 && webhookBodies.size() == 1
                    && smsBodies.size() == 1);

            MimeMessage mail = MAIL.getReceivedMessages()[0];
            assertEquals("Lookout moderate alert in area 073: more paramedic calls for overdoses", mail.getSubject());
            String text = (String) ((MimeMultipart) mail.getContent()).getBodyPart(0).getContent();
            assertEquals("More paramedic calls for overdoses than usual in area 073 since Mon. 2 Nov., 8 p.m.: 9 in 6"
                    + " hours; usually about 1. Alert level: moderate.", text.lines().findFirst().orElseThrow());
            assertTrue(webhookBodies.get(0).contains("\"step\":\"opened\""));
            assertEquals("{\"to\":\"+14165550100\",\"text\":\"Lookout moderate alert: paramedic calls for overdoses"
                    + " up in area 073 (9 in 6 hours). Don't use alone. http://localhost:8080/alerts\"}",
                    smsBodies.get(0));

            produce(alert("spike-1", "073", "closed", "moderate", null));
            pollUntil(notifier, () -> MAIL.getReceivedMessages().length == 2 && webhookBodies.size() == 2
                    && smsBodies.size() == 2);
            assertEquals("Lookout all-clear: area 073", MAIL.getReceivedMessages()[1].getSubject());
            assertTrue(webhookBodies.get(1).contains("\"step\":\"closed\""));
        }

        // A restart in a new consumer group reads the topic from its start: every record again, nothing sent.
        try (Notifier replay = Notifier.start(config("notifier-replay"), clockAt(PRESENT), out)) {
            readAtLeast(replay, 4);
        }
        assertEquals(2, MAIL.getReceivedMessages().length);
        assertEquals(2, webhookBodies.size());
        assertEquals(2, smsBodies.size());
        assertTrue(Files.exists(dir.resolve("feed/cap/lookout-spike-1-opened.xml")));
        assertTrue(Files.exists(dir.resolve("feed/cap/lookout-spike-1-closed.xml")));
        assertTrue(Files.exists(dir.resolve("feed/cap/lookout-spike-2-opened.xml")));

        String logs = output.toString(StandardCharsets.UTF_8) + Files.readString(dir.resolve("store/deliveries.ndjson"))
                + Files.readString(dir.resolve("store/steps.ndjson"));
        assertFalse(logs.contains("outreach.example.org"), logs);
        assertFalse(logs.contains("4165550100"), logs);
        assertFalse(logs.contains("127.0.0.1:" + webhook.getAddress().getPort()), logs);
    }

    /**
     * A notifier whose consumer group has never read the topic (a first start, a new group) sends its history to
     * nobody not told before: the alert that opened and closed before sends nothing (no all-clear out of the blue),
     * the one still open is told once at its latest step. A subscriber added while it runs hears of the open alert of
     * its area, and what comes later is sent as it happens.
     */
    @Test
    void aFirstStartSendsNoHistoryButTheAlertsStillOpenAndANewSubscriberHearsOfThem() throws Exception {
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        produce(alert("old", "073", "opened", "moderate", 9), alert("old", "073", "closed", "moderate", null),
                alert("now", "073", "opened", "moderate", 9), alert("now", "073", "updated", "high", 14),
                alert("far", "140", "opened", "high", 12));
        NotifierConfig config = config("first-start");
        try (Notifier notifier = Notifier.start(config, clockAt(PRESENT), out)) {
            pollUntil(notifier, () -> MAIL.getReceivedMessages().length == 1 && webhookBodies.size() == 1
                    && smsBodies.size() == 1);
            Thread.sleep(1000);
            notifier.poll(Duration.ofMillis(500));
            assertEquals(1, MAIL.getReceivedMessages().length, "nothing of the history but the open alert");
            assertEquals("Lookout alert now high: area 073", MAIL.getReceivedMessages()[0].getSubject());
            assertTrue(smsBodies.get(0).contains("alert in area 073 now high (14 in 6 hours"), smsBodies.get(0));
            assertTrue(output.toString(StandardCharsets.UTF_8).contains("notify: read the history of lookout.alerts"
                    + " (5 record(s), 5 new lifecycle step(s)), sent only to those told of its alerts before;"
                    + " 2 alert(s) still open"),
                    output.toString(StandardCharsets.UTF_8));
            assertTrue(Files.exists(dir.resolve("feed/cap/lookout-old-closed.xml")), "the history is in the feeds");

            Files.writeString(config.subscriptions(), Files.readString(config.subscriptions()).replace("}]}", "},"
                    + " {\"id\": \"desk\", \"name\": \"Desk\", \"channels\": [{\"email\": \"desk@example.org\"}],"
                    + " \"areas\": [\"140\"]}]}"));
            pollUntil(notifier, () -> MAIL.getReceivedMessages().length == 2);
            assertEquals(List.of("Lookout high alert in area 140: more paramedic calls for overdoses"),
                    subjects("desk@example.org"));

            produce(alert("now", "073", "closed", "high", null));
            pollUntil(notifier, () -> MAIL.getReceivedMessages().length == 3 && smsBodies.size() == 2);
            assertEquals(List.of("Lookout alert now high: area 073", "Lookout all-clear: area 073"),
                    subjects("lead@outreach.example.org"));
        }
    }

    /**
     * A group that lost its offsets (a new group name, offsets expired over a long stop) reads the topic as history,
     * yet a subscriber told of an alert still hears of its worsening and its all-clear, each once.
     */
    @Test
    void aGroupThatLostItsOffsetsStillTellsThoseWhoHeardOfAnAlertOfItsWorseningAndAllClear() throws Exception {
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        produce(alert("told", "073", "opened", "moderate", 9));
        try (Notifier notifier = Notifier.start(config("before"), clockAt(PRESENT), out)) {
            pollUntil(notifier, () -> MAIL.getReceivedMessages().length == 1);
        }
        produce(alert("told", "073", "updated", "high", 14), alert("told", "073", "closed", "high", null));
        try (Notifier restarted = Notifier.start(config("after"), clockAt(PRESENT), out)) {
            pollUntil(restarted, () -> MAIL.getReceivedMessages().length == 3 && smsBodies.size() == 3);
            Thread.sleep(1000);
            restarted.poll(Duration.ofMillis(500));
        }
        assertEquals(List.of("Lookout moderate alert in area 073: more paramedic calls for overdoses",
                "Lookout alert now high: area 073", "Lookout all-clear: area 073"),
                subjects("lead@outreach.example.org"));
        assertEquals(3, webhookBodies.size());
    }

    /**
     * A job catching up on a backlog publishes its past's alerts as it goes, live on the topic. Weeks before the
     * notifier's clock, an alert that opened and closed reaches nobody, and one that opened is told only once a
     * snapshot brings it to the present; its all-clear follows.
     */
    @Test
    void aJobCatchingUpOnABacklogSendsItsPastToNobodyAndTellsWhatIsStillOpenOnceItIsNews() throws Exception {
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        long present = WINDOW_START + 30 * 24 * HOUR;
        produce(at(alert("elsewhere", "140", "opened", "high", 12), present));
        try (Notifier notifier = Notifier.start(config("live"), clockAt(present), out)) {
            pollUntil(notifier, () -> output.toString(StandardCharsets.UTF_8).contains("notify: read the history"));
            produce(alert("past", "073", "opened", "moderate", 9), at(alert("past", "073", "closed", "moderate", 9),
                    WINDOW_START + 48 * HOUR), alert("still", "073", "opened", "moderate", 9));
            readAtLeast(notifier, 3);
            assertEquals(0, MAIL.getReceivedMessages().length + webhookBodies.size() + smsBodies.size());
            String told = output.toString(StandardCharsets.UTF_8);
            assertTrue(told.contains("notify: alert past opened (area 073, paramedic, moderate), at"
                    + " 2026-11-03T07:00:00Z, older than news.within: sent only to those told of it before\n"), told);
            assertTrue(told.contains("notify: alert past closed (area 073, paramedic, moderate), at"
                    + " 2026-11-05T01:00:00Z, older than news.within: sent only to those told of it before\n"), told);
            assertTrue(Files.exists(dir.resolve("feed/cap/lookout-past-closed.xml")), "the past is in the feeds");

            produce(at(alert("still", "073", "updated", "moderate", 9), present - HOUR));
            pollUntil(notifier, () -> MAIL.getReceivedMessages().length == 1 && webhookBodies.size() == 1
                    && smsBodies.size() == 1);
            assertTrue(output.toString(StandardCharsets.UTF_8).contains("notify: alert still is open (area 073,"
                    + " paramedic, moderate): told 3 channel(s) that had no message about it"));
            produce(at(alert("still", "073", "closed", "moderate", 9), present));
            pollUntil(notifier, () -> MAIL.getReceivedMessages().length == 2 && smsBodies.size() == 2);
        }
        assertEquals(List.of("Lookout moderate alert in area 073: more paramedic calls for overdoses",
                "Lookout all-clear: area 073"), subjects("lead@outreach.example.org"));
        assertEquals(2, webhookBodies.size());
    }

    /** The subjects of the mails to one address, in the order they came (GreenMail lists all mails by mailbox). */
    private static List<String> subjects(String address) throws Exception {
        List<String> subjects = new ArrayList<>();
        for (MimeMessage m : MAIL.getReceivedMessagesForDomain(address)) {
            subjects.add(m.getSubject());
        }
        return subjects;
    }

    /** Publishes a snapshot with an {@code areas} table as the job does: written beside it, renamed over it. */
    private static void publishSnapshot(Path snapshot) throws Exception {
        Path next = snapshot.resolveSibling("next.duckdb");
        PublishedDb.withAreas(next, Map.of("073", "Moss Park", "140", "Guildwood"));
        Files.move(next, snapshot, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void anAlertOnTheTopicBeforeTheFirstSnapshotWaitsForItAndNamesItsArea() throws Exception {
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        Path snapshot = dir.resolve("lookout.duckdb");
        Map<String, String> values = values("notifier");
        values.put("snapshot", snapshot.toString());
        produce(alert("spike-1", "073", "opened", "moderate", 9));
        ScheduledExecutorService job = Executors.newSingleThreadScheduledExecutor();
        try (Notifier notifier = Notifier.start(NotifierConfig.fromMap(values), clockAt(PRESENT), out)) {
            ScheduledFuture<?> published = job.schedule(() -> {
                publishSnapshot(snapshot);
                return null;
            }, 3, TimeUnit.SECONDS);
            pollUntil(notifier, () -> MAIL.getReceivedMessages().length == 1);
            assertTrue(published.isDone(), "the email went before the snapshot was published");
            published.get();
            MimeMessage mail = MAIL.getReceivedMessages()[0];
            assertEquals("Lookout moderate alert in Moss Park: more paramedic calls for overdoses", mail.getSubject());
            String text = (String) ((MimeMultipart) mail.getContent()).getBodyPart(0).getContent();
            assertTrue(text.startsWith("More paramedic calls for overdoses than usual in Moss Park since"), text);
            assertTrue(Files.readString(dir.resolve("feed/cap/lookout-spike-1-opened.xml")).contains("Moss Park"));
            assertTrue(Files.readString(dir.resolve("feed/alerts.atom")).contains("Moss Park"));
            for (int i = 0; i < 5; i++) {
                notifier.poll(Duration.ofMillis(200));
            }
        } finally {
            job.shutdownNow();
        }
        assertEquals(1, MAIL.getReceivedMessages().length);
        String told = output.toString(StandardCharsets.UTF_8);
        String waiting = "notify: waiting up to PT3M for the snapshot " + snapshot + " to name areas; alerts stay on"
                + " the topic until then\n";
        assertTrue(told.contains(waiting) && told.indexOf(waiting) == told.lastIndexOf(waiting), told);
    }
}
