package lookout.job;

import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import lookout.config.KafkaTopics;
import lookout.config.LookoutConfig;
import lookout.ingest.IngestSettings;
import lookout.privacy.PseudonymKey;
import lookout.sink.ContractTopic;
import lookout.sink.DeadLetterTopic;
import lookout.sink.DuckDbSink;

/**
 * The streaming wiring of {@link LookoutJob}: Kafka topics in; DuckDB, the alerts topic, the feed-health topic and
 * the restricted dead-letter topic out.
 */
public final class KafkaJob {
    private KafkaJob() {}

    /**
     * @param stopAtLatest end once the offsets that were latest at start are reached (tests and catch-up runs)
     * @param freshStart whether a job started without a restore may add to a database other runs wrote
     *                   ({@code run --fresh-state}); without, its sink refuses to start there
     */
    public static void build(StreamExecutionEnvironment env, LookoutConfig config, PseudonymKey key,
            OffsetsInitializer startingOffsets, boolean stopAtLatest, boolean freshStart) {
        IngestSettings settings = IngestSettings.of(config, key);
        // The restore as main sees it: `run --from-checkpoint`, `flink run -s` or an operator's upgrade.
        String restoredFrom = env.getConfiguration().getOptional(StateRecoveryOptions.SAVEPOINT_PATH).orElse(null);
        LookoutJob.build(
                Inputs.kafka(env, config, settings, startingOffsets, stopAtLatest),
                config,
                new LookoutJob.Outputs(
                        areas -> Output.duckDb(new DuckDbSink(config.db(), areas, config.zone(), key.id(), freshStart,
                                restoredFrom)),
                        Output.restrictedDeadLetterTopic(DeadLetterTopic.sink(config.kafkaBootstrap(),
                                config.kafkaProperties(), KafkaTopics.deadLetters(config))),
                        Output.alertsTopic(ContractTopic.alerts(config.kafkaBootstrap(), config.kafkaProperties(),
                                KafkaTopics.alerts(config))),
                        Output.feedHealthTopic(ContractTopic.feedHealth(config.kafkaBootstrap(), config.kafkaProperties(),
                                KafkaTopics.feedHealth(config)))));
    }
}
