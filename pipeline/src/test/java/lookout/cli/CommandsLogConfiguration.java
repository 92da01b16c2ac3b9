package lookout.cli;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;

/** The commands' own log configuration ({@code log4j2.properties}), loaded as they load it, for a test to look at. */
final class CommandsLogConfiguration {
    private CommandsLogConfiguration() {}

    /**
     * Hands the started configuration to {@code check}.
     *
     * @return what log4j complained of while reading it
     */
    static List<String> check(Consumer<Configuration> check) throws Exception {
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
        try (InputStream in = CommandsLogConfiguration.class.getResourceAsStream("/log4j2.properties")) {
            context.start(new PropertiesConfigurationFactory().getConfiguration(context, new ConfigurationSource(in)));
            check.accept(context.getConfiguration());
        } finally {
            context.stop();
            StatusLogger.getLogger().removeListener(listener);
        }
        return complaints;
    }
}
