package lookout.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.apache.flink.util.FileUtils;

import lookout.kernel.UsageException;
import lookout.release.ExportCommand;

/**
 * The demo's open data, as {@code export --open-data} and {@code serve --open-data} make it for a deployment: once
 * the job has counted the demo's days, their public tier is published as a release in {@code DB.open-data/}, which
 * the demo's dashboards serve at /open-data/. Every demo replaces the directory, as it replaces the database.
 */
final class DemoOpenData {
    /**
     * How long the demo waits for two snapshots after its last record (the second is of a checkpoint taken after the
     * job read it) before it exports what there is: a job with nothing new to commit publishes none.
     */
    private static final Duration SETTLE = Duration.ofSeconds(10);
    /**
     * The coroner lag of the demo's release: every generated coroner report is in by then, while the export's default
     * (91 days) would leave the demo's 90 days of history no coroner day at all.
     */
    static final long CORONER_LAG_DAYS = DemoEventFactory.CORONER_MAX_DELAY.toDays();
    /** The file that marks a directory of the demo's open data (hidden: the dashboards list releases only). */
    static final String MARK = ".lookout-demo";

    private DemoOpenData() {}

    static Path directory(Path db) {
        return db.toAbsolutePath().resolveSibling(db.getFileName() + ".open-data");
    }

    /**
     * Empties {@link #directory}: an earlier demo's release counted the events of another run. Only a directory a
     * demo made (it holds {@link #MARK}), or an empty one, is emptied: releases are never replaced, and one that
     * {@code export --open-data} published there is a deployment's, not the demo's.
     */
    static Path replace(Path db) throws IOException {
        Path dir = directory(db);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new UsageException(dir + " is not a directory, and the demo publishes its open data there: move it,"
                    + " or give the demo another --db");
        }
        if (Files.isDirectory(dir) && !Files.exists(dir.resolve(MARK)) && !empty(dir)) {
            throw new UsageException(dir + " holds open data the demo did not publish, which it would delete: move"
                    + " it, or give the demo another --db");
        }
        FileUtils.deleteDirectory(dir.toFile());
        Files.createDirectories(dir);
        Files.createFile(dir.resolve(MARK));
        return dir;
    }

    private static boolean empty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /**
     * Publishes the public tier through {@code last} once the snapshots have taken in the last records, and says so
     * in one line, and where its coroner counts end in another; a release the export refuses is one line, and the
     * demo goes on without it.
     *
     * @param ledger where the release ledger goes (a demo makes one release, so it need not outlive the demo)
     * @param users  the demo's users file ({@code --users}, or its own accounts'): its outreach accounts' counts are
     *               treated as known to them
     * @param stopping whether the demo is stopping (a signal, or --seconds reached): then there is nothing to
     *                 publish, nor anyone to tell
     */
    static void publish(Path db, LocalDate last, Path ledger, Path users, String page, BooleanSupplier stopping,
            PrintStream out) throws InterruptedException {
        awaitSnapshots(db, stopping);
        if (stopping.getAsBoolean()) {
            return;
        }
        List<String> args = List.of("--tier", "public", "--db", db.toString(), "--open-data", directory(db).toString(),
                "--through", last.toString(), "--coroner-lag", Long.toString(CORONER_LAG_DAYS), "--ledger",
                ledger.toString(), "--users", users.toString());
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        try {
            new ExportCommand().run(args, new PrintStream(said, true, StandardCharsets.UTF_8));
            String summary = said.toString(StandardCharsets.UTF_8);
            out.printf("  open data: release %s at %s (%s)%n", last, page, summary.lines().findFirst().orElse(""));
            summary.lines().filter(l -> l.startsWith(ExportCommand.CORONER_PERIOD)).findFirst()
                    .ifPresent(l -> out.println("  open data: " + l.strip()));
        } catch (UsageException e) {
            out.println("  open data: no release: " + e.getMessage());
        }
    }

    /** Waits until the published file has been replaced twice, {@link #SETTLE} has passed or the demo is stopping. */
    private static void awaitSnapshots(Path db, BooleanSupplier stopping) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        FileTime seen = modified(db);
        int replaced = 0;
        while (replaced < 2 && System.nanoTime() < deadline && !stopping.getAsBoolean()) {
            Thread.sleep(200);
            FileTime now = modified(db);
            if (now != null && !now.equals(seen)) {
                replaced++;
                seen = now;
            }
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }
}
