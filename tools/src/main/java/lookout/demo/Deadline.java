package lookout.demo;

import java.util.concurrent.TimeUnit;

/**
 * When {@code --seconds N} stops the demo: N seconds after the command started, wherever the demo is then, so that
 * the option bounds the whole run as a user reads it. {@link #NONE} without the option.
 */
record Deadline(long atNanos, int seconds) {
    static final Deadline NONE = new Deadline(0, 0);

    static Deadline after(long startedNanos, int seconds) {
        return new Deadline(startedNanos + TimeUnit.SECONDS.toNanos(seconds), seconds);
    }

    boolean passed() {
        return seconds > 0 && System.nanoTime() - atNanos >= 0;
    }

    /** " N s after it started (--seconds N)", or nothing without the option. */
    String describe() {
        return seconds > 0 ? " " + seconds + " s after it started (--seconds " + seconds + ")" : "";
    }
}
