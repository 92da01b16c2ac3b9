package lookout.sink;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

import lookout.schema.DeadLetter;

/**
 * The restricted dead-letter topic: the raw bytes of every refused record, so a data steward can repair and
 * replay it. It is the one output that may hold identifiers; access to it must be limited accordingly.
 */
public final class DeadLetterTopic {
    private DeadLetterTopic() {}

    public static KafkaSink<DeadLetter> sink(String bootstrap, Map<String, String> clientProperties, String topic) {
        return KafkaOutput.atLeastOnce(bootstrap, clientProperties, new Serializer(topic));
    }

    private static final class Serializer implements KafkaRecordSerializationSchema<DeadLetter> {
        private final String topic;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(DeadLetter d, KafkaSinkContext context, Long timestamp) {
            byte[] raw = new byte[d.getRaw().remaining()];
            d.getRaw().duplicate().get(raw);
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, d.getReceivedAt(), null, raw);
            record.headers().add("reason", d.getReason().getBytes(StandardCharsets.UTF_8));
            record.headers().add("position", d.getPosition().getBytes(StandardCharsets.UTF_8));
            record.headers().add("sha256", d.getSha256().getBytes(StandardCharsets.UTF_8));
            if (d.getSource() != null) {
                record.headers().add("source", d.getSource().getBytes(StandardCharsets.UTF_8));
            }
            return record;
        }
    }
}
