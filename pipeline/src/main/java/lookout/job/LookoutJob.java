package lookout.job;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import lookout.aggregate.CountIncrements;
import lookout.aggregate.Deduplicate;
import lookout.aggregate.TimeBuckets;
import lookout.config.LookoutConfig;
import lookout.ingest.RouteIngested;
import lookout.schema.DeadLetter;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.IngestResult;
import lookout.schema.TableRow;

/**
 * The one job graph of every mode: streaming from Kafka, backfill from files, and the tests. Sources and
 * sinks are injected; everything between them is here, in the order the data flows.
 */
public final class LookoutJob {
    /** Where results go. {@code restrictedDeadLetters} (raw bytes of bad records) is null where there is no such topic. */
    public record Outputs(Sink<TableRow> tables, Sink<DeadLetter> restrictedDeadLetters) {}

    private LookoutJob() {}

    /** @param ingested records already parsed, validated and de-identified by the source (see lookout.ingest) */
    public static void build(DataStream<IngestResult> ingested, LookoutConfig config, Outputs outputs) {
        SingleOutputStreamOperator<DeidentifiedEvent> events = ingested
                .process(new RouteIngested()).name("route events and dead letters");
        DataStream<DeadLetter> deadLetters = events.getSideOutput(RouteIngested.DEAD_LETTERS);

        DataStream<DeidentifiedEvent> unique = events
                .keyBy(DeidentifiedEvent::getDedupeKey, Types.STRING)
                .process(new Deduplicate(config.dedupeHorizon())).name("deduplicate");

        DataStream<TableRow> counts = unique
                .flatMap(new CountIncrements(new TimeBuckets(config.zone()))).name("count per area, signal, hour and day");

        counts.union(deadLetters.map(new DeadLetterRow()).name("dead letter rows"))
                .sinkTo(outputs.tables()).name("DuckDB").setParallelism(1);

        if (outputs.restrictedDeadLetters() != null) {
            deadLetters.sinkTo(outputs.restrictedDeadLetters()).name("restricted dead-letter topic");
        }
    }

    private static final class DeadLetterRow implements MapFunction<DeadLetter, TableRow> {
        @Override
        public TableRow map(DeadLetter deadLetter) {
            return TableRow.newBuilder().setDeadLetter(deadLetter).build();
        }
    }
}
