package lookout.kernel;

/**
 * Keeps one harmless error of Flink's RPC system out of a command's output. A local Flink cluster (a backfill's, the
 * demo's) loads Pekko, its actor system, in a class loader of its own and closes that loader as the cluster shuts
 * down, which Flink does after it has handed the job's result back. A JVM that exits soon after can therefore find
 * Pekko's JVM shutdown hook still registered, and the hook fails to load a class from the closed loader: the JVM
 * printed "NoClassDefFoundError: org/apache/pekko/actor/CoordinatedShutdown$JvmExitReason$" with its stack trace
 * after a command that had finished and succeeded. Flink ignores the same errors in its own threads once the actor
 * system is down (FLINK-32314); {@link #install()} does so for the shutdown hook, and only while the JVM is shutting
 * down. Every other uncaught error is printed as the JVM prints it.
 */
public final class StrayRpcErrors {
    /** Where Flink's RPC system keeps its actor system's classes, as a class-loading error names them. */
    private static final String RPC_CLASSES = "org/apache/pekko/";

    private StrayRpcErrors() {}

    /** For a JVM that runs a command as its main program; a JVM the command merely visits keeps its own handler. */
    public static void install() {
        Thread.setDefaultUncaughtExceptionHandler(StrayRpcErrors::uncaught);
    }

    private static void uncaught(Thread thread, Throwable e) {
        if (isRpcClassLoading(e) && shuttingDown()) {
            return;
        }
        // What ThreadGroup#uncaughtException prints when no handler is set.
        if (!(e instanceof ThreadDeath)) {
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            e.printStackTrace(System.err);
        }
    }

    static boolean isRpcClassLoading(Throwable e) {
        return e instanceof NoClassDefFoundError && e.getCause() instanceof ClassNotFoundException
                && e.getMessage() != null && e.getMessage().startsWith(RPC_CLASSES);
    }

    /** The JVM refuses a new shutdown hook once its hooks have started: the one way Java tells. */
    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
