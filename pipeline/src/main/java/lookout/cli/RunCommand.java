package lookout.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import lookout.config.KafkaTopics;
import lookout.config.LookoutConfig;
import lookout.ingest.KafkaCluster;
import lookout.job.Environments;
import lookout.job.KafkaJob;
import lookout.privacy.PseudonymKey;
import lookout.kernel.Command;
import lookout.kernel.Options;
import lookout.kernel.StopSignal;
import lookout.kernel.UsageException;

/** {@code ./lookout run}: the unbounded job against an external Kafka. */
public final class RunCommand implements Command {
    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run the streaming job against an external Kafka (locally, or submitted to a Flink cluster)";
    }

    @Override
    public String usage() {
        return """
                Usage: ./lookout run --config FILE [--from-checkpoint PATH] [--stop-at-latest] [--fresh-state]

                Consumes PREFIX.paramedic, .coroner, .naloxone, .drug_checking and .unrouted from
                kafka.bootstrap, writes DuckDB (the `db` setting) once per checkpoint and the raw bytes of
                refused records to the restricted topic PREFIX.dead_letters. Missing topics are created.
                Requires a pseudonym key: LOOKOUT_PSEUDONYM_KEY (base64, at least 32 bytes) or
                LOOKOUT_PSEUDONYM_KEY_FILE. Keep the same key across restarts: a run resumed under another
                key is refused at its first commit.
                  --from-checkpoint PATH  resume from a retained checkpoint (a chk-N directory); it needs the
                                          DB.writer file the checkpoint's run wrote
                  --fresh-state           start without the state of the run that wrote `db` (refused without
                                          it when `db` holds a run's counts: locally at once, on a cluster as
                                          the job starts): records read again are counted again, and the
                                          detectors start without history
                  --stop-at-latest        stop once the offsets that were latest at start are processed
                The checkpoint directory and the DuckDB file's directory must be writable, and `db` absent or a
                Lookout database. A local Flink cluster listens on flink.bind_address (127.0.0.1). Exits
                non-zero with one line if the job is cancelled from outside or fails.
                On a Flink cluster: flink run -c lookout.kernel.Main pipeline/target/lookout-job.jar run --config FILE
                """;
    }

    /**
     * Said at every start without {@code detection.watching_since}: the detectors then take each signal's earliest
     * report as the start of the city's history, which a replay of old reports moves back (docs/DETECTION.md).
     */
    static final String WATCHING_FROM_THE_DATA = "lookout run: detection.watching_since is not set: each signal is"
            + " watched from its earliest report read, and old reports replayed later move that start back for every"
            + " area; set it to the instant the feeds begin";

    /** How long a stop that comes during the job's submission waits for it to return. */
    private static final long SUBMISSION_WAIT_MS = 10_000;

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Options o = Options.parse(name(), args, Set.of("config", "from-checkpoint"),
                Set.of("stop-at-latest", "fresh-state"));
        o.required("config");
        LookoutConfig config = JobOptions.config(o);
        PseudonymKey key = PseudonymKey.fromEnvironment(w -> System.err.println("lookout run: warning: " + w))
                .orElseThrow(() -> new UsageException(
                "no pseudonym key: set " + PseudonymKey.ENV_VAR + " (base64, at least 32 bytes) or "
                        + PseudonymKey.FILE_ENV_VAR + " (see docs/PRIVACY.md)"));
        JobOptions.boundaries(config);
        if (o.has("from-checkpoint")) {
            Preflight.checkpoint("--from-checkpoint", o.get("from-checkpoint"));
        }
        Preflight.writableDirectory("checkpoint.dir", config.checkpointDir());
        Preflight.replaceableDatabase("db", config.db(), Map.of(), false, null);
        if (StreamExecutionEnvironment.areExplicitEnvironmentsAllowed()) {
            // Only on this command's own local cluster does a restore always come through --from-checkpoint: under
            // `flink run -s` or a Kubernetes operator's upgrade, Flink restores a savepoint that main never sees, and
            // the sink's writer refuses as it starts instead.
            Preflight.continuesTheDatabase(config.db(), o.has("from-checkpoint"), o.has("fresh-state"),
                    config.checkpointDir());
        }
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), config.kafkaProperties(), KafkaTopics.all(config), 1);

        StreamExecutionEnvironment env = Environments.create(
                Environments.streaming(config, o.get("from-checkpoint")), config.parallelism());
        KafkaJob.build(env, config, key, OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST),
                o.has("stop-at-latest"), o.has("fresh-state"));
        boolean attached = env.getConfiguration().get(DeploymentOptions.ATTACHED);
        AtomicBoolean watching = new AtomicBoolean(attached);
        CompletableFuture<JobWatch> started = new CompletableFuture<>();
        if (attached) {
            // Before the job is submitted: a hook added after it failed with "Shutdown in progress" when a Ctrl-C or
            // SIGTERM came as the job started.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stopped(watching, started, config),
                    "lookout-run-resume-hint"));
        }
        JobClient client;
        try {
            client = env.executeAsync("lookout");
            if (attached) {
                started.complete(new JobWatch(client));
            }
        } catch (Exception | Error e) {
            // The failure's own line says why it ended: an exit without a stop signal reports no stop.
            watching.set(false);
            started.completeExceptionally(e);
            throw e;
        }
        out.printf("lookout run: consuming %s from %s; DuckDB for readers: %s%n",
                String.join(", ", KafkaTopics.inputs(config)), config.kafkaBootstrap(), config.db().toAbsolutePath());
        if (config.watchingSince().isEmpty()) {
            out.println(WATCHING_FROM_THE_DATA);
        }
        if (!attached) {
            return 0;
        }
        JobWatch job = started.join();
        try {
            job.awaitEnd();
        } finally {
            watching.set(false);
        }
        job.requireNoUnexpectedEnd();
        return 0;
    }

    /**
     * Ctrl-C or SIGTERM while the job runs: cancels it, which keeps its checkpoints and takes no more (each new one
     * would retire an older one), and says how to go on from where it stopped. Counts and offsets are committed only
     * as a checkpoint completes, so before the first one the run has committed nothing, nor while its job starts.
     * A signal that comes while the job is being submitted waits for the submission to return (the job already runs
     * on the local cluster then), at most {@link #SUBMISSION_WAIT_MS}.
     */
    private static void stopped(AtomicBoolean watching, CompletableFuture<JobWatch> started, LookoutConfig config) {
        if (!watching.get()) {
            return;
        }
        String stopped = "lookout run: " + StopSignal.stopped();
        String nothing = ", having committed nothing: the same command starts again where this one did";
        JobWatch job;
        try {
            job = started.get(SUBMISSION_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            // No job handed over to stop: its submission failed (perhaps on this very stop) or did not return in time.
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            System.err.println(stopped + " as its job was starting" + nothing);
            return;
        }
        job.stop();
        System.err.println(Preflight.newestCheckpoint(config.checkpointDir().resolve(job.id().toString()))
                .map(chk -> stopped + "; resume with --from-checkpoint " + chk)
                .orElse(stopped + " before its first checkpoint" + nothing));
    }
}
