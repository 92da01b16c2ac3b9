package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.filter.AbstractFilterable;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.junit.jupiter.api.Test;

class StoppingFilterTest {
    /** What a backfill stopped while a BATCH sort read its spill files printed, with 29 lines of stack trace. */
    private static final LogEvent SORT_TORN_DOWN = event("org.apache.flink.runtime.taskmanager.Task", Level.WARN,
            new IOException("I/O channel already closed. Could not fulfill:"
                    + " org.apache.flink.runtime.io.disk.iomanager.SegmentReadRequest@2b4ebe4c"));

    @Test
    void onceAStopSignalHasComeFlinksReportsAreDroppedAndLookoutsAndTheKafkaClientsKept() {
        AtomicBoolean stopping = new AtomicBoolean();
        StoppingFilter filter = new StoppingFilter(stopping::get, Filter.Result.DENY, Filter.Result.NEUTRAL);
        assertEquals(Filter.Result.NEUTRAL, filter.filter(SORT_TORN_DOWN), "before a stop signal");
        stopping.set(true);
        assertEquals(Filter.Result.DENY, filter.filter(SORT_TORN_DOWN));
        assertEquals(Filter.Result.DENY, filter.filter(event(
                "org.apache.flink.runtime.io.disk.iomanager.IOManagerAsync", Level.ERROR, null)));
        assertEquals(Filter.Result.NEUTRAL, filter.filter(event("lookout.sink.DuckDbCommitter", Level.ERROR, null)));
        assertEquals(Filter.Result.NEUTRAL, filter.filter(event(
                "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator", Level.ERROR, null)));
    }

    /** Every line the commands log goes through the console appender, so the filter sits there. */
    @Test
    void theCommandsConsoleAppenderCarriesIt() throws Exception {
        List<String> complaints = CommandsLogConfiguration.check(config -> assertInstanceOf(StoppingFilter.class,
                ((AbstractFilterable) config.getAppender("console")).getFilter()));
        assertEquals(List.of(), complaints, "log4j reads the configuration without complaint");
    }

    private static LogEvent event(String logger, Level level, Throwable thrown) {
        return Log4jLogEvent.newBuilder().setLoggerName(logger).setLevel(level).setThrown(thrown).build();
    }
}
