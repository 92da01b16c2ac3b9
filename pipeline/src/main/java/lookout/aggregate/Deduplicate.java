package lookout.aggregate;

import java.time.Duration;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import lookout.schema.DeidentifiedEvent;

/**
 * Passes the first event per dedupe key (a keyed hash of source and event_id) and drops re-sent copies. The
 * seen-flag expires after the dedupe horizon, so this state is the only one that grows with events, and only
 * within the horizon.
 */
public final class Deduplicate extends KeyedProcessFunction<String, DeidentifiedEvent, DeidentifiedEvent> {
    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATES = "duplicates";

    private final Duration horizon;
    private transient ValueState<Boolean> seen;

    public Deduplicate(Duration horizon) {
        this.horizon = horizon;
    }

    @Override
    public void open(OpenContext context) {
        ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Types.BOOLEAN);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(horizon)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        seen = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(DeidentifiedEvent event, Context ctx, Collector<DeidentifiedEvent> out) throws Exception {
        if (seen.value() != null) {
            getRuntimeContext().getLongCounter(DUPLICATES).add(1);
            return;
        }
        seen.update(true);
        getRuntimeContext().getLongCounter(ACCEPTED).add(1);
        out.collect(event);
    }
}
