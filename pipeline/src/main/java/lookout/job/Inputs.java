package lookout.job;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import lookout.config.KafkaTopics;
import lookout.config.LookoutConfig;
import lookout.flink.EventTimeWatermarks;
import lookout.ingest.IngestSettings;
import lookout.ingest.KafkaIngestDeserializer;
import lookout.ingest.NdjsonFormat;
import lookout.ingest.NdjsonRanges;
import lookout.ingest.RangesInOrder;
import lookout.ingest.Source;
import lookout.schema.IngestResult;

/** The job's two kinds of input, both ending in the same stream of ingested records. */
public final class Inputs {
    private Inputs() {}

    /**
     * Every source topic through one Kafka source: watermarks are kept per partition, so each source's event
     * time advances on its own, and an idle topic is set aside instead of stalling the others
     * ({@link EventTimeWatermarks}).
     */
    public static DataStream<IngestResult> kafka(StreamExecutionEnvironment env, LookoutConfig config,
            IngestSettings settings, OffsetsInitializer startingOffsets, boolean stopAtLatest) {
        var builder = KafkaSource.<IngestResult>builder()
                .setBootstrapServers(config.kafkaBootstrap())
                .setGroupId(config.consumerGroup())
                .setTopics(KafkaTopics.inputs(config))
                .setStartingOffsets(startingOffsets)
                .setDeserializer(new KafkaIngestDeserializer(settings, sourceOfTopic(config)))
                .setProperty("partition.discovery.interval.ms", "10000");
        config.kafkaProperties().forEach(builder::setProperty);
        org.apache.flink.api.connector.source.Source<IngestResult, ?, ?> source = builder.build();
        if (stopAtLatest) {
            source = new StopAtLatestSource<>(builder.setBounded(OffsetsInitializer.latest()).build());
        }
        return env.fromSource(source, watermarks(config), "Kafka: parse, validate, de-identify")
                .uid("kafka-source");
    }

    /** Each source's input topic, whose records must be of that source. */
    private static Map<String, Source> sourceOfTopic(LookoutConfig config) {
        Map<String, Source> sources = new HashMap<>();
        for (Source source : Source.values()) {
            sources.put(KafkaTopics.input(config, source.signal()), source);
        }
        return sources;
    }

    public static DataStream<IngestResult> files(StreamExecutionEnvironment env, LookoutConfig config,
            IngestSettings settings, List<Path> inputs) {
        return files(env, config, settings, inputs, null, NdjsonRanges.MIN_RANGE_BYTES);
    }

    /**
     * NDJSON files cut into byte ranges that the source's readers share ({@link NdjsonRanges}, ranges of at
     * least {@code minRangeBytes}), so one large file is read on every core, handed out from each file's start
     * ({@link RangesInOrder}).
     *
     * @param progress the id of the {@link lookout.ingest.ReadProgress} the readers report to, or null
     */
    public static DataStream<IngestResult> files(StreamExecutionEnvironment env, LookoutConfig config,
            IngestSettings settings, List<Path> inputs, String progress, long minRangeBytes) {
        org.apache.flink.core.fs.Path[] paths = inputs.stream()
                .map(p -> new org.apache.flink.core.fs.Path(p.toAbsolutePath().toUri()))
                .toArray(org.apache.flink.core.fs.Path[]::new);
        FileSource<IngestResult> source = FileSource.forBulkFileFormat(new NdjsonFormat(settings, progress), paths)
                .setFileEnumerator(NdjsonRanges.provider(minRangeBytes))
                .setSplitAssigner(RangesInOrder.provider())
                .build();
        return env.fromSource(source, watermarks(config), "NDJSON files: parse, validate, de-identify")
                .uid("file-source");
    }

    /** Each partition's event time ({@link EventTimeWatermarks}); a dead letter has none. */
    static WatermarkStrategy<IngestResult> watermarks(LookoutConfig config) {
        return WatermarkStrategy.<IngestResult>forGenerator(
                        EventTimeWatermarks.supplier(config.maxOutOfOrderness(), config.sourceIdleness()))
                .withTimestampAssigner((r, kafkaTimestamp) ->
                        r.getEvent() != null ? r.getEvent().getOccurredMinute() : Long.MIN_VALUE);
    }
}
