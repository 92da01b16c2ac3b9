package lookout.sink;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

import lookout.ingest.AvroContractCodec;
import lookout.schema.Alert;

/**
 * {@code lookout.alerts}: every alert snapshot, keyed by spike id, as Avro single-object messages, for the
 * notification service. Delivery is at least once; a consumer keeps the latest snapshot per spike id.
 */
public final class AlertTopic {
    private AlertTopic() {}

    public static KafkaSink<Alert> sink(String bootstrap, Map<String, String> clientProperties, String topic) {
        return KafkaOutput.atLeastOnce(bootstrap, clientProperties, new Serializer(topic));
    }

    private static final class Serializer implements KafkaRecordSerializationSchema<Alert> {
        private final String topic;
        private transient AvroContractCodec codec;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(Alert alert, KafkaSinkContext context, Long timestamp) {
            if (codec == null) {
                codec = new AvroContractCodec();
            }
            return new ProducerRecord<>(topic, alert.getSpikeId().getBytes(StandardCharsets.UTF_8), codec.encode(alert));
        }
    }
}
