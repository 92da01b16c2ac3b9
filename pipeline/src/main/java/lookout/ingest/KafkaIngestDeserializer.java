package lookout.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import lookout.schema.IngestResult;

/**
 * Parses, validates and de-identifies inside the Kafka source itself, so identifiers never leave the
 * operator that read them and each partition's watermark is driven by real event times.
 */
public final class KafkaIngestDeserializer implements KafkaRecordDeserializationSchema<IngestResult> {
    /** Marks the first bytes of a line too large to publish; its value is the SHA-256 of the whole line. */
    public static final String TOO_LARGE_HEADER = "lookout.record_too_large";
    private static final byte[] EMPTY = new byte[0];
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final IngestSettings settings;
    /** Each source's own topic; a topic not here (the unrouted one) takes records of any source. */
    private final Map<String, Source> sourceOfTopic;
    private transient RecordIngestor ingestor;

    public KafkaIngestDeserializer(IngestSettings settings, Map<String, Source> sourceOfTopic) {
        this.settings = settings;
        this.sourceOfTopic = new HashMap<>(sourceOfTopic);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        ingestor = settings.newIngestor();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestResult> out) {
        byte[] value = record.value() == null ? EMPTY : record.value();
        String position = record.topic() + "/" + record.partition() + "/" + record.offset();
        out.collect(tooLargeSha256(record)
                .map(sha -> ingestor.refused(RecordIngestor.TOO_LARGE,
                        Arrays.copyOf(value, Math.min(value.length, RecordIngestor.TOO_LARGE_RAW_BYTES)), sha, position,
                        System.currentTimeMillis()))
                .orElseGet(() -> ingestor.ingest(value, position, System.currentTimeMillis(),
                        sourceOfTopic.get(record.topic()))));
    }

    /**
     * The hash a publisher gave for the whole of a line it could not send. Only a hash is taken from the
     * header: anything else in it is ignored, so no free text can reach the dead-letter table this way.
     */
    private static Optional<String> tooLargeSha256(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(TOO_LARGE_HEADER);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        String sha = new String(header.value(), StandardCharsets.US_ASCII);
        return SHA256_HEX.matcher(sha).matches() ? Optional.of(sha) : Optional.empty();
    }

    @Override
    public TypeInformation<IngestResult> getProducedType() {
        return new AvroTypeInfo<>(IngestResult.class);
    }
}
