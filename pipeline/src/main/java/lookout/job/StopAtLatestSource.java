package lookout.job;

import java.io.IOException;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The Kafka source of a run that stops once it has read what was in the topics when it started. Every split keeps
 * the stopping offset it had when it was checkpointed, and a split from an unbounded run has none, so a bounded
 * run restored from an unbounded run's checkpoint never ended. Splits without a stopping offset are read here as
 * stopping at the latest offset, which the reader resolves when it starts reading them.
 */
final class StopAtLatestSource<T> implements Source<T, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    private final KafkaSource<T> kafka;

    StopAtLatestSource(KafkaSource<T> kafka) {
        if (kafka.getBoundedness() != Boundedness.BOUNDED) {
            throw new IllegalArgumentException("the Kafka source must be bounded");
        }
        this.kafka = kafka;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<T, KafkaPartitionSplit> createReader(SourceReaderContext context) throws Exception {
        return kafka.createReader(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context) {
        return kafka.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<KafkaPartitionSplit> context, KafkaSourceEnumState state) throws IOException {
        return kafka.restoreEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return new StoppingSplits(kafka.getSplitSerializer());
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return kafka.getProducedType();
    }

    /** Kafka's split serializer, except that a split read back without a stopping offset stops at the latest. */
    private record StoppingSplits(SimpleVersionedSerializer<KafkaPartitionSplit> splits)
            implements SimpleVersionedSerializer<KafkaPartitionSplit> {
        @Override
        public int getVersion() {
            return splits.getVersion();
        }

        @Override
        public byte[] serialize(KafkaPartitionSplit split) throws IOException {
            return splits.serialize(split);
        }

        @Override
        public KafkaPartitionSplit deserialize(int version, byte[] bytes) throws IOException {
            KafkaPartitionSplit split = splits.deserialize(version, bytes);
            return split.getStoppingOffset().isPresent() ? split : new KafkaPartitionSplit(
                    split.getTopicPartition(), split.getStartingOffset(), KafkaPartitionSplit.LATEST_OFFSET);
        }
    }
}
