package lookout.job;

import java.util.Map;
import java.util.Properties;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A Flink metric reporter that tells a {@link StepProgress} when each subtask of the job starts and ends: Flink
 * registers a task's metrics when the task is deployed and removes them when it ends, whatever the scheduler
 * decided about its parallelism. It reports nothing else and sends nothing anywhere.
 */
public final class StepReporter implements MetricReporter {
    private static final String PREFIX = "metrics.reporter.lookout-steps.";
    private static final String RUN = "run";
    /** Registered once per task (not per operator): its arrival and removal mark the task's start and end. */
    private static final String TASK_METRIC = "numRecordsIn";

    /** Set once, when Flink opens the reporter; read by the threads that register and remove metrics. */
    private volatile StepProgress progress;

    /** Has the local cluster that {@code c} configures report its steps to {@code progress}. */
    public static void reportTo(Configuration c, StepProgress progress) {
        c.setString(PREFIX + "factory.class", Factory.class.getName());
        c.setString(PREFIX + RUN, progress.id());
    }

    @Override
    public void open(MetricConfig config) {
        progress = StepProgress.find(config.getString(RUN, null));
    }

    @Override
    public void close() {
        // Nothing to release: the command closes the StepProgress.
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        String step = taskOf(name, group);
        if (step != null) {
            progress.subtaskStarted(step, group.getAllVariables().get("<task_name>"));
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        String step = taskOf(name, group);
        if (step != null) {
            progress.subtaskEnded(step);
        }
    }

    /** The job vertex id of a task-level record counter, or null for any other metric. */
    private String taskOf(String name, MetricGroup group) {
        if (progress == null || !TASK_METRIC.equals(name)) {
            return null;
        }
        Map<String, String> variables = group.getAllVariables();
        return variables.containsKey("<operator_id>") ? null : variables.get("<task_id>");
    }

    /** Found by Flink through {@code META-INF/services}, by the class name {@link #reportTo} sets. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new StepReporter();
        }
    }
}
