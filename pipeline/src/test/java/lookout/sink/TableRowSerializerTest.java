package lookout.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.io.IOException;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import lookout.schema.CountDelta;
import lookout.schema.DelayDelta;
import lookout.schema.SubstanceDelta;
import lookout.schema.TableRow;

class TableRowSerializerTest {
    private final TypeSerializer<TableRow> serializer = TableRowSerializer.TYPE.createSerializer(new SerializerConfigImpl());

    @Test
    void theSerializerWritesEveryFieldOfTheKindsItWritesByHand() {
        String message = "a field added to these schemas must be written and read by TableRowSerializer too";
        assertEquals(List.of("granularity", "bucket_start", "area_id", "signal", "delta"),
                fieldNames(CountDelta.getClassSchema()), message);
        assertEquals(List.of("signal", "occurred_day", "reported_day", "delta"),
                fieldNames(DelayDelta.getClassSchema()), message);
        assertEquals(List.of("area_id", "week_start", "substance", "watch_entry", "delta"),
                fieldNames(SubstanceDelta.getClassSchema()), message);
        assertEquals(List.of("count", "dead_letter", "alarm", "alert", "substance", "feed_health", "delay"),
                fieldNames(TableRow.getClassSchema()), "a kind of row added to TableRow needs a bit in TableRowSerializer");
    }

    private static List<String> fieldNames(Schema schema) {
        return schema.getFields().stream().map(Schema.Field::name).toList();
    }

    @Test
    void rowsOfEveryKindWrittenBackToBackAreReadBackInTurn() throws IOException {
        List<TableRow> rows = DuckDbBulkLoadTest.rows(3, 2_000);
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (TableRow row : rows) {
            serializer.serialize(row, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (TableRow row : rows) {
            assertEquals(row, serializer.deserialize(in));
        }
        assertEquals(0, in.available());
    }

    @Test
    void aRowWithTwoFieldsSetKeepsBoth() throws IOException {
        TableRow row = TableRow.newBuilder().setCount(new CountDelta("hour", 1_700_000_000_000L, "073", "paramedic", 2L))
                .setDelay(new DelayDelta("coroner", "2023-11-14", "2023-12-01", 1L)).build();
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(row, out);
        assertEquals(row, serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
    }

    @Test
    void copyingSerialisedBytesGivesTheSameBytes() throws IOException {
        for (TableRow row : DuckDbBulkLoadTest.rows(4, 200)) {
            DataOutputSerializer original = new DataOutputSerializer(64);
            serializer.serialize(row, original);
            DataOutputSerializer copied = new DataOutputSerializer(64);
            serializer.copy(new DataInputDeserializer(original.getCopyOfBuffer()), copied);
            assertArrayEquals(original.getCopyOfBuffer(), copied.getCopyOfBuffer(), row.toString());
        }
    }

    @Test
    void everyUserGetsItsOwnSerializerBecauseAvrosKeepAnEncoder() {
        TypeSerializer<TableRow> other = TableRowSerializer.TYPE.createSerializer(new SerializerConfigImpl());
        assertNotSame(serializer, other);
        assertEquals(serializer, other);
        assertNotSame(serializer, serializer.duplicate());
        assertInstanceOf(TableRowSerializer.class, serializer.snapshotConfiguration().restoreSerializer());
    }
}
