package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import lookout.config.LookoutConfig;
import lookout.demo.EmbeddedKafka;
import lookout.replay.KafkaPublisher;
import lookout.schema.SinkBatch;
import lookout.sink.DuckDbStore;
import lookout.testing.CliProcess;
import lookout.testing.Db;
import lookout.testing.FlinkRest;
import lookout.testing.ListeningSockets;

/** {@code ./lookout run} in its own process against a real broker, with the key handed over as an operator would. */
@Timeout(400)
class RunCommandTest {
    static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    Path keyFile(byte[] key, String mode) throws Exception {
        Path file = dir.resolve("key-" + mode);
        Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    static byte[] randomKey() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    Path config(String prefix) throws Exception {
        return config(prefix, "PT1S");
    }

    private Path config(String prefix, String checkpointInterval) throws Exception {
        return Files.writeString(dir.resolve(prefix + ".properties"), String.join("\n",
                "kafka.bootstrap = " + kafka.bootstrapServers(),
                "kafka.topic_prefix = " + prefix,
                "db = " + dir.resolve(prefix + ".duckdb"),
                "checkpoint.dir = " + dir.resolve(prefix + "-checkpoints"),
                "checkpoint.interval = " + checkpointInterval, ""));
    }

    @Test
    void listensOnLoopbackOnlyAndFailsWithOneLineWhenItsJobIsCancelledFromOutside() throws Exception {
        assumeTrue(ListeningSockets.supported(), "skipped: needs Linux's /proc to list the process's sockets");
        CliProcess run = CliProcess.start(dir, dir.resolve("logs"), Files.createDirectories(dir.resolve("tmp")),
                Map.of("LOOKOUT_PSEUDONYM_KEY_FILE", keyFile(randomKey(), "rw-------").toString()),
                "run", "--config", config("cancelled").toString());
        try {
            DemoCommandTest.RunningJob job = DemoCommandTest.RunningJob.await(run, 240);
            assertEquals(List.of(), job.sockets().stream().filter(s -> !s.loopback()).toList(),
                    "sockets listening beyond loopback");
            assertEquals(202, FlinkRest.cancel(job.restPort(), job.id()));
            int code = run.waitFor(90);
            assertAll(
                    () -> assertEquals(1, code),
                    () -> assertTrue(run.stdout().lines().toList().contains(RunCommand.WATCHING_FROM_THE_DATA),
                            "a run without detection.watching_since says what its start is: " + run.stdout()),
                    () -> assertEquals(List.of("lookout run: the Flink job " + job.id() + " was cancelled from outside this"
                            + " command (e.g. through Flink's REST API)"), run.commandErrors("run")),
                    () -> assertEquals(List.of(), run.stackTraceLines(), "no stack trace"));
        } finally {
            run.kill();
        }
    }

    @Test
    void stoppedWithSigtermItNamesTheCheckpointToResumeFrom() throws Exception {
        CliProcess run = CliProcess.start(dir, dir.resolve("logs-stopped"), Files.createDirectories(dir.resolve("tmp")),
                Map.of("LOOKOUT_PSEUDONYM_KEY_FILE", keyFile(randomKey(), "rw-------").toString()),
                "run", "--config", config("stopped").toString());
        try {
            DemoCommandTest.RunningJob job = DemoCommandTest.RunningJob.await(run, 240);
            Path checkpoints = dir.resolve("stopped-checkpoints").resolve(job.id());
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (Preflight.newestCheckpoint(checkpoints).isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "no checkpoint within 120 s");
                Thread.sleep(200);
            }
            ProcessHandle.of(run.pid()).orElseThrow().destroy();
            run.waitFor(90);
            List<String> said = run.commandErrors("run");
            assertEquals(1, said.size(), said.toString());
            String hint = "lookout run: stopped on SIGTERM; resume with --from-checkpoint ";
            assertTrue(said.get(0).startsWith(hint + checkpoints + "/chk-"), said.get(0));
            assertTrue(Files.isRegularFile(Path.of(said.get(0).substring(hint.length())).resolve("_metadata")),
                    "the checkpoint named is retained: " + said.get(0));
        } finally {
            run.kill();
        }
    }

    /**
     * Stopped before the first checkpoint: nothing was committed, and the line says so rather than nothing. SIGTERM,
     * as a service manager stops it: a test run started in the background inherits an ignored SIGINT.
     */
    @Test
    void stoppedBeforeItsFirstCheckpointItSaysItCommittedNothing() throws Exception {
        CliProcess run = CliProcess.start(dir, dir.resolve("logs-early"), Files.createDirectories(dir.resolve("tmp")),
                Map.of("LOOKOUT_PSEUDONYM_KEY_FILE", keyFile(randomKey(), "rw-------").toString()),
                "run", "--config", config("early", "PT1H").toString());
        try {
            DemoCommandTest.RunningJob.await(run, 240);
            ProcessHandle.of(run.pid()).orElseThrow().destroy();
            run.waitFor(90);
            assertEquals(List.of("lookout run: stopped on SIGTERM before its first checkpoint, having committed"
                    + " nothing: the same command starts again where this one did"), run.commandErrors("run"));
        } finally {
            run.kill();
        }
    }

    @Test
    void refusesAKeyOfZerosAndWarnsOfAKeyFileOthersCanRead() throws Exception {
        Path config = Files.writeString(dir.resolve("bad-boundaries.properties"),
                "kafka.bootstrap = " + kafka.bootstrapServers() + "\nboundaries = " + dir.resolve("none.geojson") + "\n");
        Path zeros = keyFile(new byte[32], "rw-------");
        CliProcess refused = CliProcess.start(dir, dir.resolve("logs-zeros"), dir, Map.of("LOOKOUT_PSEUDONYM_KEY_FILE",
                zeros.toString()), "run", "--config", config.toString());
        assertEquals(2, refused.waitFor(120), refused.stderr());
        assertEquals("lookout run: pseudonym key in " + zeros + " is not random (fewer than 16 distinct bytes: 1);"
                + " generate one with openssl rand -base64 32\n", refused.stderr());

        Path readable = keyFile(randomKey(), "rw-r--r--");
        CliProcess warned = CliProcess.start(dir, dir.resolve("logs-readable"), dir, Map.of("LOOKOUT_PSEUDONYM_KEY_FILE",
                readable.toString()), "run", "--config", config.toString());
        assertEquals(2, warned.waitFor(120), warned.stderr());
        assertEquals(List.of("lookout run: warning: pseudonym key file " + readable + " is readable by other users"
                + " (rw-r--r--); chmod 600 it", "lookout run: boundary file " + dir.resolve("none.geojson")
                + ": not found"), warned.stderr().lines().toList());
    }

    @Test
    void aRunWithoutTheStateOfTheRunThatWroteTheDatabaseIsOneLineThatNamesItsNewestCheckpoint() throws Exception {
        Map<String, String> key = Map.of("LOOKOUT_PSEUDONYM_KEY_FILE", keyFile(randomKey(), "rw-------").toString());
        Path config = config("earlier");
        Path db = dir.resolve("earlier.duckdb");
        try (DuckDbStore store = DuckDbStore.open(db, null, ZoneId.of("UTC"))) {
            store.apply(new SinkBatch("earlier-run", 1L, List.of()), new DuckDbStore.Committing("job-b", null, true));
            store.publish();
        }
        // job-b committed last; job-a was restored from an older checkpoint, failed at its first commit and left a
        // newer checkpoint that would fail again.
        Path checkpoints = dir.resolve("earlier-checkpoints");
        Path failed = Files.createDirectories(checkpoints.resolve("job-a/chk-9"));
        Path resumable = Files.createDirectories(checkpoints.resolve("job-b/chk-4"));
        Path older = Files.createDirectories(checkpoints.resolve("job-b/chk-3"));
        Files.setLastModifiedTime(metadata(older), FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(metadata(resumable), FileTime.fromMillis(2_000_000));
        Files.setLastModifiedTime(metadata(failed), FileTime.fromMillis(3_000_000));

        CliProcess fresh = CliProcess.start(dir, dir.resolve("logs-fresh"), dir, key, "run", "--config", config.toString());
        assertEquals(2, fresh.waitFor(120), fresh.stderr());
        assertEquals("lookout run: " + DuckDbStore.writerFile(db) + " holds the counts of an earlier run: resume it with"
                + " --from-checkpoint " + resumable + ", or add --fresh-state to start afresh on top of them (records"
                + " read again are then counted again, and the detectors start without history)\n", fresh.stderr());

        Files.move(DuckDbStore.writerFile(db), dir.resolve("moved-away.duckdb"));
        byte[] published = Files.readAllBytes(db);
        for (List<String> extra : List.<List<String>>of(List.of("--from-checkpoint", resumable.toString()), List.of(),
                List.of("--fresh-state"))) {
            List<String> args = new ArrayList<>(List.of("run", "--config", config.toString()));
            args.addAll(extra);
            CliProcess refused = CliProcess.start(dir, dir.resolve("logs-moved" + extra.size()), dir, key,
                    args.toArray(String[]::new));
            assertEquals(2, refused.waitFor(120), refused.stderr());
            assertEquals("lookout run: the writer's file " + DuckDbStore.writerFile(db) + " is missing beside the"
                    + " published earlier.duckdb: a job would publish an empty database over its counts; put the"
                    + " writer's file back, or rebuild the history with backfill\n", refused.stderr(), extra.toString());
        }
        assertArrayEquals(published, Files.readAllBytes(db), "the published counts as they were");
    }

    @Test
    void unwritableDirectoriesAndAMissingCheckpointAreOneLineBeforeFlinkStarts() throws Exception {
        Map<String, String> key = Map.of("LOOKOUT_PSEUDONYM_KEY_FILE", keyFile(randomKey(), "rw-------").toString());
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Path config = Files.writeString(dir.resolve("unwritable.properties"), String.join("\n",
                "kafka.bootstrap = " + kafka.bootstrapServers(),
                "checkpoint.dir = " + file.resolve("checkpoints"), "db = " + dir.resolve("u.duckdb"), ""));
        CliProcess checkpoints = CliProcess.start(dir, dir.resolve("logs-checkpoints"), dir, key,
                "run", "--config", config.toString());
        assertEquals(2, checkpoints.waitFor(120), checkpoints.stderr());
        assertEquals("lookout run: cannot write to " + file.resolve("checkpoints") + " for checkpoint.dir"
                + " (a parent is not a directory)\n", checkpoints.stderr());

        Path notes = Files.writeString(dir.resolve("notes.duckdb"), "my notes\n");
        Files.writeString(config, String.join("\n", "kafka.bootstrap = " + kafka.bootstrapServers(),
                "checkpoint.dir = " + dir.resolve("c"), "db = " + notes, ""));
        CliProcess foreign = CliProcess.start(dir, dir.resolve("logs-foreign"), dir, key, "run", "--config", config.toString());
        assertEquals(2, foreign.waitFor(120), foreign.stderr());
        assertEquals("lookout run: refusing to replace " + notes + ": it is not a Lookout database\n", foreign.stderr());
        assertEquals("my notes\n", Files.readString(notes));

        CliProcess restore = CliProcess.start(dir, dir.resolve("logs-restore"), dir, key, "run", "--config", config.toString(),
                "--from-checkpoint", dir.resolve("chk-7").toString());
        assertEquals(2, restore.waitFor(120), restore.stderr());
        assertEquals("lookout run: --from-checkpoint " + dir.resolve("chk-7") + " is not a checkpoint (no _metadata in it)\n",
                restore.stderr());
    }

    /**
     * Restores the sink refuses, played with a real checkpoint: under another pseudonym key, and after an upgrade
     * that cannot read the batch the checkpoint keeps for its commit (a format no build writes). Each stops at its
     * first attempt with its one line, before any commit; Flink's three restarts each logged a page of stack trace.
     */
    @Test
    void aRestoreTheSinkRefusesStopsAtOnceWithOneLineAndLeavesTheTablesAsTheyWere()
            throws Exception {
        Map<String, String> key = Map.of("LOOKOUT_PSEUDONYM_KEY_FILE", keyFile(randomKey(), "rw-------").toString());
        Path config = config("unreadable", "PT2S");
        Path db = dir.resolve("unreadable.duckdb");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        CliProcess run = CliProcess.start(dir, dir.resolve("logs-unreadable"), tmp, key, "run", "--config",
                config.toString());
        Path checkpoints;
        try {
            String job = DemoCommandTest.RunningJob.await(run, 240).id();
            checkpoints = dir.resolve("unreadable-checkpoints").resolve(job);
            deadLettersCommitted(config, db, 5);
            ProcessHandle.of(run.pid()).orElseThrow().destroy();
            run.waitFor(90);
        } finally {
            run.kill();
        }
        Path checkpoint = KeptBatch.newestCheckpointKeepingOne(checkpoints);
        Map<String, List<String>> tables = tables(db);

        // The same checkpoint restored under another pseudonym key: its batch is read, and refused at its commit.
        Map<String, String> otherKey = Map.of("LOOKOUT_PSEUDONYM_KEY_FILE",
                keyFile(randomKey(), "rw-------").toString());
        assertRestoreRefusedInOneLine(config, checkpoint, otherKey, tmp, "lookout run: this run's batches in "
                + DuckDbStore.writerFile(db) + " were made with another pseudonym key than this job's: restart it with"
                + " the key it started with, or records sent again would be counted again");
        assertEquals(tables, tables(db), "the published and the writer's tables as they were");

        KeptBatch.in(checkpoint).orElseThrow().markAsFormat(3);
        assertRestoreRefusedInOneLine(config, checkpoint, key, tmp, "lookout run: a DuckDB batch kept for its commit"
                + " in " + checkpoint + " cannot be read by this build of Lookout (it is in format 3, which only a"
                + " later build writes): restore it with the build that took it, or start this build with"
                + " --fresh-state (records read again are then counted again)");
        assertEquals(tables, tables(db), "the published and the writer's tables as they were");
    }

    /**
     * Restores {@code checkpoint} and expects the job to fail at its first attempt with {@code refusal} alone: a
     * restart, which Flink logs only at INFO, would show as the job's change to RESTARTING in its attempts' log.
     */
    private void assertRestoreRefusedInOneLine(Path config, Path checkpoint, Map<String, String> key, Path tmp,
            String refusal) throws Exception {
        CliProcess restore = CliProcess.start(dir, Files.createTempDirectory(dir, "logs-refused"), tmp, key, "run",
                "--config", config.toString(), "--from-checkpoint", checkpoint.toString());
        int code = restore.waitFor(180);
        List<String> lines = restore.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertAll(
                () -> assertEquals(1, code, restore.stderr()),
                () -> assertEquals(List.of(refusal), restore.commandErrors("run")),
                () -> assertEquals(refusal, lines.get(lines.size() - 1)),
                () -> assertEquals(List.of(), restore.stackTraceLines(), "no stack trace"),
                () -> assertEquals(List.of("CREATED to RUNNING", "RUNNING to FAILING", "FAILING to FAILED"),
                        restore.jobStateChanges(), "failed at its first attempt, not after Flink's restarts"));
    }

    /** Publishes {@code count} lines no source can read and waits until their dead letters are published. */
    private static void deadLettersCommitted(Path config, Path db, int count) throws Exception {
        try (KafkaPublisher publisher = new KafkaPublisher(LookoutConfig.load(config))) {
            for (int i = 0; i < count; i++) {
                publisher.publish(("not a record " + i).getBytes(StandardCharsets.UTF_8));
            }
            publisher.flush();
        }
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(db) || Db.count(db, "SELECT count(*) FROM dead_letters") < count) {
            assertTrue(System.nanoTime() < deadline, "the dead letters not published within 120 s");
            Thread.sleep(200);
        }
    }

    /** Every table of the published file and of the writer's file, each row as its columns joined. */
    private static Map<String, List<String>> tables(Path db) throws Exception {
        Map<String, List<String>> tables = new TreeMap<>();
        for (Path file : List.of(db, DuckDbStore.writerFile(db))) {
            for (String table : Db.query(file, "SELECT table_name FROM duckdb_tables()")) {
                String rows = "SELECT * FROM " + table + " ORDER BY ALL";
                tables.put(file.getFileName() + "/" + table, Db.query(file, rows));
            }
        }
        return tables;
    }

    /** A chk-N directory's {@code _metadata} as far as a restore's preflight reads it: Flink's magic number. */
    private static Path metadata(Path checkpoint) throws Exception {
        return Files.write(checkpoint.resolve("_metadata"),
                ByteBuffer.allocate(Integer.BYTES).putInt(Checkpoints.HEADER_MAGIC_NUMBER).array());
    }
}
