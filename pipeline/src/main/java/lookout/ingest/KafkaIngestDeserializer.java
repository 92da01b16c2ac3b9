package lookout.ingest;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import lookout.schema.IngestResult;

/**
 * Parses, validates and de-identifies inside the Kafka source itself, so identifiers never leave the
 * operator that read them and each partition's watermark is driven by real event times.
 */
public final class KafkaIngestDeserializer implements KafkaRecordDeserializationSchema<IngestResult> {
    private static final byte[] EMPTY = new byte[0];

    private final IngestSettings settings;
    private transient RecordIngestor ingestor;

    public KafkaIngestDeserializer(IngestSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        ingestor = settings.newIngestor();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IngestResult> out) {
        byte[] value = record.value() == null ? EMPTY : record.value();
        String position = record.topic() + "/" + record.partition() + "/" + record.offset();
        out.collect(ingestor.ingest(value, position, System.currentTimeMillis()));
    }

    @Override
    public TypeInformation<IngestResult> getProducedType() {
        return new AvroTypeInfo<>(IngestResult.class);
    }
}
