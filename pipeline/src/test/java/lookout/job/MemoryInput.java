package lookout.job;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import lookout.config.LookoutConfig;
import lookout.ingest.IngestSettings;
import lookout.ingest.RecordIngestor;
import lookout.privacy.PseudonymKey;
import lookout.schema.IngestResult;

/**
 * The job's input from memory, for tests that build the whole graph on a MiniCluster without files or Kafka: NDJSON
 * lines through the first operator (an ephemeral pseudonym key; positions {@code memory:N}, all received at 1 s),
 * then as a stream with the job's watermarks, in an environment that refuses generic types and never restarts.
 */
final class MemoryInput {
    private MemoryInput() {}

    /** The local cluster the graph's tests run on: one TaskManager with two slots, so parallelism 2 runs. */
    static MiniClusterExtension cluster() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2).build());
    }

    /** A fresh environment for {@code mode} at {@code parallelism}. */
    static StreamExecutionEnvironment environment(RuntimeExecutionMode mode, int parallelism) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(mode);
        env.setParallelism(parallelism);
        return env;
    }

    /** {@code lines}, each ingested as the sources would, as the graph's input in {@code env}. */
    static DataStream<IngestResult> ingested(StreamExecutionEnvironment env, LookoutConfig config, List<String> lines) {
        RecordIngestor ingestor = IngestSettings.of(config, PseudonymKey.ephemeral()).newIngestor();
        List<IngestResult> ingested = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            ingested.add(ingestor.ingest(lines.get(i).getBytes(StandardCharsets.UTF_8), "memory:" + (i + 1), 1_000L));
        }
        return env.fromData(ingested, new AvroTypeInfo<>(IngestResult.class))
                .assignTimestampsAndWatermarks(Inputs.watermarks(config));
    }
}
