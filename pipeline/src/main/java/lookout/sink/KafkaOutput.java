package lookout.sink;

import java.util.Map;
import java.util.Properties;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * The job's Kafka outputs are at least once: their consumers key on what they receive (a spike id, a record's
 * hash), so a repeat after a restart is harmless and no Kafka transactions are needed.
 */
final class KafkaOutput {
    private KafkaOutput() {}

    /** @param clientProperties extra producer settings, such as TLS and SASL (see {@code kafka.properties.*}) */
    static <T> KafkaSink<T> atLeastOnce(String bootstrap, Map<String, String> clientProperties,
            KafkaRecordSerializationSchema<T> serializer) {
        Properties producer = new Properties();
        producer.putAll(clientProperties);
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrap)
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }
}
