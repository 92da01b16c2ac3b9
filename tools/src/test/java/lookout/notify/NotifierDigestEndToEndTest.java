package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import lookout.demo.EmbeddedKafka;
import lookout.ingest.AvroContractCodec;
import lookout.kernel.Topics;
import lookout.schema.Alert;

/**
 * The daily digest through the whole notifier: alert snapshots on a real broker, a digest subscriber, the
 * configured {@code digest.time}, a clock the test moves, and a real SMTP server: nothing per step, one email at
 * the digest time, and nothing more after a restart that replays the topic.
 */
class NotifierDigestEndToEndTest {
    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());
    private static final long HOUR = 3_600_000L;
    private static final long WINDOW_START = Instant.parse("2026-11-03T01:00:00Z").toEpochMilli();
    /** 7:30 am in Toronto on Wednesday 4 November 2026, the configured digest time. */
    private static final Instant DIGEST_DUE = Instant.parse("2026-11-04T12:30:00Z");

    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aDigestSubscriberGetsOneEmailAtTheDigestTimeAndNoneAgainAfterARestartThatReplaysTheTopic() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            kafka.createTopics(1, Topics.name("lookout", Topics.ALERTS));
            // The alert is open when the notifier first starts, so it is told (kept for the digest), then it closes.
            produce(kafka, alert("open"));
            Path subscribers = Files.writeString(dir.resolve("subscribers.json"), """
                    {"subscribers": [{"id": "night-desk", "name": "Night desk", "channels": [{"email": "desk@example.org"}],
                      "areas": ["073"], "immediate": false}]}""");
            MovableClock clock = new MovableClock(Instant.parse("2026-11-03T17:00:00Z"));
            PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

            try (Notifier notifier = Notifier.start(config(kafka, subscribers, "notifier"), clock, out)) {
                pollUntil(notifier, () -> notifier.store().steps().size() == 1);
                produce(kafka, alert("closed"));
                pollUntil(notifier, () -> notifier.store().steps().size() == 2);
                clock.set(DIGEST_DUE.minusSeconds(1));
                notifier.poll(Duration.ofMillis(100));
                assertEquals(0, MAIL.getReceivedMessages().length, "nothing per step, nothing before 7:30");
                clock.set(DIGEST_DUE);
                notifier.poll(Duration.ofMillis(100));
                assertEquals(1, MAIL.getReceivedMessages().length);
                assertEquals("Lookout daily digest: 2 alert changes in your areas",
                        MAIL.getReceivedMessages()[0].getSubject());
            }
            try (Notifier replay = Notifier.start(config(kafka, subscribers, "notifier-replay"), clock, out)) {
                for (int i = 0; i < 10; i++) {
                    replay.poll(Duration.ofMillis(200));
                }
                assertEquals(2, replay.store().steps().size());
            }
            assertEquals(1, MAIL.getReceivedMessages().length);
        }
    }

    private NotifierConfig config(EmbeddedKafka kafka, Path subscribers, String group) {
        return NotifierConfig.fromMap(Map.of("kafka.bootstrap", kafka.bootstrapServers(),
                "kafka.consumer_group", group, "subscriptions", subscribers.toString(),
                "store", dir.resolve("store").toString(), "feed.dir", dir.resolve("feed").toString(),
                "smtp.host", "127.0.0.1", "smtp.port", Integer.toString(MAIL.getSmtp().getPort()),
                "digest.time", "07:30"));
    }

    private static Alert alert(String status) {
        return Alert.newBuilder().setSpikeId("spike-1").setAreaId("073").setSignal("paramedic").setMethod("intraday")
                .setOpenedAt(WINDOW_START + 5 * HOUR).setUpdatedAt(WINDOW_START + 6 * HOUR)
                .setClosedAt(status.equals("closed") ? WINDOW_START + 48 * HOUR : null)
                .setWindowStart(WINDOW_START).setWindowEnd(WINDOW_START + 6 * HOUR).setObserved(9)
                .setExpected(1.2).setThreshold(5).setScore(3.1).setSeverity("moderate").setStatus(status)
                .setEvidence("{}").setExplanation("...").build();
    }

    private static void produce(EmbeddedKafka kafka, Alert... alerts) throws Exception {
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
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "the notifier did not read the topic within 90 s");
            notifier.poll(Duration.ofMillis(200));
        }
    }
}
