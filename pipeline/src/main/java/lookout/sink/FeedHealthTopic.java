package lookout.sink;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

import lookout.ingest.AvroContractCodec;
import lookout.schema.FeedHealth;

/**
 * {@code lookout.feed_health}: every feed-health episode snapshot (a source silent or bad, and its end), keyed by
 * episode id, as Avro single-object messages, for the notifier's operator channel. At least once; a consumer keys
 * its messages on the episode id and whether it has ended.
 */
public final class FeedHealthTopic {
    private FeedHealthTopic() {}

    public static KafkaSink<FeedHealth> sink(String bootstrap, Map<String, String> clientProperties, String topic) {
        return KafkaOutput.atLeastOnce(bootstrap, clientProperties, new Serializer(topic));
    }

    private static final class Serializer implements KafkaRecordSerializationSchema<FeedHealth> {
        private final String topic;
        private transient AvroContractCodec codec;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(FeedHealth episode, KafkaSinkContext context, Long timestamp) {
            if (codec == null) {
                codec = new AvroContractCodec();
            }
            return new ProducerRecord<>(topic, episode.getEpisodeId().getBytes(StandardCharsets.UTF_8), codec.encode(episode));
        }
    }
}
