package lookout.kernel;

import java.util.Map;
import java.util.Optional;

/**
 * The signal that is stopping this JVM: Ctrl-C (SIGINT), SIGTERM, or SIGHUP when its terminal closes. The JVM's own
 * handlers stop it alike for all three, so a shutdown hook could not say which one came; the handlers
 * {@link #install()} puts in their place record it first and then stop the JVM as the JVM's own would (the shutdown
 * hooks, then exit code 128 + the signal's number).
 *
 * <p>The signal is recorded before any shutdown hook starts. Flink's own hooks tear its tasks down while they run
 * (a BATCH sort reading its spill files fails as the I/O manager closes them), and what Flink logs about that comes
 * after the signal, which is what lets the log configuration drop it ({@code lookout.cli.StoppingFilter}).
 */
public final class StopSignal {
    /** The signals the JVM stops on, as an operator names them. */
    private static final Map<String, String> SAID = Map.of("INT", "Ctrl-C (SIGINT)", "TERM", "SIGTERM", "HUP",
            "SIGHUP");
    private static final Object LOCK = new Object();
    private static volatile String received;

    private StopSignal() {}

    /**
     * Puts the recording handlers in place; only for a JVM that runs a command as its main program, never in a
     * process the command merely visits (a Flink JobManager running the job jar's main).
     */
    static void install() {
        SAID.keySet().forEach(StopSignal::installFor);
    }

    private static void installFor(String name) {
        try {
            // A signal the JVM leaves alone (started with -Xrs) or ignores (a background job of a script ignores
            // SIGINT) keeps that: the JVM refuses the handler, or never calls it.
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                synchronized (LOCK) {
                    received = name;
                }
                Runtime.getRuntime().exit(128 + signal.getNumber());
            });
        } catch (IllegalArgumentException e) {
            // No such signal here, or the JVM keeps it for itself: it then stops the JVM as it always did.
        }
    }

    /** The signal stopping the JVM as an operator names it ("Ctrl-C (SIGINT)", "SIGTERM"), if one is. */
    public static Optional<String> received() {
        String name = received;
        return name == null ? Optional.empty() : Optional.of(SAID.get(name));
    }

    /** "stopped on SIGTERM", or only "stopped" when the JVM is stopping for another reason. */
    public static String stopped() {
        return received().map(s -> "stopped on " + s).orElse("stopped");
    }

    /** An action that a stop signal must find either done or not begun. */
    public interface Action<E extends Exception> {
        void run() throws E;
    }

    /**
     * Runs {@code action} unless a stop signal has come, and keeps one from being recorded while it runs: a shutdown
     * hook then finds its whole effect or none, and can say which.
     *
     * @return whether it ran
     */
    public static <E extends Exception> boolean unlessStopping(Action<E> action) throws E {
        synchronized (LOCK) {
            if (received != null) {
                return false;
            }
            action.run();
            return true;
        }
    }
}
