package lookout.cluster.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import lookout.cluster.Command;

/**
 * A small filesystem of its own (a tmpfs of a fixed size, mounted over an empty directory), which a test can fill to
 * the last byte and empty again. Mounting needs root; {@link #rootCanMount()} says whether this machine allows it
 * (CI runs as root), so that a test can skip with a clear message instead.
 */
final class SmallDisk implements AutoCloseable {
    private static final String FILLER = "filler-";
    private static final Duration TOP_UP_EVERY = Duration.ofMillis(200);

    private final Path dir;
    private ScheduledExecutorService keeper;
    private ScheduledFuture<?> topping;
    private int fillers;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    /** Whether this process runs as root, the only user who may mount a filesystem. */
    static boolean rootCanMount() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    /** Skips the calling test, saying why, where this process may not mount a small filesystem. */
    static void assumeRootCanMount() {
        Assumptions.assumeTrue(rootCanMount(), "a full disk needs a small filesystem of its own, which only root may"
                + " mount; this test runs where the tests run as root (CI)");
    }

    /** Mounts a tmpfs of {@code megabytes} over {@code dir}, which must be an empty directory. */
    static SmallDisk mount(Path dir, int megabytes) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Command.run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700", "lookout-small-disk", dir.toString());
        return new SmallDisk(dir);
    }

    Path dir() {
        return dir;
    }

    /**
     * Fills the filesystem to its last byte and keeps it full until {@link #empty()}: whatever another process frees
     * meanwhile (Flink deleting a checkpoint that a newer one subsumed) is taken again within {@link #TOP_UP_EVERY},
     * so that every file anyone else writes here fails with "No space left on device".
     */
    void fill() throws IOException {
        if (keeper != null) {
            throw new IllegalStateException("already full");
        }
        topUp();
        keeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "small-disk-keeper");
            t.setDaemon(true);
            return t;
        });
        topping = keeper.scheduleWithFixedDelay(this::topUpUnchecked, TOP_UP_EVERY.toMillis(), TOP_UP_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Writes one more filler file, in blocks and then byte by byte, until a write finds no space left. */
    private void topUp() throws IOException {
        if (free() == 0) {
            return;
        }
        Path file = dir.resolve(FILLER + fillers++);
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            writeUntilFull(out, block);
            writeUntilFull(out, new byte[1]);
        }
    }

    private static void writeUntilFull(OutputStream out, byte[] chunk) {
        try {
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException full) {
            // What is left is smaller than the chunk.
        }
    }

    private void topUpUnchecked() {
        try {
            topUp();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long free() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /** Stops keeping the filesystem full and removes what {@link #fill()} wrote. */
    void empty() throws IOException, InterruptedException {
        stopKeeper();
        for (int i = 0; i < fillers; i++) {
            Files.deleteIfExists(dir.resolve(FILLER + i));
        }
        fillers = 0;
    }

    /** Stops topping up; a top-up that failed for another reason than a full disk is thrown here. */
    private void stopKeeper() throws IOException, InterruptedException {
        if (keeper == null) {
            return;
        }
        boolean failed = topping.isDone();
        keeper.shutdownNow();
        if (!keeper.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the small disk's keeper did not stop");
        }
        keeper = null;
        if (failed) {
            try {
                topping.get();
            } catch (ExecutionException e) {
                throw new IOException("keeping " + dir + " full failed", e.getCause());
            }
        }
    }

    /** Unmounts, discarding whatever the filesystem holds; the directory is left empty as it was found. */
    @Override
    public void close() throws IOException, InterruptedException {
        stopKeeper();
        // Lazily: a process the test has not yet seen exit may still hold a file open here.
        Command.run("umount", "--lazy", dir.toString());
    }
}
