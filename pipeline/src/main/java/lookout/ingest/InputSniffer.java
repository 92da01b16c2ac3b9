package lookout.ingest;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import lookout.kernel.UsageException;

/**
 * Refuses input files that are plainly not NDJSON before any work starts. Read line by line, an archive or a
 * columnar file would turn into a heap of meaningless dead letters while the events inside it were lost, so
 * such a file stops the command with one line instead. Recognised by magic bytes, not by file name; a gzip
 * file is looked into, since the readers decompress it ({@link NdjsonLines}).
 */
public final class InputSniffer {
    private static final int HEAD_BYTES = 4096;
    private static final int TAR_MAGIC_OFFSET = 257;
    private static final Map<String, String> MAGIC = Map.of(
            "504b0304", "a zip archive",
            "504b0506", "a zip archive",
            "425a68", "a bzip2 file",
            "fd377a585a00", "an xz file",
            "28b52ffd", "a zstd file",
            "04224d18", "an lz4 file",
            "377abcaf271c", "a 7-zip archive",
            "50415231", "a Parquet file",
            "4f626a01", "an Avro container file",
            "25504446", "a PDF");

    private InputSniffer() {}

    /** Stops with one line naming the first file that is not NDJSON. */
    public static void requireNdjson(List<Path> files) {
        for (Path file : files) {
            String kind;
            try {
                kind = kind(file);
            } catch (IOException e) {
                throw new UsageException("cannot read input file " + file);
            }
            if (kind != null) {
                throw new UsageException("input " + file + " is " + kind
                        + ", not NDJSON (plain or gzip-compressed NDJSON is read; convert or unpack it first)");
            }
        }
    }

    /** What the file is when it is recognisably not NDJSON, else null. */
    static String kind(Path file) throws IOException {
        try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            if (!NdjsonLines.isGzip(in)) {
                return kind(head(in));
            }
            try (InputStream inner = new GZIPInputStream(in)) {
                String kind = kind(head(inner));
                return kind == null ? null : kind + " compressed with gzip";
            } catch (IOException e) {
                // A damaged gzip file is not refused here: the lines before the damage are read, the rest is
                // reported as a dead letter.
                return null;
            }
        }
    }

    private static byte[] head(InputStream in) throws IOException {
        return in.readNBytes(HEAD_BYTES);
    }

    static String kind(byte[] head) {
        String hex = HexFormat.of().formatHex(head, 0, Math.min(head.length, 8));
        for (Map.Entry<String, String> m : MAGIC.entrySet()) {
            if (hex.startsWith(m.getKey())) {
                return m.getValue();
            }
        }
        if (head.length >= TAR_MAGIC_OFFSET + 5
                && new String(head, TAR_MAGIC_OFFSET, 5, StandardCharsets.US_ASCII).equals("ustar")) {
            return "a tar archive";
        }
        if (hex.startsWith("fffe") || hex.startsWith("feff")) {
            return "UTF-16 text (NDJSON must be UTF-8)";
        }
        int suspicious = Utf8.invalidBytes(head);
        for (byte b : head) {
            if ((b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f) {
                suspicious++;
            }
        }
        // Text has next to no control bytes or broken UTF-8; one bad line holding some must not cost the file.
        return suspicious * 8 > head.length ? "binary data" : null;
    }
}
