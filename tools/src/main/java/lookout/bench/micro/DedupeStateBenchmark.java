package lookout.bench.micro;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.LocalRecoveryConfig;
import org.apache.flink.runtime.state.UncompressedStreamCompressionDecorator;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackendBuilder;
import org.apache.flink.runtime.state.heap.HeapPriorityQueueSetFactory;
import org.apache.flink.runtime.state.metrics.LatencyTrackingStateConfig;
import org.apache.flink.runtime.state.metrics.SizeTrackingStateConfig;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import lookout.aggregate.Deduplicate;

/**
 * The per-event state work of {@link Deduplicate}: on Flink's heap keyed state backend (the default
 * {@code hashmap}), with the same TTL settings, select the key, read the seen-flag, and set it. Keys are
 * 32-hex-digit strings like the job's dedupe keys, from a pool of a million (a busy city's 60-day horizon).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DedupeStateBenchmark {
    private static final int KEYS = 1 << 20;
    private static final int KEY_GROUPS = 128;

    private HeapKeyedStateBackend<String> backend;
    private ValueState<Boolean> seen;
    private String[] keys;
    private int next;

    @Setup
    public void setUp() throws Exception {
        KeyGroupRange range = KeyGroupRange.of(0, KEY_GROUPS - 1);
        backend = new HeapKeyedStateBackendBuilder<>(null, StringSerializer.INSTANCE, getClass().getClassLoader(),
                KEY_GROUPS, range, new ExecutionConfig(), TtlTimeProvider.DEFAULT, LatencyTrackingStateConfig.disabled(),
                SizeTrackingStateConfig.disabled(), List.of(), UncompressedStreamCompressionDecorator.INSTANCE,
                LocalRecoveryConfig.BACKUP_AND_RECOVERY_DISABLED, new HeapPriorityQueueSetFactory(range, KEY_GROUPS, 128),
                true, new CloseableRegistry()).build();
        ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Types.BOOLEAN);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(60))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        seen = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor);
        SplittableRandom random = new SplittableRandom(3);
        HexFormat hex = HexFormat.of();
        keys = new String[KEYS];
        byte[] bytes = new byte[16];
        for (int i = 0; i < KEYS; i++) {
            random.nextBytes(bytes);
            keys[i] = hex.formatHex(bytes);
        }
    }

    @Benchmark
    public boolean seenThenMark() throws Exception {
        backend.setCurrentKey(keys[next++ & (KEYS - 1)]);
        boolean duplicate = seen.value() != null;
        seen.update(true);
        return duplicate;
    }

    @TearDown
    public void tearDown() {
        backend.dispose();
    }
}
