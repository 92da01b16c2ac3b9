package lookout.cli;

import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;

import lookout.kernel.CommandFailure;

/**
 * Drops Flink's report of a failure that the command tells in one line of its own: a {@link CommandFailure} thrown
 * in the job, such as a batch a checkpoint keeps that this build cannot read, which Flink's task logs as a warning
 * with a page of stack trace before the job fails and {@link JobWatch} prints the failure's message. Every other
 * failure is still printed.
 */
@Plugin(name = "OneLineFailureFilter", category = Node.CATEGORY, elementType = Filter.ELEMENT_TYPE)
public final class OneLineFailureFilter extends DroppingFilter {
    private OneLineFailureFilter(Result onMatch, Result onMismatch) {
        super(onMatch, onMismatch);
    }

    /** The factory log4j calls with a configuration's attributes ({@link DroppingFilter}). */
    @PluginFactory
    public static OneLineFailureFilter create(@PluginAttribute("onMatch") Result onMatch,
            @PluginAttribute("onMismatch") Result onMismatch) {
        return new OneLineFailureFilter(onMatch, onMismatch);
    }

    @Override
    public Result filter(LogEvent event) {
        return toldInOneLine(event.getThrown()) ? onMatch : onMismatch;
    }

    private static boolean toldInOneLine(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CommandFailure) {
                return true;
            }
        }
        return false;
    }
}
