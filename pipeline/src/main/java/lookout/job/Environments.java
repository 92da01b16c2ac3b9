package lookout.job;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import lookout.config.LookoutConfig;

/** Flink settings for the two execution modes of the one job graph. */
public final class Environments {
    /** The prefix of the Prometheus reporter's Flink settings (the reporter is named {@code prom}). */
    public static final String PROMETHEUS_REPORTER = "metrics.reporter.prom.";

    private Environments() {}

    /** Unbounded processing with exactly-once checkpoints; {@code restoreFrom} is a checkpoint path or null. */
    public static Configuration streaming(LookoutConfig config, String restoreFrom) {
        Configuration c = common(config);
        c.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDir().toAbsolutePath().toUri().toString());
        c.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        c.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 3);
        c.set(StateBackendOptions.STATE_BACKEND, config.stateBackend());
        if (restoreFrom != null) {
            c.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        return c;
    }

    /** Bounded files in Flink's batch mode: sorted inputs, no checkpoints, deterministic results. */
    public static Configuration batch(LookoutConfig config) {
        Configuration c = common(config);
        c.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        return c;
    }

    private static Configuration common(LookoutConfig config) {
        Configuration c = new Configuration();
        listenOn(c, config.flinkBindAddress());
        if (StreamExecutionEnvironment.areExplicitEnvironmentsAllowed()) {
            localTempDirs(c);
        }
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
        config.prometheusPort().ifPresent(port -> prometheus(c, port));
        return c;
    }

    /**
     * Where the local cluster this process starts keeps its files. Only for a local cluster: where a Flink client
     * or JobManager runs {@code main} (no explicit environment allowed), the cluster's own settings apply, and the
     * directory and its exit hook would outlive the job in that long-running process, the hook keeping every class
     * of the job loaded (RELIABILITY.md, "Session clusters").
     */
    private static void localTempDirs(Configuration c) {
        Path tmp = FlinkTempDir.get();
        c.set(CoreOptions.TMP_DIRS, tmp.toString());
        c.set(WebOptions.TMP_DIR, tmp.toString());
    }

    /**
     * Flink's Prometheus reporter on {@code port} (a port or a range), serving every metric of the local cluster
     * at {@code /metrics}, feed health's gauges among them. The reporter listens on every interface: it has no
     * address setting of its own.
     */
    private static void prometheus(Configuration c, String port) {
        c.setString(PROMETHEUS_REPORTER + "factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.setString(PROMETHEUS_REPORTER + "port", port);
    }

    /**
     * The local cluster's REST endpoint (and web UI), BlobServer, RPC and data ports accept no credentials, so they
     * listen only on {@code address}: loopback unless the operator chooses otherwise.
     */
    private static void listenOn(Configuration c, String address) {
        c.set(RestOptions.BIND_ADDRESS, address);
        c.set(RestOptions.ADDRESS, address);
        c.set(JobManagerOptions.BIND_HOST, address);
        c.set(JobManagerOptions.ADDRESS, address);
        c.set(TaskManagerOptions.BIND_HOST, address);
        c.set(TaskManagerOptions.HOST, address);
    }

    public static StreamExecutionEnvironment create(Configuration c, int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
        env.setParallelism(parallelism);
        return env;
    }
}
