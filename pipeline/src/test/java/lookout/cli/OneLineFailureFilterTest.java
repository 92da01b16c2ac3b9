package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.apache.flink.util.FlinkRuntimeException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.junit.jupiter.api.Test;

import lookout.kernel.CommandFailure;

class OneLineFailureFilterTest {
    private static final String TASK = "org.apache.flink.runtime.taskmanager.Task";
    /** What a task reports of a restore whose kept batch this build cannot read. */
    private static final Throwable UNREADABLE =
            new CommandFailure("a DuckDB batch kept for its commit in chk-4 cannot be read by this build of Lookout");
    private static final Throwable DISK_FULL = new FlinkRuntimeException("Failed to deserialize value",
            new IOException("No space left on device"));

    @Test
    void aFailureTheCommandTellsInOneLineIsDroppedAndEveryOtherKept() {
        Filter filter = OneLineFailureFilter.create(null, null);
        assertEquals(Filter.Result.DENY, filter.filter(warning(UNREADABLE)));
        assertEquals(Filter.Result.DENY, filter.filter(warning(new FlinkRuntimeException("Failed to deserialize value",
                UNREADABLE))), "wrapped by Flink");
        assertEquals(Filter.Result.NEUTRAL, filter.filter(warning(DISK_FULL)));
        assertEquals(Filter.Result.NEUTRAL, filter.filter(warning(null)));
    }

    /** The commands' own log configuration, loaded as they load it: the task's report is dropped, a full disk not. */
    @Test
    void theCommandsLogConfigurationDropsTheTasksReportOfIt() throws Exception {
        List<String> complaints = CommandsLogConfiguration.check(config -> {
            LoggerConfig task = config.getLoggerConfig(TASK);
            assertTrue(task.isFiltered(warning(UNREADABLE)));
            assertFalse(task.isFiltered(warning(DISK_FULL)));
        });
        assertEquals(List.of(), complaints, "log4j reads the configuration without complaint");
    }

    private static LogEvent warning(Throwable thrown) {
        return Log4jLogEvent.newBuilder().setLoggerName(TASK).setLevel(Level.WARN).setThrown(thrown).build();
    }
}
