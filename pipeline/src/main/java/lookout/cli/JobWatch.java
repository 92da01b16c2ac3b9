package lookout.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.client.JobCancellationException;

import lookout.kernel.CommandFailure;

/**
 * Follows a job that a command started, so that the command notices when the job ends without being asked to:
 * cancelled from outside (through Flink's REST API) or failed for good.
 */
public final class JobWatch {
    private final JobClient job;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile String unexpectedEnd;

    public JobWatch(JobClient job) {
        this.job = job;
        job.getJobExecutionResult().whenComplete((result, failure) -> {
            if (failure != null && !stopRequested) {
                unexpectedEnd = describe(job.getJobID(), failure);
            }
            ended.countDown();
        });
    }

    void awaitEnd() throws InterruptedException {
        ended.await();
    }

    public JobID id() {
        return job.getJobID();
    }

    public boolean ended() {
        return ended.getCount() == 0;
    }

    /**
     * Cancels the job on the command's own request and waits until it has ended (an end caused by this is expected):
     * the cancel call returns once the request is taken, while the job's Kafka sources still ask their broker for
     * partitions, so a broker closed right after it made them print a page of errors.
     */
    public void stop() {
        stopRequested = true;
        try {
            job.cancel().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // The job may already be gone (finished or failed); there is nothing left to stop.
        }
        try {
            ended.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Throws if the job was cancelled or failed other than through {@link #stop()}. */
    public void requireNoUnexpectedEnd() {
        if (unexpectedEnd != null) {
            throw new JobEndedException(unexpectedEnd);
        }
    }

    /**
     * The one line that says how the job ended: a failure the job's own code words for its user
     * ({@link CommandFailure}, such as a kept batch this build cannot read) as it is, any other with the job's id
     * and its innermost cause, which names the problem.
     */
    private static String describe(JobID id, Throwable failure) {
        Throwable c = failure;
        while (c.getCause() != null && c.getCause() != c
                && !(c instanceof JobCancellationException || c instanceof CommandFailure)) {
            c = c.getCause();
        }
        if (c instanceof CommandFailure) {
            return c.getMessage();
        }
        if (c instanceof JobCancellationException) {
            return "the Flink job " + id + " was cancelled from outside this command (e.g. through Flink's REST API)";
        }
        String message = c.getMessage() == null ? "" : ": " + c.getMessage().lines().findFirst().orElse("");
        return "the Flink job " + id + " failed: " + c.getClass().getSimpleName() + message;
    }

    /** A job that ended while the command still needed it; {@code Main} prints its message as the one line. */
    static final class JobEndedException extends CommandFailure {
        JobEndedException(String message) {
            super(message);
        }
    }
}
