package lookout.cli;

import java.util.function.BooleanSupplier;

import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;

import lookout.kernel.StopSignal;

/**
 * Drops what Flink logs once a stop signal has come (Ctrl-C, SIGTERM): the JVM's shutdown hooks, Flink's among them,
 * then tear down the job's tasks while they run, and Flink reports each task's end as a failure with a page of stack
 * trace, such as a BATCH sort's "I/O channel already closed" when its spill files are closed under it. None of it is
 * news to whoever stopped the command, which says in its own line how it stopped. Lookout's own loggers and the Kafka
 * clients' are kept: an error of theirs on the way down is one of the demo's shutdown order.
 */
@Plugin(name = "StoppingFilter", category = Node.CATEGORY, elementType = Filter.ELEMENT_TYPE)
public final class StoppingFilter extends DroppingFilter {
    static final String FLINK = "org.apache.flink.";
    private final BooleanSupplier stopping;

    StoppingFilter(BooleanSupplier stopping, Result onMatch, Result onMismatch) {
        super(onMatch, onMismatch);
        this.stopping = stopping;
    }

    /**
     * The filter of the commands' log configuration, which follows this JVM's {@link StopSignal}: it drops Flink's
     * events once a signal has come and leaves every other to the rest of the configuration, by default
     * ({@link DroppingFilter}).
     */
    @PluginFactory
    public static StoppingFilter create(@PluginAttribute("onMatch") Result onMatch,
            @PluginAttribute("onMismatch") Result onMismatch) {
        return new StoppingFilter(() -> StopSignal.received().isPresent(), onMatch, onMismatch);
    }

    @Override
    public Result filter(LogEvent event) {
        String logger = event.getLoggerName();
        return logger != null && logger.startsWith(FLINK) && stopping.getAsBoolean() ? onMatch : onMismatch;
    }
}
