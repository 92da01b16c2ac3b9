package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.flink.runtime.checkpoint.CheckpointException;
import org.apache.flink.runtime.checkpoint.CheckpointFailureReason;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;
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
        List<String> complaints = new CopyOnWriteArrayList<>();
        StatusListener listener = new StatusListener() {
            @Override
            public void log(StatusData data) {
                complaints.add(data.getFormattedStatus());
            }

            @Override
            public Level getStatusLevel() {
                return Level.WARN;
            }

            @Override
            public void close() {
            }
        };
        StatusLogger.getLogger().registerListener(listener);
        LoggerContext context = new LoggerContext("commands");
        try (InputStream in = CheckpointCutShortFilter.class.getResourceAsStream("/log4j2.properties")) {
            Configuration config = new PropertiesConfigurationFactory().getConfiguration(context,
                    new ConfigurationSource(in));
            context.start(config);
            LoggerConfig failures = context.getConfiguration().getLoggerConfig(FAILURE_MANAGER);
            assertTrue(failures.isFiltered(warning(
                    new CheckpointException(CheckpointFailureReason.CHECKPOINT_COORDINATOR_SUSPEND))));
            assertFalse(failures.isFiltered(warning(
                    new CheckpointException(CheckpointFailureReason.CHECKPOINT_EXPIRED))));
        } finally {
            context.stop();
            StatusLogger.getLogger().removeListener(listener);
        }
        assertEquals(List.of(), complaints, "log4j reads the configuration without complaint");
    }

    private static Log4jLogEvent warning(Throwable thrown) {
        return Log4jLogEvent.newBuilder().setLoggerName(FAILURE_MANAGER).setLevel(Level.WARN)
                .setThrown(thrown).build();
    }
}
