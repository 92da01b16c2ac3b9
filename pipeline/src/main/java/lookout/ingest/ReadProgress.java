package lookout.ingest;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How far a backfill's file source has read, for the command's progress line: bytes of the input files and records.
 * The readers add to it at every batch, the command reads it while the job runs. A backfill's local cluster runs
 * in the command's own JVM, so the two meet in this registry by the run's id; readers in another JVM (a job sent
 * to a remote cluster) find no run and report nothing, and the job's counters still give the final figures.
 */
public final class ReadProgress implements AutoCloseable {
    private static final Map<String, ReadProgress> RUNS = new ConcurrentHashMap<>();

    private final String id;
    private final LongAdder bytes = new LongAdder();
    private final LongAdder records = new LongAdder();

    private ReadProgress(String id) {
        this.id = id;
    }

    /** A new run's progress, found by its {@link #id()} until closed. */
    public static ReadProgress start() {
        ReadProgress p = new ReadProgress(UUID.randomUUID().toString());
        RUNS.put(p.id, p);
        return p;
    }

    /** The run's progress in this JVM, or null where it was not started (or no id was given). */
    static ReadProgress find(String id) {
        return id == null ? null : RUNS.get(id);
    }

    public String id() {
        return id;
    }

    /** What a reader has read since it last reported. */
    public void add(long bytesRead, long recordsRead) {
        bytes.add(bytesRead);
        records.add(recordsRead);
    }

    /** Bytes of the input files read: for a gzip file, compressed bytes. */
    public long bytes() {
        return bytes.sum();
    }

    /** Records read: lines but blank ones, as the summary's "read" counts them. */
    public long records() {
        return records.sum();
    }

    @Override
    public void close() {
        RUNS.remove(id);
    }
}
