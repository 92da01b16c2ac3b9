package lookout.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import lookout.ingest.ReadProgress;

/**
 * What a command that reads a long input says about itself on stderr: the share of the input read, the time left to
 * read, records and records per second; then what it does once all is read (a backfill: which step of its job) and
 * how long that has taken. On a terminal one line is rewritten in place, cut to the terminal's width (a line that
 * wraps cannot be rewritten); elsewhere (a pipe, a log file) a line is printed every {@link #LOG_EVERY} and when
 * reading ends, so a log stays short.
 */
public final class ProgressLine {
    /**
     * What the command does once its input is read: {@code doing} as the line says it ("step 5 of 13"), and what is
     * running in it, if anything ("detect-area-signal").
     */
    public record Stage(String doing, List<String> running) {}

    /** How often the command looks at the progress; on a terminal, how often the line changes. */
    public static final Duration TICK = Duration.ofMillis(500);
    static final Duration LOG_EVERY = Duration.ofSeconds(5);
    /** A terminal's width where it cannot be read. */
    static final int USUAL_COLUMNS = 80;

    /** "lookout backfill: " */
    private final String prefix;
    private final ReadProgress read;
    private final Supplier<Stage> afterReading;
    private final long totalBytes;
    private final PrintStream err;
    /** The terminal's width where stderr is one, else 0. */
    private final int terminalColumns;
    private long lastTickNanos;
    /** The last look before any byte was read: reading began after it. */
    private long firstReadNanos = -1;
    private long readDoneNanos = -1;
    private long readDoneRecords;
    private long lastLogNanos;
    private int shownLength;
    /** Set by {@link #finish}: the command has said its last word, and no progress may follow it. */
    private boolean finished;

    /**
     * @param command         the command's name, which starts every line
     * @param terminalColumns the terminal's width where stderr is one ({@link #terminalColumns()}), else 0
     * @param startNanos      System.nanoTime() when the command began to read, or to start what reads
     */
    public ProgressLine(String command, ReadProgress read, long totalBytes, Supplier<Stage> afterReading,
            PrintStream err, int terminalColumns, long startNanos) {
        this.prefix = "lookout " + command + ": ";
        this.read = read;
        this.afterReading = afterReading;
        this.totalBytes = totalBytes;
        this.err = err;
        this.terminalColumns = terminalColumns;
        this.lastLogNanos = startNanos;
        this.lastTickNanos = startNanos;
    }

    /** Shows the progress as of {@code now} (System.nanoTime()), if it is time to. */
    public synchronized void tick(long now) {
        if (finished) {
            return;
        }
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
        if (terminalColumns > 0) {
            rewrite(line(bytes, records, now));
        } else if (justDone || now - lastLogNanos >= LOG_EVERY.toNanos()) {
            err.println(prefix + line(bytes, records, now));
            lastLogNanos = now;
        }
    }

    /** Ends the line being rewritten, so that what follows starts on a line of its own. */
    public synchronized void end() {
        if (terminalColumns > 0 && shownLength > 0) {
            err.println();
            shownLength = 0;
        }
    }

    /**
     * Says the command's last line ({@code "lookout NAME: " + line}) on a line of its own, and shows no progress
     * after it: a shutdown hook says it while the command's thread may still be showing progress.
     */
    public synchronized void finish(String line) {
        end();
        err.println(prefix + line);
        finished = true;
    }

    /** What matters most comes first, as a narrow terminal shows only the line's start. */
    String line(long bytes, long records, long now) {
        if (readDoneNanos >= 0) {
            String done = String.format(Locale.ROOT, "read all %s (%,d records) in %s; now ", mib(totalBytes),
                    readDoneRecords, duration(readDoneNanos - firstReadNanos));
            Stage stage = afterReading.get();
            String at = done + stage.doing() + ", " + duration(now - readDoneNanos) + " so far";
            return stage.running().isEmpty() ? at : at + " (" + String.join(", ", stage.running()) + ")";
        }
        String share = String.format(Locale.ROOT, "read %d%% of %s", bytes * 100 / Math.max(1, totalBytes),
                mib(totalBytes));
        if (firstReadNanos < 0 || now <= firstReadNanos) {
            return share + ", starting";
        }
        long reading = now - firstReadNanos;
        long left = (long) ((double) (totalBytes - bytes) / bytes * reading);
        return share + String.format(Locale.ROOT, ", about %s left to read; %,d records, %,d records/s",
                duration(left), records, perSecond(records, reading));
    }

    /** Rewrites the line in place, cut to the terminal's width: a line that wraps would leave its start behind. */
    private void rewrite(String line) {
        String text = prefix + line;
        if (text.length() >= terminalColumns) {
            text = text.substring(0, terminalColumns - 2) + "…";
        }
        int pad = Math.max(0, shownLength - text.length());
        err.print("\r" + text + " ".repeat(pad));
        err.flush();
        shownLength = text.length();
    }

    /**
     * The width of the terminal the command runs in, as {@code stty} reads it (the JVM has no call for it), or
     * {@link #USUAL_COLUMNS} where it cannot be read.
     */
    public static int terminalColumns() {
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String[] rowsAndColumns;
            try (InputStream out = stty.getInputStream()) {
                rowsAndColumns = new String(out.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
            }
            if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0 && rowsAndColumns.length == 2) {
                int columns = Integer.parseInt(rowsAndColumns[1]);
                return columns >= 20 ? columns : USUAL_COLUMNS;
            }
        } catch (IOException | NumberFormatException e) {
            return USUAL_COLUMNS;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return USUAL_COLUMNS;
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
