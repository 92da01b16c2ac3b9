package lookout.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * A class that registers a {@code MiniClusterExtension} without {@link SharedCluster#FLINK_CONTEXT} could run beside
 * an in-process backfill, which would then run on its MiniCluster and be cancelled when the class ends: a failure
 * that shows only when the two lines of classes happen to meet.
 */
class FlinkContextLockTest {
    @Test
    void everyClassWithAMiniClusterExtensionHoldsTheFlinkContextLock() {
        List<Class<?>> withMiniCluster = ReflectionSupport.findAllClassesInPackage("lookout",
                FlinkContextLockTest::registersMiniCluster, name -> name.endsWith("Test"));
        Set<String> names = new TreeSet<>();
        Set<String> unlocked = new TreeSet<>();
        for (Class<?> c : withMiniCluster) {
            names.add(c.getSimpleName());
            if (!holdsExclusively(c)) {
                unlocked.add(c.getName());
            }
        }
        // The scan must find the classes known to have one, or it would pass whatever their locks.
        assertTrue(names.containsAll(Set.of("KafkaEndToEndTest", "LiveUpdateTest", "PoisonRecordTest",
                "PrivacyCanaryTest", "StopAtLatestTest")), "found with a MiniClusterExtension: " + names);
        assertEquals(Set.of(), unlocked, "without @ResourceLock(SharedCluster.FLINK_CONTEXT)");
    }

    /** Only this module's classes run in its test JVM; the pipeline's test jar, also on the class path, has its own. */
    private static boolean registersMiniCluster(Class<?> c) {
        return inThisModule(c) && Arrays.stream(c.getDeclaredFields()).map(Field::getType)
                .anyMatch(MiniClusterExtension.class::equals);
    }

    private static boolean inThisModule(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation()
                .equals(FlinkContextLockTest.class.getProtectionDomain().getCodeSource().getLocation());
    }

    private static boolean holdsExclusively(Class<?> c) {
        return Arrays.stream(c.getAnnotationsByType(ResourceLock.class)).anyMatch(lock ->
                lock.value().equals(SharedCluster.FLINK_CONTEXT) && lock.mode() == ResourceAccessMode.READ_WRITE);
    }
}
