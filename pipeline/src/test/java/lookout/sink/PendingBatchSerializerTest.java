package lookout.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.schema.Alert;
import lookout.schema.CountDelta;
import lookout.schema.DeadLetter;
import lookout.schema.DelayDelta;
import lookout.schema.DetectorAlarm;
import lookout.schema.FeedHealth;
import lookout.schema.SinkBatch;
import lookout.schema.SubstanceDelta;
import lookout.schema.TableRow;

/** The sink's committables across builds: what a checkpoint of an earlier build keeps is read by a later one. */
class PendingBatchSerializerTest {
    private static final String CHECKPOINT = "/data/checkpoints/5d1e/chk-12";
    private final PendingBatchSerializer serializer = new PendingBatchSerializer(CHECKPOINT);

    @TempDir
    Path dir;

    /**
     * The batch {@code sink-batch-v1.bin} holds, as the last build that wrote version 1 serialised it: a row of every
     * kind. Built field by field, so that a field added to a row later takes its default here as in the read.
     */
    private static SinkBatch everyKindOfRow() {
        return SinkBatch.newBuilder().setRunId("4f1c2a9e-v1").setSequence(7L).setRows(List.of(
                TableRow.newBuilder().setCount(CountDelta.newBuilder().setGranularity("day")
                        .setBucketStart(1_700_000_000L).setAreaId("A1").setSignal("paramedic").setDelta(3L).build())
                        .build(),
                TableRow.newBuilder().setDeadLetter(DeadLetter.newBuilder().setReceivedAt(1_700_000_000_123L)
                        .setSource("coroner").setReason("invalid_avro").setPosition("lookout.coroner/0/41")
                        .setSha256("ab".repeat(32)).setRaw(ByteBuffer.wrap(new byte[] {(byte) 0xC3, 1})).build())
                        .build(),
                TableRow.newBuilder().setAlarm(DetectorAlarm.newBuilder().setAreaId("A1").setSignal("paramedic")
                        .setMethod("earsC_C1").setDay("2023-11-14").setObserved(3).setExpected(0.5)
                        .setUpperbound(null).setAlarm(true).build()).build(),
                TableRow.newBuilder().setAlert(Alert.newBuilder().setSpikeId("s1").setAreaId("A1")
                        .setSignal("paramedic").setMethod("excessglr").setOpenedAt(1_700_000_000_000L)
                        .setUpdatedAt(1_700_003_600_000L).setClosedAt(null).setWindowStart(1_699_996_400_000L)
                        .setWindowEnd(1_700_003_600_000L).setObserved(null).setExpected(1.5).setThreshold(4.0)
                        .setScore(9.5).setSeverity("high").setStatus("opened").setEvidence("{\"deaths\":0}")
                        .setExplanation("more calls than usual").build()).build(),
                TableRow.newBuilder().setSubstance(SubstanceDelta.newBuilder().setAreaId("A1")
                        .setWeekStart("2023-11-13").setSubstance("isotonitazene").setWatchEntry("nitazene")
                        .setDelta(1L).build()).build(),
                TableRow.newBuilder().setFeedHealth(FeedHealth.newBuilder()
                        .setEpisodeId("paramedic-silent-1700000000000").setSource("paramedic").setStatus("silent")
                        .setSince(1_700_000_000_000L).setUntil(null).setUpdatedAt(1_700_010_800_000L)
                        .setSecondsSinceLastRecord(10_800.0).setUsualGapSeconds(600.0).setDeadLetterShare(0.0)
                        .setReportDelaySeconds(120.0).build()).build(),
                TableRow.newBuilder().setDelay(DelayDelta.newBuilder().setSignal("coroner")
                        .setOccurredDay("2023-11-01").setReportedDay("2023-11-14").setDelta(1L).build()).build()))
                .build();
    }

    private static byte[] firstVersionBytes() throws IOException {
        try (InputStream in = PendingBatchSerializerTest.class.getResourceAsStream("sink-batch-v1.bin")) {
            return in.readAllBytes();
        }
    }

    /** SinkBatch as an earlier build would have had it: its rows without their last kind, {@code delay}. */
    private static Schema withoutDelayRows() {
        Schema row = TableRow.getClassSchema();
        List<Schema.Field> rowFields = row.getFields().subList(0, row.getFields().size() - 1).stream()
                .map(f -> new Schema.Field(f, f.schema())).toList();
        Schema earlierRow = Schema.createRecord(row.getName(), row.getDoc(), row.getNamespace(), false, rowFields);
        Schema batch = SinkBatch.getClassSchema();
        return Schema.createRecord(batch.getName(), batch.getDoc(), batch.getNamespace(), false, List.of(
                new Schema.Field(batch.getField("run_id"), batch.getField("run_id").schema()),
                new Schema.Field(batch.getField("sequence"), batch.getField("sequence").schema()),
                new Schema.Field(batch.getField("rows"), Schema.createArray(earlierRow))));
    }

    /** A version-2 committable as a build with the {@code writer} schema serialises it. */
    private static byte[] secondVersion(String digest, Schema writer, byte[] encoded) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(digest);
            byte[] text = writer.toString().getBytes(StandardCharsets.UTF_8);
            out.writeInt(text.length);
            out.write(text);
            out.write(encoded);
        }
        return bytes.toByteArray();
    }

    private static byte[] encode(Schema writer, SinkBatch batch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SinkBatch>(writer).write(batch, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Test
    void aBatchAnEarlierBuildKeptInVersionOneIsReadWithTheDigestItWasCommittedUnder() throws IOException {
        PendingBatch read = serializer.deserialize(1, firstVersionBytes());
        assertEquals(everyKindOfRow(), read.batch());
        assertEquals("5e989d60a01ac5922fa8392155e3829563583de2ce6f086b9d0bc2170fc6ec1b", read.digest(),
                "the SHA-256 of the file, which that build recorded in lookout_commits");
    }

    @Test
    void aBatchIsKeptInVersionTwoWithItsDigestAndItsSchema() throws IOException {
        PendingBatch made = PendingBatch.of(everyKindOfRow());
        assertEquals(2, serializer.getVersion());
        byte[] kept = serializer.serialize(made);
        assertEquals(made, serializer.deserialize(2, kept));
        assertTrue(new String(kept, StandardCharsets.UTF_8).contains(SinkBatch.getClassSchema().toString()));
    }

    /**
     * An upgrade that added a kind of row, restored from the last checkpoint of the build before it: the batch that
     * build committed as the checkpoint completed is offered again, read as this build's rows, and recognised.
     */
    @Test
    void aBatchOfAnEarlierSchemaIsReadAsThisBuildsAndStillKnownByItsDigest() throws Exception {
        SinkBatch batch = SinkBatch.newBuilder(everyKindOfRow()).setSequence(1L)
                .setRows(everyKindOfRow().getRows().subList(0, 6)).build();
        byte[] earlierEncoding = encode(withoutDelayRows(), batch);
        String committedDigest = BatchDigest.of(earlierEncoding);
        PendingBatch restored = serializer.deserialize(2, secondVersion(committedDigest, withoutDelayRows(),
                earlierEncoding));
        assertEquals(new PendingBatch(batch, committedDigest), restored);
        assertNotEquals(committedDigest, PendingBatch.of(batch).digest(), "this build encodes the rows otherwise");
        assertEquals(restored, serializer.deserialize(2, serializer.serialize(restored)), "kept again as it came");

        DuckDbStore.Committing by = new DuckDbStore.Committing("job-1", "key-a", false);
        try (DuckDbStore store = DuckDbStore.open(dir.resolve("lookout.duckdb"), null, ZoneId.of("UTC"))) {
            store.writeAreas(new PublishedAreas(Map.of("A1", "Alpha"), Map.of(), Map.of()));
            assertTrue(store.apply(new PendingBatch(batch, committedDigest), by), "the earlier build's commit");
            assertFalse(store.apply(restored, by), "offered again after the upgrade: already applied");
            assertThrows(DuckDbStore.WriterMismatch.class, () -> store.apply(PendingBatch.of(batch), by),
                    "had the digest been computed again, the batch would pass for another one");
        }
    }

    @Test
    void aBatchThatCannotBeReadStopsTheRestoreWithOneLineNamingTheCheckpoint() throws IOException {
        String advice = "): restore it with the build that took it, or start this build with --fresh-state (records"
                + " read again are then counted again)";
        String kept = "a DuckDB batch kept for its commit in " + CHECKPOINT + " cannot be read by this build of"
                + " Lookout (";
        Schema sequenceAsText = new Schema.Parser().parse(SinkBatch.getClassSchema().toString()
                .replace("{\"name\":\"sequence\",\"type\":\"long\"}", "{\"name\":\"sequence\",\"type\":\"string\"}"));
        PendingBatchSerializer.UnreadableBatch incompatible = assertThrows(PendingBatchSerializer.UnreadableBatch.class,
                () -> serializer.deserialize(2, secondVersion("00", sequenceAsText, new byte[] {2, 'x', 0})));
        assertEquals(kept + "AvroTypeException: Found string, expecting long" + advice, incompatible.getMessage());
        assertNull(incompatible.getCause(), "the message is all a command prints of the job's failure");

        byte[] cut = Arrays.copyOf(firstVersionBytes(), 100);
        assertEquals(kept + "EOFException: Attempted to read 64 bytes, but only 3 bytes are available" + advice,
                assertThrows(PendingBatchSerializer.UnreadableBatch.class, () -> serializer.deserialize(1, cut))
                        .getMessage());
        assertEquals(kept + "it is in format 3, which only a later build writes" + advice,
                assertThrows(PendingBatchSerializer.UnreadableBatch.class,
                        () -> serializer.deserialize(3, new byte[0])).getMessage());
        assertEquals("a DuckDB batch kept for its commit in the checkpoint or savepoint this job was restored from"
                + " cannot be read by this build of Lookout (bytes are left after the batch" + advice,
                assertThrows(PendingBatchSerializer.UnreadableBatch.class, () -> new PendingBatchSerializer(null)
                        .deserialize(1, Arrays.copyOf(firstVersionBytes(), 600))).getMessage());
    }
}
