package lookout.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The broker JVM and the Flink session cluster (a JobManager and two TaskManager JVMs) that every cluster test class
 * of the test JVM shares: starting them takes about 20 s, so the first class that asks starts them and they stop
 * once the last class that uses them has ended (see {@link Extension}). Each class uses topics, databases and
 * checkpoints of its own, and leaves the cluster as it found it: the broker, a JobManager and two TaskManagers
 * running (which TaskManagers may differ: a killed one is replaced by a new one, {@code taskmanager-2} and on).
 */
public final class SharedCluster implements AutoCloseable {
    /**
     * The lock of every test class that starts child JVMs or accounts for this JVM's CPU. The cluster classes and the
     * quick bench spend much of their time waiting for their child JVMs, so they run beside the module's other
     * classes (two classes at a time: junit-platform.properties) but never beside one another or the bench's other
     * classes: each cluster class then finds only the cluster's child JVMs when it ends, and a bench class that
     * checks CPU readings has the bench's JVMs to itself.
     */
    public static final String CHILD_JVMS = "lookout.child-jvms";
    /**
     * The lock of the class that accounts for this JVM's CPU by thread ({@code lookout.bench.ThreadCpuTest}), and,
     * in READ mode, of the concurrent classes whose threads come and go in this JVM (the in-process backfills): an
     * ended thread's last period is CPU the accounting cannot attribute.
     */
    public static final String THIS_JVM_THREADS = "lookout.this-jvm-threads";
    /**
     * The lock of the classes that register a {@code MiniClusterExtension}, and, in READ mode, of the concurrent
     * classes that run a job in this JVM (the in-process backfills, the quick bench's streaming rigs). The extension
     * makes its MiniCluster the default environment of every thread, so a job started beside it would run on that
     * MiniCluster and be cancelled when its class ends.
     */
    public static final String FLINK_CONTEXT = "lookout.flink-context";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedCluster.class);
    /** Every test class on the class path that uses the cluster; each adds itself to {@link #ended} as it ends. */
    private static final Set<Class<?>> USERS = Set.copyOf(ReflectionSupport.findAllClassesInPackage("lookout",
            SharedCluster::uses, name -> name.endsWith("Test")));
    private static final Set<Class<?>> ended = new HashSet<>();

    private static SharedCluster current;

    private final Path dir;
    private final KafkaBroker broker;
    private final FlinkCluster cluster;
    /** LOOKOUT_PSEUDONYM_KEY of the JobManager, for clients that run the job's main themselves. */
    private final String key;
    private String jar;

    private SharedCluster(Path dir, KafkaBroker broker, FlinkCluster cluster, String key, String jar) {
        this.dir = dir;
        this.broker = broker;
        this.cluster = cluster;
        this.key = key;
        this.jar = jar;
    }

    /**
     * Starts the shared cluster for the first class that uses it, in the root context's store; a class is skipped,
     * saying why, where the job jar is not built. After each class it asserts that every other child JVM the class
     * started has ended. Once every class that uses the cluster has ended, it stops the cluster: idle, the broker
     * and the three Flink JVMs took about a tenth of a core for the rest of the run. A run of only some of those
     * classes leaves it to the store, which closes it at the end of the run.
     */
    public static final class Extension implements BeforeAllCallback, AfterAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            assumeTrue(Files.isRegularFile(LookoutOnCluster.jobJar()),
                    LookoutOnCluster.jobJar() + " is built by `mvn package -Pjob-jar`; not built here");
            context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(SharedCluster.class, k -> start(),
                    SharedCluster.class);
        }

        @Override
        public void afterAll(ExtensionContext context) {
            try {
                if (current != null) {
                    current.assertNoOtherChildJvm();
                }
            } finally {
                if (lastUserEnded(context.getRequiredTestClass())) {
                    SharedCluster cluster = context.getRoot().getStore(NAMESPACE).remove(SharedCluster.class,
                            SharedCluster.class);
                    if (cluster != null) {
                        cluster.close();
                    }
                }
            }
        }
    }

    private static boolean uses(Class<?> testClass) {
        return AnnotationSupport.findRepeatableAnnotations(testClass, ExtendWith.class).stream()
                .anyMatch(e -> Arrays.asList(e.value()).contains(Extension.class));
    }

    private static synchronized boolean lastUserEnded(Class<?> testClass) {
        ended.add(testClass);
        return ended.containsAll(USERS);
    }

    /** The shared cluster; only from a class extended with {@link Extension}, once its callback has run. */
    public static synchronized SharedCluster get() {
        if (current == null) {
            throw new IllegalStateException("no shared cluster: extend the test class with SharedCluster.Extension");
        }
        return current;
    }

    private static synchronized SharedCluster start() {
        Path dir = null;
        KafkaBroker broker = null;
        try {
            dir = Files.createTempDirectory("lookout-shared-cluster-");
            broker = KafkaBroker.start(dir.resolve("kafka"));
            String key = LookoutOnCluster.newKey();
            // The JobManager has Flink's 256 MB of metaspace for the twenty or so submissions, and clears soft
            // references at every collection, so that what a finished job leaves there only softly (a JVM clears
            // that before it runs out of metaspace) does not count in ClusterJobTest. The TaskManagers have twice
            // Flink's 256 MB: the one that outlives every class has ended CI runs above 200 MB. RELIABILITY.md,
            // "Session clusters"; close() prints what each process holds at the end.
            FlinkCluster cluster = FlinkCluster.in(dir.resolve("flink")).jobManagerEnv("LOOKOUT_PSEUDONYM_KEY", key)
                    .jobManagerJvmOption("-XX:SoftRefLRUPolicyMSPerMB=0")
                    .set("taskmanager.memory.process.size", "1280m").set("taskmanager.memory.jvm-metaspace.size", "512m")
                    .start();
            current = new SharedCluster(dir, broker, cluster, key, cluster.uploadJar(LookoutOnCluster.jobJar()));
            return current;
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeQuietly(broker, dir);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException("cannot start the shared cluster", e);
        }
    }

    /** What each process of the cluster holds in metaspace once its classes have run: the figure a leak would move. */
    private void reportMetaspace() {
        for (ChildJvm jvm : cluster.processes()) {
            try {
                System.out.printf("shared cluster after its classes: %s holds %s of metaspace%n", jvm.name(),
                        Jcmd.metaspaceUsedAfterGc(jvm.pid()));
            } catch (IOException e) {
                System.out.printf("shared cluster after its classes: %s: %s%n", jvm.name(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void closeQuietly(KafkaBroker broker, Path dir) {
        if (broker != null) {
            broker.close();
        }
        if (dir != null) {
            FileUtils.deleteDirectoryQuietly(dir.toFile());
        }
    }

    public KafkaBroker broker() {
        return broker;
    }

    public FlinkCluster cluster() {
        return cluster;
    }

    public String key() {
        return key;
    }

    /** The job jar's id: uploaded again when the JobManager does not list it (a restarted one may not). */
    public synchronized String jar() throws IOException, InterruptedException {
        if (!cluster.hasJar(jar)) {
            jar = cluster.uploadJar(LookoutOnCluster.jobJar());
        }
        return jar;
    }

    /** Asserts that of the child JVMs the test JVM started, only the shared cluster's and broker's still run. */
    private void assertNoOtherChildJvm() {
        Set<ChildJvm> own = new HashSet<>(cluster.processes());
        own.add(broker.process());
        Set<ChildJvm> others = new HashSet<>(ChildJvm.alive());
        others.removeAll(own);
        assertEquals(Set.of(), others, "every child JVM a test started has ended");
    }

    @Override
    public synchronized void close() {
        reportMetaspace();
        cluster.close();
        broker.close();
        current = null;
        FileUtils.deleteDirectoryQuietly(dir.toFile());
    }
}
