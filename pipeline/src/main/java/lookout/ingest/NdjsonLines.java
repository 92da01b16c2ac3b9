package lookout.ingest;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * The lines of an NDJSON stream, plain or gzip-compressed (recognised by its magic bytes), without their
 * terminators and without a UTF-8 byte-order mark at the start of the stream. A line longer than the limit is
 * not buffered: it is read past to its newline, keeping only its first {@link RecordIngestor#TOO_LARGE_RAW_BYTES}
 * bytes and a SHA-256 of all of it. Backfill and replay both read through this class, so they cut and judge the
 * same bytes the same way.
 */
public final class NdjsonLines implements Closeable {
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] BYTE_ORDER_MARK = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final InputStream in;
    private final boolean gzip;
    private final int maxBytes;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
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
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        boolean gzip = isGzip(buffered);
        return new NdjsonLines(gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered, gzip, maxBytes);
    }

    /** Whether the stream starts with gzip's magic bytes; the stream is left where it was. */
    static boolean isGzip(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
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
            return in.read(buffer);
        }
        return n;
    }

    private void append(int from, int to) {
        int n = to - from;
        if (tooLarge == null && lineLength + n > maxBytes) {
            tooLarge = RecordIngestor.sha256();
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
}
