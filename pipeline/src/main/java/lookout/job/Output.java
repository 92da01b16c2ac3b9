package lookout.job;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;

import lookout.schema.Alert;
import lookout.schema.DeadLetter;
import lookout.schema.FeedHealth;
import lookout.schema.TableRow;

/**
 * Attaches one of the job's result streams to wherever a mode sends it. The named constructors fix each
 * sink's uid, which a restore from an existing checkpoint matches its state by: they must never change.
 */
@FunctionalInterface
public interface Output<T> {
    void attach(DataStream<T> stream);

    /** For a stream a mode has no place for, such as the alerts topic in a backfill. */
    static <T> Output<T> nothing() {
        return stream -> {};
    }

    /** DuckDB has a single writer, so its sink runs with parallelism 1. */
    static Output<TableRow> duckDb(Sink<TableRow> sink) {
        return stream -> stream.sinkTo(sink).name("DuckDB").uid("duckdb").setParallelism(1);
    }

    /** Raw bytes of refused records, for the few who may read them. */
    static Output<DeadLetter> restrictedDeadLetterTopic(Sink<DeadLetter> sink) {
        return topic(sink, "restricted dead-letter topic", "restricted-dead-letter-topic");
    }

    /** The notification topic. */
    static Output<Alert> alertsTopic(Sink<Alert> sink) {
        return topic(sink, "alerts topic", "alerts-topic");
    }

    /** The operator channel's topic of feed-health episodes. */
    static Output<FeedHealth> feedHealthTopic(Sink<FeedHealth> sink) {
        return topic(sink, "feed health topic", "feed-health-topic");
    }

    private static <T> Output<T> topic(Sink<T> sink, String name, String uid) {
        return stream -> stream.sinkTo(sink).name(name).uid(uid);
    }
}
