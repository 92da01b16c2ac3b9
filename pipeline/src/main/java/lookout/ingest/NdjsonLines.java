package lookout.ingest;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import lookout.kernel.Sha256;

/**
 * The lines of an NDJSON stream, plain or gzip-compressed (recognised by its magic bytes), without their
 * terminators and without a UTF-8 byte-order mark at the start of the stream. A line longer than the limit is
 * not buffered: it is read past to its newline, keeping only its first {@link RecordIngestor#TOO_LARGE_RAW_BYTES}
 * bytes and a SHA-256 of all of it. Backfill and replay both read through this class, so they cut and judge the
 * same bytes the same way.
 *
 * <p>A plain file can also be read as byte ranges ({@link #range}), so that one large file keeps every core busy:
 * a range holds the lines whose first byte lies in it, so ranges that tile a file read each of its lines exactly
 * once, whichever range boundary a line straddles.
 */
public final class NdjsonLines implements Closeable {
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_SEVEN = 0x7F7F7F7F7F7F7F7FL;

    private final InputStream in;
    private final boolean gzip;
    private final int maxBytes;
    private final byte[] buffer = new byte[1 << 16];
    /** Where in the input {@code buffer[0]} lies: a file offset for plain input, decompressed for gzip. */
    private long bufferStart;
    private int position;
    private int limit;
    /** Lines starting at or after this offset belong to the next range. */
    private long end = Long.MAX_VALUE;
    private long lineStart;
    /** For gzip input: how much of the compressed file has been taken in. */
    private CountingInputStream compressed;
    private byte[] line = new byte[512];
    private int lineLength;
    private MessageDigest tooLarge;
    private String sha256;
    private boolean damaged;
    private boolean eof;
    private boolean started;

    private NdjsonLines(InputStream in, boolean gzip, int maxBytes) {
        this.in = in;
        this.gzip = gzip;
        this.maxBytes = maxBytes;
    }

    /** Reads {@code in}, decompressing it when it starts like a gzip file. */
    public static NdjsonLines open(InputStream in, int maxBytes) throws IOException {
        CountingInputStream counted = new CountingInputStream(in);
        BufferedInputStream buffered = new BufferedInputStream(counted, 1 << 16);
        boolean gzip = isGzip(buffered);
        NdjsonLines lines = new NdjsonLines(gzip ? new StrictGzipInputStream(buffered) : buffered, gzip, maxBytes);
        lines.compressed = counted;
        return lines;
    }

    /**
     * The lines of a file whose first byte lies in {@code [start, end)}: the last may run past {@code end}, and a
     * line that starts before {@code start} is left to the range before. {@code in} is positioned one byte
     * before {@code start} (at 0 when {@code start} is 0), where a newline tells that a line starts at
     * {@code start}. A range from 0 is read as {@link #open} reads a stream (gzip, byte-order mark); a gzip file
     * is only ever read whole, since a compressed file cannot be entered in the middle.
     */
    public static NdjsonLines range(InputStream in, long start, long end, int maxBytes) throws IOException {
        if (start == 0) {
            NdjsonLines lines = open(in, maxBytes);
            if (!lines.gzip) {
                lines.end = end;
            }
            return lines;
        }
        NdjsonLines lines = new NdjsonLines(in, false, maxBytes);
        lines.started = true;
        lines.bufferStart = start - 1;
        lines.end = end;
        lines.skipToLineStart();
        return lines;
    }

    /**
     * Reads past the tail of the line that runs into this range from the one before. Looks no further than the
     * range's end: a range inside one long line holds no line and must not read that line to its end.
     */
    private void skipToLineStart() throws IOException {
        while (true) {
            if (position == limit && !fill()) {
                eof = true;
                return;
            }
            int stop = (int) Math.min(limit, Math.max(position, end - 1 - bufferStart));
            while (position < stop && buffer[position] != '\n') {
                position++;
            }
            if (position < stop) {
                position++;
                return;
            }
            if (position < limit) {
                eof = true;
                return;
            }
        }
    }

    /**
     * How many newlines the next {@code bytes} bytes of {@code in} hold: a range's line numbers continue those of
     * the ranges before it. Eight bytes at a time, counting exactly the bytes equal to a newline, since this
     * may cover most of a large file.
     */
    public static long newlines(InputStream in, long bytes) throws IOException {
        byte[] block = new byte[1 << 20];
        long count = 0;
        long left = bytes;
        while (left > 0) {
            int n = in.readNBytes(block, 0, (int) Math.min(block.length, left));
            if (n == 0) {
                throw new EOFException("the file ended " + left + " bytes early");
            }
            int i = 0;
            for (; i + Long.BYTES <= n; i += Long.BYTES) {
                long x = (long) LONGS.get(block, i) ^ NEWLINES;
                // Per byte: its high bit is set exactly when the byte is zero, i.e. was a newline.
                long zero = ~(((x & LOW_SEVEN) + LOW_SEVEN) | x | LOW_SEVEN);
                count += Long.bitCount(zero);
            }
            for (; i < n; i++) {
                if (block[i] == '\n') {
                    count++;
                }
            }
            left -= n;
        }
        return count;
    }

    /** Whether this reads a gzip file (whose offsets are those of the decompressed text). */
    public boolean gzip() {
        return gzip;
    }

    /** Whether the stream starts with gzip's magic bytes; the stream is left where it was. */
    static boolean isGzip(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return startsLikeGzip(b0, b1);
    }

    /** Whether a stream whose first two bytes are these is gzip-compressed. */
    static boolean startsLikeGzip(int b0, int b1) {
        return b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1;
    }

    /**
     * Advances to the next line; false at the end of the input. A damaged gzip stream ends the input too,
     * after one last line, marked {@link #damaged()}, holding what was read of it. Scans a 64 KiB buffer for
     * the newline rather than reading byte by byte, which was half of the file source's time.
     */
    public boolean next() throws IOException {
        if (eof) {
            return false;
        }
        lineStart = bufferStart + position;
        if (lineStart >= end) {
            eof = true;
            return false;
        }
        lineLength = 0;
        tooLarge = null;
        sha256 = null;
        boolean any = false;
        while (true) {
            if (position == limit) {
                if (!fill()) {
                    eof = true;
                    finishTooLarge();
                    return any || damaged;
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            append(start, position);
            if (position < limit) {
                position++;
                finishTooLarge();
                return true;
            }
        }
    }

    private boolean fill() throws IOException {
        bufferStart += limit;
        position = 0;
        try {
            limit = started ? in.read(buffer) : readPastByteOrderMark();
        } catch (IOException e) {
            if (!gzip) {
                throw e;
            }
            // A truncated or corrupt gzip file: what came before the damage is kept, the rest cannot be read.
            damaged = true;
            limit = 0;
        }
        if (limit <= 0) {
            limit = 0;
            return false;
        }
        return true;
    }

    /**
     * The first bytes of the stream, less a UTF-8 byte-order mark: Windows tools (Excel among them) start
     * UTF-8 text with one, and an empty sheet saved so is nothing but the mark, which must not be a record.
     * Only the stream's start is looked at: a mark anywhere else is part of its line.
     */
    private int readPastByteOrderMark() throws IOException {
        started = true;
        int n = in.readNBytes(buffer, 0, BYTE_ORDER_MARK.length);
        if (n == BYTE_ORDER_MARK.length && Arrays.equals(buffer, 0, n, BYTE_ORDER_MARK, 0, n)) {
            bufferStart += n;
            return in.read(buffer);
        }
        return n;
    }

    private void append(int from, int to) {
        int n = to - from;
        if (tooLarge == null && lineLength + n > maxBytes) {
            tooLarge = Sha256.digest();
            tooLarge.update(line, 0, lineLength);
            lineLength = Math.min(lineLength, RecordIngestor.TOO_LARGE_RAW_BYTES);
        }
        if (tooLarge != null) {
            tooLarge.update(buffer, from, n);
            int keep = Math.min(n, RecordIngestor.TOO_LARGE_RAW_BYTES - lineLength);
            if (keep <= 0) {
                return;
            }
            n = keep;
        }
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
        }
        System.arraycopy(buffer, from, line, lineLength, n);
        lineLength += n;
    }

    private void finishTooLarge() {
        if (tooLarge != null) {
            sha256 = HEX.formatHex(tooLarge.digest());
        }
    }

    /** The current line; for a line too large, its first bytes. */
    public byte[] line() {
        return Arrays.copyOf(line, lineLength);
    }

    /** Where the current line starts: a file offset for plain input, in the decompressed text for gzip. */
    public long lineStart() {
        return lineStart;
    }

    /** Where the input read so far ends: just past the current line and its newline, or at the end of the input. */
    public long lineEnd() {
        return bufferStart + position;
    }

    /**
     * How far into the file the reading has come, for progress: {@link #lineEnd()} for a plain file, the
     * compressed bytes taken in (up to a buffer ahead of the lines) for a gzip file.
     */
    public long fileBytesRead() {
        return gzip ? compressed.count : lineEnd();
    }

    /** Whether the current line was longer than the limit. */
    public boolean tooLarge() {
        return sha256 != null;
    }

    /** The SHA-256 of the whole current line when it was too large, else null. */
    public String tooLargeSha256() {
        return sha256;
    }

    /** Whether the input broke off inside the current line (a damaged gzip file). */
    public boolean damaged() {
        return damaged && eof;
    }

    public boolean isBlank() {
        if (tooLarge()) {
            return false;
        }
        for (int i = 0; i < lineLength; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /**
     * A gzip stream that fails when bytes follow its last member. The JDK's stream ends there without a word, so
     * plain lines appended to a compressed file (or any damage after its last member) would be lost silently;
     * failing makes them the file's {@code corrupt_gzip} dead letter like any other damage.
     */
    private static final class StrictGzipInputStream extends GZIPInputStream {
        /** What follows the last member's compressed data: its 8-byte trailer (CRC and size), nothing more. */
        private static final int TRAILER_BYTES = 8;

        private final InputStream source;

        StrictGzipInputStream(InputStream source) throws IOException {
            super(source, 1 << 16);
            this.source = source;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0 && (inf.getRemaining() > TRAILER_BYTES || source.read() >= 0)) {
                throw new ZipException("bytes after the last gzip member");
            }
            return n;
        }
    }

    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
