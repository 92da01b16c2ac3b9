package lookout.job;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitsAssignment;
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
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;

/**
 * The Kafka source of a run that stops once it has read what was in the topics when it started. Every split keeps
 * the stopping offset it had when it was checkpointed, and a split from an unbounded run has none, so a bounded
 * run restored from an unbounded run's checkpoint never ended. Splits without a stopping offset are read here as
 * stopping at the latest offset, which the reader resolves when it starts reading them. And Kafka's enumerator
 * tells the readers of a bounded source that no more splits will come only when its partition discovery finds
 * partitions it did not know; restored from a checkpoint that knows them all it never does, so the restored
 * enumerator here tells them once that discovery has been handled.
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
        DiscoveryAwareContext aware = new DiscoveryAwareContext(context);
        return new NoMoreSplitsAfterDiscovery(kafka.restoreEnumerator(aware, state), aware);
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

    /** The coordinator's context, noting when the enumerator's one-off partition discovery has been handled. */
    private static final class DiscoveryAwareContext implements SplitEnumeratorContext<KafkaPartitionSplit> {
        private final SplitEnumeratorContext<KafkaPartitionSplit> context;
        private volatile boolean discovered;

        DiscoveryAwareContext(SplitEnumeratorContext<KafkaPartitionSplit> context) {
            this.context = context;
        }

        /** A bounded Kafka enumerator calls this once, for its only partition discovery. */
        @Override
        public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
            context.callAsync(callable, (result, failure) -> {
                handler.accept(result, failure);
                if (failure == null) {
                    discovered = true;
                    context.registeredReaders().keySet().forEach(context::signalNoMoreSplits);
                }
            });
        }

        @Override
        public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler, long initialDelay, long period) {
            context.callAsync(callable, handler, initialDelay, period);
        }

        @Override
        public SplitEnumeratorMetricGroup metricGroup() {
            return context.metricGroup();
        }

        @Override
        public void sendEventToSourceReader(int subtask, SourceEvent event) {
            context.sendEventToSourceReader(subtask, event);
        }

        @Override
        public void sendEventToSourceReader(int subtask, int attempt, SourceEvent event) {
            context.sendEventToSourceReader(subtask, attempt, event);
        }

        @Override
        public int currentParallelism() {
            return context.currentParallelism();
        }

        @Override
        public Map<Integer, ReaderInfo> registeredReaders() {
            return context.registeredReaders();
        }

        @Override
        public Map<Integer, Map<Integer, ReaderInfo>> registeredReadersOfAttempts() {
            return context.registeredReadersOfAttempts();
        }

        @Override
        public void assignSplits(SplitsAssignment<KafkaPartitionSplit> assignment) {
            context.assignSplits(assignment);
        }

        @Override
        public void signalNoMoreSplits(int subtask) {
            context.signalNoMoreSplits(subtask);
        }

        @Override
        public void runInCoordinatorThread(Runnable runnable) {
            context.runInCoordinatorThread(runnable);
        }

        @Override
        public void setIsProcessingBacklog(boolean backlog) {
            context.setIsProcessingBacklog(backlog);
        }
    }

    /** Kafka's restored enumerator, plus "no more splits" for every reader once discovery has been handled. */
    private record NoMoreSplitsAfterDiscovery(SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator,
            DiscoveryAwareContext context) implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {
        @Override
        public void start() {
            enumerator.start();
        }

        @Override
        public void handleSplitRequest(int subtask, String host) {
            enumerator.handleSplitRequest(subtask, host);
        }

        @Override
        public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtask) {
            enumerator.addSplitsBack(splits, subtask);
        }

        /** A reader that registers (or re-registers after a failover) after discovery is told at once. */
        @Override
        public void addReader(int subtask) {
            enumerator.addReader(subtask);
            if (context.discovered) {
                context.signalNoMoreSplits(subtask);
            }
        }

        @Override
        public KafkaSourceEnumState snapshotState(long checkpointId) throws Exception {
            return enumerator.snapshotState(checkpointId);
        }

        @Override
        public void close() throws IOException {
            enumerator.close();
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            enumerator.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void handleSourceEvent(int subtask, SourceEvent event) {
            enumerator.handleSourceEvent(subtask, event);
        }
    }
}
