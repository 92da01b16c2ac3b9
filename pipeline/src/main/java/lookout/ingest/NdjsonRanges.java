package lookout.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Cuts the input files into byte ranges that the file source's readers share, so that one large file, which is
 * what users have, is read on every core. Cuts fall anywhere: {@link NdjsonLines#range} gives each line to the
 * range its first byte lies in. A gzip file stays whole (a compressed stream cannot be entered in the middle),
 * and so does a file too small to be worth sharing. The files are taken as given: the command chose them.
 */
public final class NdjsonRanges implements FileEnumerator {
    /** Files below twice this are read whole: a range costs an open, a seek and, for a dead letter, a count. */
    public static final long MIN_RANGE_BYTES = 8L << 20;
    /**
     * Ranges per reader in one file: more than one, so that a reader done early takes over work from a slow
     * one; few, since a reader counts the newlines of the ranges others read before its own for a dead letter's
     * line number ({@link LineCounts}), and each range costs an open and a seek.
     */
    static final int RANGES_PER_READER = 4;

    private final long minRangeBytes;

    public NdjsonRanges(long minRangeBytes) {
        this.minRangeBytes = minRangeBytes;
    }

    /** The enumerator for a file source; {@code minRangeBytes} is {@link #MIN_RANGE_BYTES} but in tests. */
    public static FileEnumerator.Provider provider(long minRangeBytes) {
        return () -> new NdjsonRanges(minRangeBytes);
    }

    @Override
    public Collection<FileSourceSplit> enumerateSplits(Path[] paths, int readers) throws IOException {
        List<FileSourceSplit> splits = new ArrayList<>();
        for (Path path : paths) {
            FileSystem fs = path.getFileSystem();
            FileStatus file = fs.getFileStatus(path);
            long size = file.getLen();
            int ranges = isGzip(fs, path) ? 1 : ranges(size, readers);
            for (int i = 0; i < ranges; i++) {
                long start = size * i / ranges;
                long end = size * (i + 1) / ranges;
                splits.add(new FileSourceSplit(Integer.toString(splits.size()), path, start, end - start,
                        file.getModificationTime(), size));
            }
        }
        return splits;
    }

    int ranges(long size, int readers) {
        long bySize = size / minRangeBytes;
        return (int) Math.max(1, Math.min(bySize, (long) Math.max(1, readers) * RANGES_PER_READER));
    }

    private static boolean isGzip(FileSystem fs, Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            return NdjsonLines.startsLikeGzip(in.read(), in.read());
        }
    }
}
