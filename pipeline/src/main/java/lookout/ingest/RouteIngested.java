package lookout.ingest;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

import lookout.schema.DeadLetter;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.IngestResult;

/** Separates events from dead letters and counts what was read, so nothing is dropped unseen. */
public final class RouteIngested extends ProcessFunction<IngestResult, DeidentifiedEvent> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));
    public static final String RECORDS_READ = "records_read";
    public static final String EMPTY_LINES = "empty_lines";
    public static final String DEAD_LETTER_PREFIX = "dead_letters.";

    @Override
    public void processElement(IngestResult in, Context ctx, Collector<DeidentifiedEvent> out) {
        if (in.getSkipped() != null) {
            getRuntimeContext().getLongCounter(EMPTY_LINES).add(1);
            return;
        }
        getRuntimeContext().getLongCounter(RECORDS_READ).add(1);
        if (in.getEvent() != null) {
            out.collect(in.getEvent());
        } else {
            getRuntimeContext().getLongCounter(DEAD_LETTER_PREFIX + in.getDeadLetter().getReason()).add(1);
            ctx.output(DEAD_LETTERS, in.getDeadLetter());
        }
    }
}
