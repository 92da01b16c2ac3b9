package lookout.flink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A string field of a hand-written serializer: its UTF-8 bytes after their length, -1 for null. The bytes are
 * copied whole, where {@code writeUTF} and Avro's encoder go character by character.
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

    public static String read(DataInputView source) throws IOException {
        int length = source.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        source.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
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
}
