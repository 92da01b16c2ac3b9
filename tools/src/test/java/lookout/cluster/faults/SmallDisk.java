package lookout.cluster.faults;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small filesystem of its own (a tmpfs of a fixed size, mounted over an empty directory), which a test can fill to
 * the last byte and empty again. Mounting needs root; {@link #rootCanMount()} says whether this machine allows it
 * (CI runs as root), so that a test can skip with a clear message instead.
 */
final class SmallDisk implements AutoCloseable {
    private static final String FILLER = "filler";

    private final Path dir;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    /** Whether this process runs as root, the only user who may mount a filesystem. */
    static boolean rootCanMount() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    /** Mounts a tmpfs of {@code megabytes} over {@code dir}, which must be an empty directory. */
    static SmallDisk mount(Path dir, int megabytes) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m,mode=0700", "lookout-small-disk", dir.toString());
        return new SmallDisk(dir);
    }

    Path dir() {
        return dir;
    }

    /**
     * Writes a file until the filesystem has no byte left (the write that finds no space ends it), so that the next
     * file anyone writes here fails with "No space left on device".
     */
    void fill() throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(dir.resolve(FILLER))) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (free() > block.length) {
                throw full;
            }
        }
        byte[] one = new byte[1];
        try (OutputStream out = Files.newOutputStream(dir.resolve(FILLER + "-last-bytes"))) {
            while (true) {
                out.write(one);
                out.flush();
            }
        } catch (IOException full) {
            // Not a byte is left.
        }
    }

    long free() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    /** Removes what {@link #fill()} wrote. */
    void empty() throws IOException {
        Files.deleteIfExists(dir.resolve(FILLER));
        Files.deleteIfExists(dir.resolve(FILLER + "-last-bytes"));
    }

    /** Unmounts, discarding whatever the filesystem holds; the directory is left empty as it was found. */
    @Override
    public void close() throws IOException, InterruptedException {
        // Lazily: a process the test has not yet seen exit may still hold a file open here.
        run("umount", "--lazy", dir.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
    }
}
