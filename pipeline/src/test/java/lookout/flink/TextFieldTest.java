package lookout.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class TextFieldTest {
    private static DataInputDeserializer written(List<String> values) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        for (String v : values) {
            TextField.write(v, out);
        }
        return new DataInputDeserializer(out.getCopyOfBuffer());
    }

    @Test
    void aShortValueReadAgainIsTheSameStringAndALongOneANewOne() throws IOException {
        String longValue = "a free-text field longer than thirty-two bytes";
        DataInputDeserializer in = written(List.of("paramedic", "paramedic", longValue, longValue));
        TextField.Reader reader = new TextField.Reader();
        String first = reader.read(in);
        assertEquals("paramedic", first);
        assertSame(first, reader.read(in), "the table's string, not a new one");
        String long1 = reader.read(in);
        assertEquals(longValue, long1);
        assertNotSame(long1, reader.read(in));
    }

    /** Thousands of values share 2,048 slots: whatever collides, every value reads back as written. */
    @Test
    void everyValueReadsBackAsWrittenWhateverSharesItsSlot() throws IOException {
        SplittableRandom random = new SplittableRandom(17);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            values.add(switch (random.nextInt(6)) {
                case 0 -> null;
                case 1 -> "";
                case 2 -> "médétomidine-" + random.nextInt(50);
                case 3 -> "x".repeat(random.nextInt(40));
                default -> Integer.toString(random.nextInt(5_000));
            });
        }
        DataInputDeserializer in = written(values);
        TextField.Reader reader = new TextField.Reader();
        for (int i = 0; i < values.size(); i++) {
            String read = reader.read(in);
            if (values.get(i) == null) {
                assertNull(read, "value " + i);
            } else {
                assertEquals(values.get(i), read, "value " + i);
            }
        }
        assertEquals(0, in.available());
    }
}
