package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.apache.flink.runtime.checkpoint.CheckpointFailureReason;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.junit.jupiter.api.Test;

class CheckpointCutShortFilterTest {
    private static final String FAILURE_MANAGER = "org.apache.flink.runtime.checkpoint.CheckpointFailureManager";

    @Test
    void onlyACheckpointCutShortByTheJobsStopIsDropped() {
        Filter filter = CheckpointCutShortFilter.create();
        for (CheckpointFailureReason stop : new CheckpointFailureReason[] {
                CheckpointFailureReason.CHECKPOINT_COORDINATOR_SUSPEND,
                CheckpointFailureReason.CHECKPOINT_COORDINATOR_SHUTDOWN,
                CheckpointFailureReason.PERIODIC_SCHEDULER_SHUTDOWN}) {
            assertEquals(Filter.Result.DENY, filter.filter(warning(new CheckpointException(stop))), stop.name());
        }
        for (CheckpointFailureReason real : new CheckpointFailureReason[] {
                CheckpointFailureReason.CHECKPOINT_EXPIRED,
                CheckpointFailureReason.IO_EXCEPTION,
                CheckpointFailureReason.CHECKPOINT_DECLINED}) {
            assertEquals(Filter.Result.NEUTRAL, filter.filter(warning(new CheckpointException(real))), real.name());
        }
        assertEquals(Filter.Result.NEUTRAL, filter.filter(warning(new IllegalStateException("no space left"))));
        assertEquals(Filter.Result.NEUTRAL, filter.filter(warning(null)));
    }

    /** The commands' own log configuration, loaded as they load it: the cut-short warning is dropped, a timeout is not. */
    @Test
    void theCommandsLogConfigurationDropsOnlyTheCutShortWarning() throws Exception {
        List<String> complaints = CommandsLogConfiguration.check(config -> {
            LoggerConfig failures = config.getLoggerConfig(FAILURE_MANAGER);
            assertTrue(failures.isFiltered(warning(
                    new CheckpointException(CheckpointFailureReason.CHECKPOINT_COORDINATOR_SUSPEND))));
            assertFalse(failures.isFiltered(warning(
                    new CheckpointException(CheckpointFailureReason.CHECKPOINT_EXPIRED))));
        });
        assertEquals(List.of(), complaints, "log4j reads the configuration without complaint");
    }

    private static Log4jLogEvent warning(Throwable thrown) {
        return Log4jLogEvent.newBuilder().setLoggerName(FAILURE_MANAGER).setLevel(Level.WARN)
                .setThrown(thrown).build();
    }
}
