package lookout.notify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The notifier's append-only files of one JSON object a line ({@code steps}, {@code deliveries}, {@code operator}). */
final class AppendLog {
    private AppendLog() {}

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

    private static boolean endsWithNewline(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, channel.size() - 1);
            return last.get(0) == '\n';
        }
    }
}
