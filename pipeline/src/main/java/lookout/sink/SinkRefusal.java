package lookout.sink;

import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

import lookout.kernel.CommandFailure;

/**
 * The sink refuses to go on for a reason no restart mends: what the job was restored from, or the writer's file it
 * found, does not fit this job. The job fails at once rather than after Flink's restarts, each of which logged a
 * page of stack trace and met the same refusal, and the command prints the message as its one line
 * ({@code lookout.cli.JobWatch}), without a cause that would tell Avro's, DuckDB's or Java's words instead.
 */
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
class SinkRefusal extends CommandFailure {
    SinkRefusal(String message) {
        super(message);
    }
}
