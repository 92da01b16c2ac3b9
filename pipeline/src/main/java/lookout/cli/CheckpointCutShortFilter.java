package lookout.cli;

import java.util.Set;

import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.apache.flink.runtime.checkpoint.CheckpointFailureReason;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;

/**
 * Drops Flink's warning about a checkpoint that a cancel cut short. When a command stops its job (Ctrl-C on
 * {@code run} or the demo, the end of a bench step), a checkpoint being taken or about to be triggered at that moment
 * fails with "Checkpoint Coordinator is suspending" or "Periodic checkpoint scheduler is shut down", and
 * {@code CheckpointFailureManager} prints it as a warning with a page of stack trace. Such a checkpoint was never
 * going to be used; every other checkpoint failure (a full disk, a timeout, a failed task) is still printed.
 */
@Plugin(name = "CheckpointCutShortFilter", category = Node.CATEGORY, elementType = Filter.ELEMENT_TYPE)
public final class CheckpointCutShortFilter extends DroppingFilter {
    private static final Set<CheckpointFailureReason> CUT_SHORT = Set.of(
            CheckpointFailureReason.CHECKPOINT_COORDINATOR_SUSPEND,
            CheckpointFailureReason.CHECKPOINT_COORDINATOR_SHUTDOWN,
            CheckpointFailureReason.PERIODIC_SCHEDULER_SHUTDOWN);

    private CheckpointCutShortFilter(Result onMatch, Result onMismatch) {
        super(onMatch, onMismatch);
    }

    /** Drops the cut-short warning and leaves every other event to the rest of the configuration, by default. */
    public static CheckpointCutShortFilter create() {
        return create(null, null);
    }

    /** The factory log4j calls with a configuration's attributes ({@link DroppingFilter}). */
    @PluginFactory
    public static CheckpointCutShortFilter create(@PluginAttribute("onMatch") Result onMatch,
            @PluginAttribute("onMismatch") Result onMismatch) {
        return new CheckpointCutShortFilter(onMatch, onMismatch);
    }

    @Override
    public Result filter(LogEvent event) {
        return event.getThrown() instanceof CheckpointException e && CUT_SHORT.contains(e.getCheckpointFailureReason())
                ? onMatch : onMismatch;
    }
}
