package lookout.flink;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A string field of a hand-written serializer: its UTF-8 bytes after their length, -1 for null. The bytes are
 * copied whole, where {@code writeUTF} and Avro's encoder go character by character; a {@link Reader} reads them.
 */
public final class TextField {
    private TextField() {}

    public static void write(String text, DataOutputView target) throws IOException {
        if (text == null) {
            target.writeInt(-1);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    /**
     * One field from {@code source} to {@code target} without decoding it. Through an array: {@code
     * DataOutputView.write(DataInputView, int)} would save it, but Flink's growable {@code DataOutputSerializer}
     * refuses that past its current capacity instead of growing.
     */
    public static void copy(DataInputView source, DataOutputView target) throws IOException {
        int length = source.readInt();
        target.writeInt(length);
        if (length > 0) {
            byte[] bytes = new byte[length];
            source.readFully(bytes);
            target.write(bytes);
        }
    }

    /**
     * Reads the fields back. The job's records repeat a few hundred short values (signals, area ids, age bands,
     * outcomes, substances, days) on every record: a short value is read into a reused buffer and, when a small
     * table already holds the same bytes, that table's string is returned instead of a new one decoded, which
     * would cost two allocations per field on every edge. A reader is not thread-safe: each serializer instance
     * has its own, and Flink gives each user its own instance ({@code duplicate()}). Serializable as part of
     * its serializer, which Flink ships before any record is read.
     */
    public static final class Reader implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Longer values (free text) are decoded as they come. */
        private static final int MAX_SHARED_BYTES = 32;
        /** Enough for a city's areas and a year of days without their slots colliding often. */
        private static final int SLOTS = 1 << 11;

        private final byte[] buffer = new byte[MAX_SHARED_BYTES];
        private final byte[][] bytes = new byte[SLOTS][];
        private final String[] strings = new String[SLOTS];

        public String read(DataInputView source) throws IOException {
            int length = source.readInt();
            if (length < 0) {
                return null;
            }
            if (length > MAX_SHARED_BYTES) {
                byte[] whole = new byte[length];
                source.readFully(whole);
                return new String(whole, StandardCharsets.UTF_8);
            }
            source.readFully(buffer, 0, length);
            int slot = slot(length);
            byte[] held = bytes[slot];
            if (held != null && Arrays.equals(held, 0, held.length, buffer, 0, length)) {
                return strings[slot];
            }
            String text = new String(buffer, 0, length, StandardCharsets.UTF_8);
            bytes[slot] = Arrays.copyOf(buffer, length);
            strings[slot] = text;
            return text;
        }

        private int slot(int length) {
            int h = length;
            for (int i = 0; i < length; i++) {
                h = 31 * h + buffer[i];
            }
            return (h ^ (h >>> 11)) & (SLOTS - 1);
        }
    }
}
