package lookout.ingest;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one source subtask knows of how many newlines its files hold before a byte offset, so that a dead letter's
 * line number costs each byte of a file about one count. A range's first dead letter needs the newlines before
 * the range; counted from the file's start each time, a subtask's ranges of one large file read it about twice
 * over (four times at two subtasks), more than the lines themselves. What it knows: the ranges the subtask read
 * (every line but a range's last ended with one newline) and, from the file's start, the count at the end of
 * every stretch it counted or added up.
 */
final class LineCounts {
    /** Counts are made in pieces of at most this many bytes, each end remembered, so a later offset before the end
     *  of an earlier one counts at most this much again. */
    static final long PIECE_BYTES = 16L << 20;

    /** Counts the newlines in {@code [start, end)} of the file. */
    @FunctionalInterface
    interface Counter {
        long newlines(long start, long end) throws IOException;
    }

    /** A file as a split names it: rewritten in place, it is another file. */
    record FileVersion(String path, long size, long modified) {}

    /** A stretch of a file a reader read: it ends where its last line started, and holds that many newlines. */
    private record Stretch(long end, long newlines) {}

    private final long pieceBytes;
    /** Per file: offsets whose newlines before them are known, from 0. */
    private final Map<FileVersion, TreeMap<Long, Long>> before = new HashMap<>();
    /** Per file: the stretches read, by start. */
    private final Map<FileVersion, TreeMap<Long, Stretch>> read = new HashMap<>();

    LineCounts() {
        this(PIECE_BYTES);
    }

    LineCounts(long pieceBytes) {
        this.pieceBytes = pieceBytes;
    }

    /** Records that {@code [start, end)} of the file holds {@code newlines} newlines. */
    synchronized void record(FileVersion file, long start, long end, long newlines) {
        if (end > start) {
            read.computeIfAbsent(file, f -> new TreeMap<>()).put(start, new Stretch(end, newlines));
        }
    }

    /**
     * The newlines before {@code offset}: from the nearest offset known before it, each step takes a stretch read
     * that ends by the offset or counts up to the next stretch's start; every step's end is remembered.
     */
    synchronized long before(FileVersion file, long offset, Counter counter) throws IOException {
        TreeMap<Long, Long> known = before.computeIfAbsent(file, f -> new TreeMap<>(Map.of(0L, 0L)));
        TreeMap<Long, Stretch> stretches = read.computeIfAbsent(file, f -> new TreeMap<>());
        Map.Entry<Long, Long> from = known.floorEntry(offset);
        long position = from.getKey();
        long newlines = from.getValue();
        while (position < offset) {
            Stretch stretch = stretches.get(position);
            if (stretch != null && stretch.end() <= offset) {
                newlines += stretch.newlines();
                position = stretch.end();
            } else {
                Long nextRead = stretches.higherKey(position);
                long end = Math.min(Math.min(offset, position + pieceBytes), nextRead == null ? offset : nextRead);
                newlines += counter.newlines(position, end);
                position = end;
            }
            known.put(position, newlines);
        }
        return newlines;
    }
}
