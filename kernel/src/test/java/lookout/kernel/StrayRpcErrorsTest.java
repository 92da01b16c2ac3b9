package lookout.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link StrayRpcErrors} in a JVM of its own, whose shutdown hooks fail as Pekko's did after a backfill. */
@Timeout(60)
class StrayRpcErrorsTest {
    private static final String PEKKO_CLASS = "org/apache/pekko/actor/CoordinatedShutdown$JvmExitReason$";

    /** The child JVM: the same Pekko error thrown before shutdown and in a hook, and another error in a hook. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            StrayRpcErrors.install();
            Thread before = new Thread(() -> {
                throw pekkoClassLoading();
            }, "before-shutdown");
            before.start();
            before.join();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                throw pekkoClassLoading();
            }, "pekko-hook"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                throw new IllegalStateException("a hook's own failure");
            }, "other-hook"));
            System.out.println("done");
        }

        private static NoClassDefFoundError pekkoClassLoading() {
            NoClassDefFoundError e = new NoClassDefFoundError(PEKKO_CLASS);
            e.initCause(new ClassNotFoundException(PEKKO_CLASS.replace('/', '.')));
            return e;
        }
    }

    @Test
    void pekkosClassLoadingInAShutdownHookIsSilentAndEveryOtherUncaughtErrorIsPrinted() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName()).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), err);
        assertEquals("done", out.strip());
        List<String> headers = err.lines().filter(l -> l.startsWith("Exception in thread")).toList();
        assertEquals(List.of("Exception in thread \"before-shutdown\" java.lang.NoClassDefFoundError: " + PEKKO_CLASS,
                "Exception in thread \"other-hook\" java.lang.IllegalStateException: a hook's own failure"), headers,
                err);
        assertFalse(err.contains("pekko-hook"), err);
    }

    @Test
    void onlyAPekkoClassThatCouldNotBeLoadedIsTheRpcSystems() {
        NoClassDefFoundError pekko = new NoClassDefFoundError(PEKKO_CLASS);
        pekko.initCause(new ClassNotFoundException());
        NoClassDefFoundError ours = new NoClassDefFoundError("lookout/kernel/Main");
        ours.initCause(new ClassNotFoundException());
        assertTrue(StrayRpcErrors.isRpcClassLoading(pekko));
        assertFalse(StrayRpcErrors.isRpcClassLoading(ours));
        assertFalse(StrayRpcErrors.isRpcClassLoading(new NoClassDefFoundError(PEKKO_CLASS)),
                "a class whose initialisation failed is a real error, not a closed loader");
        assertFalse(StrayRpcErrors.isRpcClassLoading(new IllegalStateException(PEKKO_CLASS)));
    }
}
