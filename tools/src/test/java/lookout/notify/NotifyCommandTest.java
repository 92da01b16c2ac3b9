package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import lookout.demo.EmbeddedKafka;
import lookout.ingest.AvroContractCodec;
import lookout.kernel.Topics;
import lookout.schema.Alert;
import lookout.testing.CliProcess;

/** {@code ./lookout notify} as a user runs it: its own JVM, a real broker, stopped with SIGTERM (Ctrl-C). */
@Timeout(300)
class NotifyCommandTest {
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;

    @Test
    void notifyDeliversStopsCleanlyOnSigtermAndAfterARestartSendsNothingAgain() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                calls.add(exchange.getRequestURI().getPath() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            String topic = Topics.name("city", Topics.ALERTS);
            kafka.createTopics(1, topic);
            String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
            Path subscribers = Files.writeString(dir.resolve("subscribers.json"), """
                    {"subscribers": [{"id": "desk", "name": "Desk", "areas": "ALL",
                      "channels": [{"webhook": "%s/hook", "kind": "slack"}, {"sms": "+14165550100"}]}]}""".formatted(base));
            Path config = Files.writeString(dir.resolve("notifier.properties"), String.join("\n",
                    "kafka.bootstrap=" + kafka.bootstrapServers(), "kafka.topic_prefix=city",
                    "subscriptions=" + subscribers, "store=" + dir.resolve("store"), "feed.dir=" + dir.resolve("feed"),
                    "sms.url=" + base + "/sms", "dashboard.url=https://lookout.example.org",
                    "news.within=P36500D", "")); // the alert below is dated long before the test runs
            long start = Instant.parse("2026-11-03T01:00:00Z").toEpochMilli();
            Alert opened = Alert.newBuilder().setSpikeId("spike-9").setAreaId("D12").setSignal("naloxone")
                    .setMethod("intraday").setOpenedAt(start).setUpdatedAt(start).setClosedAt(null).setWindowStart(start)
                    .setWindowEnd(start + 3 * HOUR).setObserved(null).setExpected(0.4).setThreshold(3).setScore(2)
                    .setSeverity("low").setStatus("opened").setEvidence("{}").setExplanation("...").build();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic, new AvroContractCodec().encode(opened))).get();
            }

            for (int run = 1; run <= 2; run++) {
                CliProcess notify = CliProcess.start(dir, dir.resolve("logs" + run), Files.createDirectories(dir.resolve("tmp")),
                        Map.of(), "notify", "--config", config.toString());
                try {
                    long deadline = System.nanoTime() + 120_000_000_000L;
                    while (!notify.stdout().contains(run == 1 ? "notify: alert spike-9 is open" : "notify: reading")) {
                        assertTrue(notify.isAlive(), notify.stderr());
                        assertTrue(System.nanoTime() < deadline, "no delivery within 120 s: " + notify.stdout());
                        Thread.sleep(200);
                    }
                    if (run == 2) {
                        Thread.sleep(3000); // time to (not) send again after the group rejoins
                    }
                    ProcessHandle.of(notify.pid()).orElseThrow().destroy();
                    notify.waitFor(60);
                    assertTrue(notify.stdout().contains("notify: stopped"), notify.stdout());
                    assertEquals(List.of(), notify.stackTraceLines());
                } finally {
                    if (notify.isAlive()) {
                        notify.kill();
                    }
                }
            }
        } finally {
            receiver.stop(0);
        }
        assertEquals(List.of(
                "/hook {\"text\":\"More naloxone uses than usual in area D12\\nMore naloxone uses than usual in area D12 since"
                        + " Mon. 2 Nov., 8 p.m.: fewer than 5 in 3 hours; usually less than 1. Alert level: low.\\nDon't use"
                        + " alone; carry naloxone. National Overdose Response Service: 1-888-688-6677.\\n"
                        + "https://lookout.example.org/alerts#alert-spike-9\\nWas this useful?"
                        + " https://lookout.example.org/alerts/spike-9/feedback\"}",
                "/sms {\"to\":\"+14165550100\",\"text\":\"Lookout low alert: naloxone uses up in area D12 (fewer than 5"
                        + " in 3 hours). Don't use alone. https://lookout.example.org/alerts\"}"),
                calls.stream().sorted().toList());
    }
}
