package lookout.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

import lookout.cluster.SharedCluster;

@ResourceLock(SharedCluster.CHILD_JVMS)
@ResourceLock(SharedCluster.THIS_JVM_THREADS)
class ThreadCpuTest {
    @Test
    void namesOfTheJvmsAndFlinksThreadsFallIntoTheirKinds() {
        assertEquals(ThreadCpu.Kind.JIT, ThreadCpu.kindOf("C2 CompilerThread0"));
        assertEquals(ThreadCpu.Kind.JIT, ThreadCpu.kindOf("C1 CompilerThread3"));
        assertEquals(ThreadCpu.Kind.GC, ThreadCpu.kindOf("GC Thread#1"));
        assertEquals(ThreadCpu.Kind.GC, ThreadCpu.kindOf("G1 Conc#0"));
        assertEquals(ThreadCpu.Kind.FLINK_SORT, ThreadCpu.kindOf("SortMerger Reading Thread"));
        assertEquals(ThreadCpu.Kind.FLINK_TASKS, ThreadCpu.kindOf("deduplicate -> Filter (2/2)#0"));
        assertEquals(ThreadCpu.Kind.OTHER, ThreadCpu.kindOf("flink-pekko.actor.default-dispatcher-5"));
        assertEquals("deduplicate -> Filter (*/2)", ThreadCpu.group("deduplicate -> Filter (2/2)#0"));
        assertEquals("GC Thread#*", ThreadCpu.group("GC Thread#1"));
    }

    /** A Java thread that burns CPU is found under its kind, DuckDB's query threads as native ones. */
    @Test
    void accountsForTheCpuOfThreadsThatRanAndOfDuckDbsNativeWorkers() throws Exception {
        ThreadCpu accounting = ThreadCpu.start();
        ThreadCpu.Account a;
        // It stays a moment after its work, as the accounting reads threads every 200 ms and loses an ended one's last period.
        Thread task = new Thread(() -> {
            burn(300);
            sleep(2 * ThreadCpu.PERIOD_MS);
        }, "count increments (1/2)#0");
        task.start();
        task.join();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
             Statement s = c.createStatement()) {
            s.execute("SET threads = 2");
            s.execute("CREATE TABLE t AS SELECT range AS i FROM range(20000000)");
            for (int k = 0; k < 5; k++) {
                try (ResultSet rs = s.executeQuery("SELECT sum(hash(i + " + k + ") % 7) FROM t")) {
                    rs.next();
                }
            }
            // Read while DuckDB's workers still live: closing the database ends them, and on a busy machine their
            // last period (lost, as every ended thread's) was more than a tenth of this short run.
            a = accounting.stop();
        }

        assertTrue(a.seconds(ThreadCpu.Kind.FLINK_TASKS) >= 0.28, "the task thread's 0.3 s: " + ThreadCpu.describe(a, 5));
        assertTrue(a.byGroup().containsKey("count increments (*/2)"), a.byGroup().toString());
        assertTrue(a.seconds(ThreadCpu.Kind.DUCKDB_NATIVE) > 0.05, "DuckDB's worker: " + ThreadCpu.describe(a, 5));
        assertTrue(a.attributedShare() > 0.9, "only ended threads' last period is unattributed: " + ThreadCpu.describe(a, 5));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Uses {@code millis} of CPU (not of wall time: the machine may be shared). */
    private static void burn(long millis) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long end = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
        long x = 0;
        while (threads.getCurrentThreadCpuTime() < end) {
            x += x * 31 + 7;
        }
        if (x == 42) {
            System.out.println(x);
        }
    }
}
