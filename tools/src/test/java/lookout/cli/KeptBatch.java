package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import lookout.schema.SinkBatch;

/**
 * A DuckDB batch a retained checkpoint keeps for its commit, found in the checkpoint's files by the layout Flink and
 * {@code lookout.sink.PendingBatchSerializer} give it: Flink frames a committable as its serializer's version and
 * the length of its bytes; format 2 of the serializer begins with the batch's digest (64 hex digits, as
 * {@code DataOutput.writeUTF} writes them: their length first), then the length and the text of the writer's
 * {@code SinkBatch} schema. Operator state is neither compressed nor checksummed, whether Flink puts it in the
 * checkpoint's {@code _metadata} or in a file beside it.
 */
record KeptBatch(Path file, int schemaAt) {
    private static final byte[] SCHEMA = SinkBatch.getClassSchema().toString().getBytes(StandardCharsets.UTF_8);
    private static final int DIGEST = Short.BYTES + 64;
    /** How far before the schema text Flink wrote the version: version, length, digest, schema length. */
    private static final int VERSION_BEFORE_SCHEMA = Integer.BYTES + Integer.BYTES + DIGEST + Integer.BYTES;

    /** The newest {@code chk-N} of a job's checkpoints that keeps a batch. */
    static Path newestCheckpointKeepingOne(Path jobCheckpoints) throws IOException {
        try (Stream<Path> dirs = Files.list(jobCheckpoints)) {
            List<Path> newestFirst = dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> Files.isRegularFile(d.resolve("_metadata")))
                    .sorted(Comparator.comparingLong(KeptBatch::number).reversed()).toList();
            for (Path checkpoint : newestFirst) {
                if (in(checkpoint).isPresent()) {
                    return checkpoint;
                }
            }
            throw new AssertionError("no retained checkpoint of " + jobCheckpoints + " keeps a batch: " + newestFirst);
        }
    }

    /** The first batch {@code checkpoint} keeps, if any. */
    static Optional<KeptBatch> in(Path checkpoint) throws IOException {
        String schema = new String(SCHEMA, StandardCharsets.ISO_8859_1);
        try (Stream<Path> files = Files.walk(checkpoint)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                // Latin-1 reads every byte as one char, so the text's index is the byte's.
                int at = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).indexOf(schema);
                if (at >= 0) {
                    return Optional.of(new KeptBatch(file, at));
                }
            }
        }
        return Optional.empty();
    }

    /** Rewrites the serializer's version Flink recorded for the batch, which this build writes as 2. */
    void markAsFormat(int version) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer framing = ByteBuffer.wrap(bytes, schemaAt - VERSION_BEFORE_SCHEMA, Integer.BYTES);
        assertEquals(2, framing.getInt(framing.position()), "the version Flink recorded before the batch in " + file);
        framing.putInt(framing.position(), version);
        Files.write(file, bytes);
    }

    private static long number(Path checkpoint) {
        return Long.parseLong(checkpoint.getFileName().toString().substring("chk-".length()));
    }
}
