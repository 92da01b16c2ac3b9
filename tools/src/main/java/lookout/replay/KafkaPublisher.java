package lookout.replay;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import lookout.config.KafkaTopics;
import lookout.config.LookoutConfig;
import lookout.ingest.ContractRouter;
import lookout.ingest.KafkaIngestDeserializer;

/** Publishes NDJSON lines to the job's input topics, Avro-encoded where the contract allows (see {@link ContractRouter}). */
public final class KafkaPublisher implements AutoCloseable {
    private final ContractRouter router = new ContractRouter();
    private final KafkaProducer<byte[], byte[]> producer;
    private final LookoutConfig config;
    private final Map<String, Long> sent = new TreeMap<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaPublisher(LookoutConfig config) {
        this.config = config;
        Map<String, Object> settings = new HashMap<>(config.kafkaProperties());
        settings.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                // An idempotent producer first needs an id from the cluster's controller, one more thing that can
                // stall; a record re-sent on retry is harmless here because the job deduplicates on event_id.
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
        this.producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public void publish(byte[] line) {
        ContractRouter.Routed routed = router.route(line);
        String topic = config.topic(routed.topicSuffix());
        send(new ProducerRecord<>(topic, routed.value()));
        sent.merge(topic + (routed.avro() ? " (avro)" : " (as received)"), 1L, Long::sum);
    }

    /**
     * Stands in for a line longer than {@code ingest.max_record_bytes}, which no Kafka message could carry
     * whole: its first bytes go to the unrouted topic marked with the SHA-256 of the whole line, and the job
     * turns them into the same {@code record_too_large} dead letter a backfill of the file records.
     */
    public void publishTooLarge(byte[] head, String sha256Hex) {
        String topic = KafkaTopics.unrouted(config);
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, head);
        record.headers().add(KafkaIngestDeserializer.TOO_LARGE_HEADER, sha256Hex.getBytes(StandardCharsets.US_ASCII));
        send(record);
        sent.merge(topic + " (too large, first bytes)", 1L, Long::sum);
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        producer.send(record, (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
    }

    /** Waits until everything sent so far is acknowledged; fails if any send failed. */
    public void flush() {
        producer.flush();
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("Kafka refused a record: " + e.getClass().getSimpleName());
        }
    }

    /** Records sent per topic and encoding. */
    public Map<String, Long> sent() {
        return sent;
    }

    @Override
    public void close() {
        producer.close();
    }
}
