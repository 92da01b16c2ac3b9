package lookout.notify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The notifier's append-only files of one JSON object a line ({@code steps}, {@code deliveries}, {@code operator}):
 * how they are written, and how they are read back, passing over the lines that are not records.
 */
final class AppendLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AppendLog() {}

    /** A line that is JSON but not of its record's shape: not an object, or an unknown kind or outcome. */
    static final class NotARecord extends Exception {
        NotARecord() {
            super(null, null, false, false);
        }
    }

    /** Reads one line's JSON into its record. */
    @FunctionalInterface
    interface RecordReader<T> {
        T read(JsonNode line) throws NotARecord;
    }

    /**
     * A file's records, and how many of its lines were passed over as damaged, edited by hand or written by a later
     * build (a new {@code kind} of step after a rollback); lines only cut short are not counted.
     */
    record Journal<T>(Path file, List<T> records, int passedOver) {
        /** Tells, in one line, how many lines were passed over; nothing when none was. */
        void tellPassedOver(Consumer<String> warn) {
            if (passedOver > 0) {
                warn.accept("passed over " + passedOver + (passedOver == 1 ? " line of " : " lines of ") + file
                        + " that " + (passedOver == 1 ? "is not a record" : "are not records")
                        + " (damaged, edited by hand or written by a later build)");
            }
        }
    }

    /**
     * Opens the file for appending. A crash while a line was written leaves it without its newline: one is added
     * first, so that the next record is a line of its own instead of being glued to the torn one and lost with it
     * at the next reading. A line that was whole but for its newline is kept.
     */
    static FileChannel open(Path file) throws IOException {
        boolean torn = Files.exists(file) && Files.size(file) > 0 && !endsWithNewline(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        if (torn) {
            write(channel, "\n");
        }
        return channel;
    }

    /** Appends the text and forces it to disk. */
    static void write(FileChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false);
    }

    /**
     * The records of a file's lines (none when there is no file). A line that is not one, whether cut short by a
     * crash, not UTF-8 or not of the record's shape, is passed over: what it said is redone from the topic, where
     * refusing the whole file would stop every later start of the notifier on it. A line {@link #cutShort} is what a
     * crash in the middle of a write leaves, the usual case, and is not counted: {@link #open} ends it with a
     * newline, so it stays in the file, and counted it would be told at every later start.
     */
    static <T> Journal<T> read(Path file, RecordReader<T> reader) throws IOException {
        List<T> records = new ArrayList<>();
        int passedOver = 0;
        if (!Files.exists(file)) {
            return new Journal<>(file, records, passedOver);
        }
        byte[] bytes = Files.readAllBytes(file);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
        for (int start = 0, end; start < bytes.length; start = end + 1) {
            end = indexOfNewline(bytes, start);
            try {
                String line = utf8.decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
                if (!line.isBlank()) {
                    records.add(reader.read(JSON.readTree(line)));
                }
            } catch (CharacterCodingException | JsonProcessingException e) {
                passedOver += cutShort(bytes, start, end) ? 0 : 1;
            } catch (NotARecord e) {
                passedOver++;
            }
        }
        return new Journal<>(file, records, passedOver);
    }

    /**
     * Whether the bytes from {@code start} to {@code end} are the start of a JSON object and nothing else: all that
     * a crash can leave of a line, wherever it was cut (in a key, a number, a character of several bytes).
     */
    private static boolean cutShort(byte[] bytes, int start, int end) {
        try (JsonParser p = JSON.getFactory().createNonBlockingByteArrayParser()) {
            ((ByteArrayFeeder) p.getNonBlockingInputFeeder()).feedInput(bytes, start, end);
            int depth = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.NOT_AVAILABLE; t = p.nextToken()) {
                if (t == null || (depth == 0 && t != JsonToken.START_OBJECT)) {
                    return false;
                }
                depth += t.isStructStart() ? 1 : t.isStructEnd() ? -1 : 0;
                if (depth == 0) {
                    return false;
                }
            }
            return depth > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static int indexOfNewline(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return bytes.length;
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, channel.size() - 1);
            return last.get(0) == '\n';
        }
    }
}
