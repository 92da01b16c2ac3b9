package lookout.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedKafkaTest {
    private static final int RECORDS = 1000;

    @Test
    void roundTripsRecordsAndDeletesItsDirectoryOnClose(@TempDir Path parent) throws Exception {
        long startNanos = System.nanoTime();
        Path dataDir;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(parent)) {
            System.out.printf("embedded Kafka started in %d ms%n", (System.nanoTime() - startNanos) / 1_000_000);
            dataDir = kafka.dataDir();
            assertTrue(dataDir.startsWith(parent));
            assertTrue(kafka.bootstrapServers().startsWith("127.0.0.1:"));

            kafka.createTopics(3, "events");
            kafka.createTopics(3, "events", "other");

            produce(kafka.bootstrapServers());
            Map<Integer, List<String>> byKey = consumeAll(kafka.bootstrapServers());

            assertEquals(RECORDS, byKey.values().stream().mapToInt(List::size).sum());
            assertEquals(RECORDS, byKey.size());
            for (int i = 0; i < RECORDS; i++) {
                assertEquals(List.of("value-" + i), byKey.get(i));
            }
        }
        assertFalse(Files.exists(dataDir), "broker directory should be deleted on close");
    }

    @Test
    void defaultStartUsesTheSystemTempDirectory() {
        Path dataDir;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            dataDir = kafka.dataDir();
            assertTrue(dataDir.startsWith(Path.of(System.getProperty("java.io.tmpdir"))));
            assertTrue(Files.isDirectory(dataDir));
        }
        assertFalse(Files.exists(dataDir));
    }

    private static void produce(String bootstrap) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>("events", Integer.toString(i), "value-" + i));
            }
            producer.flush();
        }
    }

    private static Map<Integer, List<String>> consumeAll(String bootstrap) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<Integer, List<String>> byKey = new TreeMap<>();
        int received = 0;
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of("events"));
            while (received < RECORDS) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    byKey.computeIfAbsent(Integer.parseInt(r.key()), k -> new ArrayList<>()).add(r.value());
                    received++;
                }
            }
            // A short extra poll catches any record delivered twice.
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                byKey.computeIfAbsent(Integer.parseInt(r.key()), k -> new ArrayList<>()).add(r.value());
            }
        }
        return byKey;
    }
}
