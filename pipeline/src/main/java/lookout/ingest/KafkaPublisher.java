package lookout.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import lookout.config.LookoutConfig;

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
        producer.send(new ProducerRecord<>(topic, routed.value()), (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        });
        sent.merge(topic + (routed.avro() ? " (avro)" : " (as received)"), 1L, Long::sum);
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
