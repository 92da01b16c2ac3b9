package lookout.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import lookout.schema.Alert;

/**
 * Reads the alerts topic the way the notification service would, from its first record, and notes when each
 * alert snapshot arrived. The topic has one partition; it is assigned directly, so no consumer-group rebalance
 * stands between a record and its arrival.
 */
final class AlertWatcher implements AutoCloseable {
    /**
     * One snapshot as received: {@code atNanos} on the clock the appends use, {@code atMillis} on the wall clock,
     * and {@code producedMillis}, the record's timestamp, set by the job's Kafka producer when it sent the alert.
     */
    record Arrival(long atNanos, long atMillis, long producedMillis, Alert alert) {}

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final List<Arrival> arrivals = new ArrayList<>();
    private volatile boolean running = true;
    private volatile Exception failure;

    AlertWatcher(String bootstrap, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        thread = new Thread(this::watch, "bench-alert-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                long nanos = System.nanoTime();
                long millis = System.currentTimeMillis();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    Alert alert = Alert.getDecoder().decode(r.value());
                    synchronized (arrivals) {
                        arrivals.add(new Arrival(nanos, millis, r.timestamp(), alert));
                    }
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll: the watcher is done.
        } catch (Exception e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    List<Arrival> arrivals() {
        synchronized (arrivals) {
            return List.copyOf(arrivals);
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
        if (failure != null) {
            throw failure;
        }
    }
}
