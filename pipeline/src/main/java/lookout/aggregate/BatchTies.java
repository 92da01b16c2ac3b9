package lookout.aggregate;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.datastream.DataStream;

import lookout.schema.DeidentifiedEvent;
import lookout.schema.Hash128;

/**
 * What the keyed operators that keep one report of several ({@link Deduplicate}, the overdose linker) share to
 * make a backfill independent of its input's order: in BATCH, Flink hands a key's records sorted by time, but
 * records of the same timestamp in no fixed order, so those operators break such ties by what the records say,
 * never by a keyed hash: {@link Deduplicate} by the whole content ({@link #content}), the linker by where a report
 * counts.
 */
public final class BatchTies {
    /** The dedupe key of every event's content: all zero bits. */
    private static final Hash128 NO_KEY = new Hash128();

    private BatchTies() {}

    /** The mode the graph is built for, which decides whether an operator breaks ties itself. */
    public static RuntimeExecutionMode modeOf(DataStream<?> stream) {
        return stream.getExecutionEnvironment().getConfiguration().get(ExecutionOptions.RUNTIME_MODE);
    }

    /** True for BATCH, false for STREAMING; {@code operator} names who asks when the mode is not resolved. */
    public static boolean isBatch(RuntimeExecutionMode mode, String operator) {
        if (mode == RuntimeExecutionMode.AUTOMATIC) {
            throw new IllegalArgumentException(operator + " needs the execution mode resolved: STREAMING or BATCH");
        }
        return mode == RuntimeExecutionMode.BATCH;
    }

    /**
     * What an event says apart from the keys that change with the pseudonym key (with an ephemeral key, in every
     * run), for ordering tied events by content.
     */
    public static DeidentifiedEvent content(DeidentifiedEvent e) {
        return DeidentifiedEvent.newBuilder(e).setDedupeKey(NO_KEY).setPseudonym(null).build();
    }
}
