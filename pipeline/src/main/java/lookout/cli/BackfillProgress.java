package lookout.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

import lookout.ingest.ReadProgress;

/**
 * What a running backfill says about itself on stderr: bytes and records read of the input, records per second and
 * the time left to read, then that the rest of the job (counting, detection, the database) is under way. On a
 * terminal one line is rewritten in place; elsewhere (a pipe, a log file) a line is printed every
 * {@link #LOG_EVERY} and when reading ends, so a log stays short.
 */
final class BackfillProgress {
    /** How often the command looks at the progress; on a terminal, how often the line changes. */
    static final Duration TICK = Duration.ofMillis(500);
    static final Duration LOG_EVERY = Duration.ofSeconds(5);
    private static final String PREFIX = "lookout backfill: ";

    private final ReadProgress read;
    private final long totalBytes;
    private final PrintStream err;
    private final boolean terminal;
    private final long startNanos;
    private long lastTickNanos;
    /** The last look before any byte was read: reading began after it. */
    private long firstReadNanos = -1;
    private long readDoneNanos = -1;
    private long readDoneRecords;
    private long lastLogNanos;
    private int shownLength;

    BackfillProgress(ReadProgress read, long totalBytes, PrintStream err, boolean terminal, long startNanos) {
        this.read = read;
        this.totalBytes = totalBytes;
        this.err = err;
        this.terminal = terminal;
        this.startNanos = startNanos;
        this.lastLogNanos = startNanos;
        this.lastTickNanos = startNanos;
    }

    /** Shows the progress as of {@code now} (System.nanoTime()), if it is time to. */
    void tick(long now) {
        long bytes = read.bytes();
        long records = read.records();
        if (bytes > 0 && firstReadNanos < 0) {
            firstReadNanos = lastTickNanos;
        }
        lastTickNanos = now;
        boolean justDone = readDoneNanos < 0 && totalBytes > 0 && bytes >= totalBytes;
        if (justDone) {
            readDoneNanos = now;
            readDoneRecords = records;
        }
        if (terminal) {
            rewrite(line(bytes, records, now));
        } else if (justDone || now - lastLogNanos >= LOG_EVERY.toNanos()) {
            err.println(PREFIX + line(bytes, records, now));
            lastLogNanos = now;
        }
    }

    /** Ends the line being rewritten, so that what follows starts on a line of its own. */
    void end() {
        if (terminal && shownLength > 0) {
            err.println();
            shownLength = 0;
        }
    }

    String line(long bytes, long records, long now) {
        if (readDoneNanos >= 0) {
            long reading = readDoneNanos - firstReadNanos;
            String done = String.format(Locale.ROOT, "read all %s (%,d records) in %s, %,d records/s; now counting,"
                    + " detecting and writing the database", mib(totalBytes), readDoneRecords, duration(reading),
                    perSecond(readDoneRecords, reading));
            return done + ", " + duration(now - readDoneNanos) + " so far";
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "read %s of %s (%d%%), %,d records",
                mib(bytes), mib(totalBytes), bytes * 100 / Math.max(1, totalBytes), records));
        if (firstReadNanos >= 0 && now > firstReadNanos) {
            long reading = now - firstReadNanos;
            long left = (long) ((double) (totalBytes - bytes) / bytes * reading);
            b.append(String.format(Locale.ROOT, ", %,d records/s, about %s left to read",
                    perSecond(records, reading), duration(left)));
        } else {
            b.append(", starting");
        }
        return b.toString();
    }

    private void rewrite(String line) {
        String text = PREFIX + line;
        int pad = Math.max(0, shownLength - text.length());
        err.print("\r" + text + " ".repeat(pad));
        err.flush();
        shownLength = text.length();
    }

    private static long perSecond(long n, long nanos) {
        return nanos <= 0 ? 0 : Math.round(n * 1e9 / nanos);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** "45 s", "3 min 05 s", "2 h 07 min": as precise as a person waiting needs. */
    static String duration(long nanos) {
        long s = Math.max(0, Math.round(nanos / 1e9));
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s / 60 % 60);
    }
}
