package lookout.sink;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

import lookout.ingest.AvroContractCodec;
import lookout.schema.Alert;
import lookout.schema.FeedHealth;

/**
 * The job's published topics of contract records, as Avro single-object messages keyed by the record's identity,
 * at least once; a consumer keeps the latest message per key:
 * <ul>
 *   <li>{@code lookout.alerts}: every alert snapshot, keyed by spike id, for the notifier;</li>
 *   <li>{@code lookout.feed_health}: every feed-health episode snapshot (a source silent or bad, and its end), keyed
 *       by episode id, for the notifier's operator channel.</li>
 * </ul>
 */
public final class ContractTopic {
    private ContractTopic() {}

    public static KafkaSink<Alert> alerts(String bootstrap, Map<String, String> clientProperties, String topic) {
        return KafkaOutput.atLeastOnce(bootstrap, clientProperties, new Serializer<>(topic, Alert::getSpikeId));
    }

    public static KafkaSink<FeedHealth> feedHealth(String bootstrap, Map<String, String> clientProperties, String topic) {
        return KafkaOutput.atLeastOnce(bootstrap, clientProperties, new Serializer<>(topic, FeedHealth::getEpisodeId));
    }

    private static final class Serializer<T extends SpecificRecordBase> implements KafkaRecordSerializationSchema<T> {
        private final String topic;
        private final SerializableFunction<T, String> key;
        private transient AvroContractCodec codec;

        Serializer(String topic, SerializableFunction<T, String> key) {
            this.topic = topic;
            this.key = key;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
            if (codec == null) {
                codec = new AvroContractCodec();
            }
            return new ProducerRecord<>(topic, key.apply(record).getBytes(StandardCharsets.UTF_8), codec.encode(record));
        }
    }
}
