package lookout.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far a backfill's job has got once its input is read: a BATCH job runs its steps (Flink's job vertices, each an
 * operator chain between two shuffles) as their inputs complete, mostly one after another, and "step 5 of 13" tells
 * a person waiting that it moves. {@link StepReporter}, which Flink starts in the backfill's local cluster, reports
 * each subtask's start and end here; the cluster runs in the command's own JVM, so the two meet in this registry by
 * the run's id, as the readers and the command meet in {@code ReadProgress}.
 */
public final class StepProgress implements AutoCloseable {
    private static final Map<String, StepProgress> RUNS = new ConcurrentHashMap<>();

    /**
     * @param begun   steps that have started, finished ones included: the number of the step the job is at
     * @param total   steps in the job graph (at least {@code begun})
     * @param running the first operator's name of each step with a subtask running, in the order they began
     */
    public record Snapshot(int begun, int total, List<String> running) {}

    private final String id;
    /** Steps in the job graph, as the command counted them before submitting it. */
    private int expected;
    /** Subtasks running per step, by Flink's job vertex id, in the order the steps began. */
    private final Map<String, Step> steps = new LinkedHashMap<>();

    private static final class Step {
        final String name;
        int running;

        Step(String name) {
            this.name = name;
        }
    }

    private StepProgress(String id) {
        this.id = id;
    }

    /** A new run's progress, found by its {@link #id()} until closed. */
    public static StepProgress start() {
        StepProgress p = new StepProgress(UUID.randomUUID().toString());
        RUNS.put(p.id, p);
        return p;
    }

    /** The run's progress in this JVM, or null where none was started. */
    static StepProgress find(String id) {
        return id == null ? null : RUNS.get(id);
    }

    public String id() {
        return id;
    }

    /** The number of steps in the job graph about to run. */
    public synchronized void expect(int total) {
        expected = total;
    }

    /** @param name the step's task name: its operators' names joined by " -> " */
    synchronized void subtaskStarted(String step, String name) {
        steps.computeIfAbsent(step, s -> new Step(firstOperator(name))).running++;
    }

    synchronized void subtaskEnded(String step) {
        Step s = steps.get(step);
        if (s != null && s.running > 0) {
            s.running--;
        }
    }

    public synchronized Snapshot snapshot() {
        List<String> running = new ArrayList<>();
        for (Step s : steps.values()) {
            if (s.running > 0) {
                running.add(s.name);
            }
        }
        return new Snapshot(steps.size(), Math.max(expected, steps.size()), List.copyOf(running));
    }

    /** A chain's name lists every operator in it; its first one says what the step does. */
    private static String firstOperator(String taskName) {
        int end = taskName.indexOf(" -> ");
        return end < 0 ? taskName : taskName.substring(0, end);
    }

    @Override
    public void close() {
        RUNS.remove(id);
    }
}
