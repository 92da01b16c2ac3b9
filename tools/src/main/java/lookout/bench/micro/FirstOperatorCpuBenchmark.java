package lookout.bench.micro;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import lookout.ingest.RecordIngestor;
import lookout.ingest.Rejection;

/**
 * The whole first operator ({@link RecordIngestor#ingest}) per record, for Toronto's areas, as CPU time of the
 * benchmark thread as well as wall time: on a shared machine the wall time per record grows with the load while
 * the CPU time hardly does. A batch of records is timed at once, so reading the thread's CPU clock costs nothing
 * per record. The CPU figure is {@code cpuNanos / records} of the secondary results.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FirstOperatorCpuBenchmark {
    private static final int BATCH = 512;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Summed over an iteration; JMH prints each beside the time. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime {
        public long cpuNanos;
        public long records;

        @Setup(Level.Iteration)
        public void reset() {
            cpuNanos = 0;
            records = 0;
        }
    }

    private byte[][] json;
    private byte[][] avro;
    private RecordIngestor ingestor;
    private int next;

    @Setup
    public void setUp() throws Rejection {
        TorontoRecords records = new TorontoRecords();
        json = records.json;
        avro = records.avro;
        ingestor = TorontoRecords.ingestor();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void ingestNdjson(CpuTime cpu, Blackhole out) {
        batch(json, cpu, out);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void ingestAvro(CpuTime cpu, Blackhole out) {
        batch(avro, cpu, out);
    }

    private void batch(byte[][] records, CpuTime cpu, Blackhole out) {
        long before = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < BATCH; i++) {
            out.consume(ingestor.ingest(records[next++ & (TorontoRecords.SIZE - 1)], "bench:1", 0L));
        }
        cpu.cpuNanos += THREADS.getCurrentThreadCpuTime() - before;
        cpu.records += BATCH;
    }
}
