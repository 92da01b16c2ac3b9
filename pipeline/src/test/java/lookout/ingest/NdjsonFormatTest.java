package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.geo.AreaIndex;
import lookout.geo.Boundaries;
import lookout.privacy.PseudonymKey;
import lookout.schema.IngestResult;

/** A file read as many byte ranges gives exactly what it gives read whole, whatever the ranges cut through. */
class NdjsonFormatTest {
    private static final int MAX_BYTES = 600;
    private static final IngestSettings SETTINGS = new IngestSettings(Boundaries.DEMO, PseudonymKey.ephemeral(),
            Instant.parse("2000-01-01T00:00:00Z"), Duration.ofMinutes(15), MAX_BYTES);
    private static final NdjsonFormat FORMAT = new NdjsonFormat(SETTINGS, null);

    @TempDir
    Path dir;

    /**
     * Valid events, broken records, blank and CRLF lines, a record over the size limit, a byte-order mark and no
     * final newline: every kind of line the reader treats on its own.
     */
    static byte[] mixedFile(int lines, long seed) {
        AreaIndex city = AreaIndex.demoCity();
        SplittableRandom random = new SplittableRandom(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(HexFormat.of().parseHex("efbbbf"));
        for (int i = 0; i < lines; i++) {
            String line = switch (i % 9) {
                case 3 -> "{\"event_id\":\"broken-" + i;
                case 5 -> "";
                case 6 -> "  \t";
                case 7 -> "x".repeat(MAX_BYTES + 1 + random.nextInt(200));
                default -> event(city, random, i);
            };
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            if (i < lines - 1) {
                out.writeBytes((i % 4 == 1 ? "\r\n" : "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static String event(AreaIndex city, SplittableRandom random, int i) {
        double[] at = city.pointIn(city.areas().get(random.nextInt(city.size())).id(), random);
        return "{\"event_id\":\"p-" + i + "\",\"source\":\"paramedic\",\"occurred_at\":\"2024-03-04T21:"
                + String.format("%02d", i % 60) + ":42-05:00\",\"reported_at\":\"2024-03-04T23:40:00-05:00\","
                + "\"location\":{\"lat\":" + at[0] + ",\"lon\":" + at[1] + "},"
                + "\"person\":{\"name\":\"Test " + i + "\",\"date_of_birth\":\"1990-05-01\",\"health_number\":\"HN-" + i
                + "\",\"sex\":\"F\"},\"naloxone_doses\":1,\"outcome\":\"transported\"}";
    }

    static List<IngestResult> read(FileSourceSplit split) throws IOException {
        List<IngestResult> out = new ArrayList<>();
        BulkFormat.Reader<IngestResult> reader = split.getReaderPosition().isPresent()
                ? FORMAT.restoreReader(new Configuration(), split)
                : FORMAT.createReader(new Configuration(), split);
        try (reader) {
            BulkFormat.RecordIterator<IngestResult> batch;
            while ((batch = reader.readBatch()) != null) {
                RecordAndPosition<IngestResult> r;
                while ((r = batch.next()) != null) {
                    out.add(r.getRecord());
                }
                batch.releaseBatch();
            }
        }
        return out;
    }

    /** The whole file cut every {@code step} bytes, read range by range. */
    static List<IngestResult> readInRanges(Path file, long step) throws IOException {
        long size = Files.size(file);
        List<IngestResult> out = new ArrayList<>();
        for (long start = 0; start < size; start += step) {
            out.addAll(read(split(file, start, Math.min(step, size - start))));
        }
        return out;
    }

    static FileSourceSplit split(Path file, long start, long length) throws IOException {
        return new FileSourceSplit("s" + start, new org.apache.flink.core.fs.Path(file.toUri()), start, length,
                1_000L, Files.size(file));
    }

    private static String summary(List<IngestResult> results) {
        return results.stream().map(r -> r.getSkipped() != null ? "skipped"
                        : r.getEvent() != null ? "event " + r.getEvent().getDedupeKey()
                        : r.getDeadLetter().getReason() + " at " + r.getDeadLetter().getPosition())
                .collect(Collectors.joining("\n"));
    }

    @Test
    void rangesOfAnySizeGiveTheSameResultsAsTheWholeFile() throws Exception {
        Path file = dir.resolve("mixed.ndjson");
        Files.write(file, mixedFile(400, 7));
        List<IngestResult> whole = read(split(file, 0, Files.size(file)));
        assertEquals(400 - 44 * 2, whole.stream().filter(r -> r.getSkipped() == null).count(),
                "every line but the blank ones is an event or a dead letter");
        String first = summary(whole);
        assertTrue(first.contains("record_too_large at " + file + ":8\n"), first);
        assertTrue(first.contains(" at " + file + ":4\n"), "the broken record of line 4: " + first);
        for (long step : new long[] {17, 64, 211, 1000, 4096, 65_536}) {
            List<IngestResult> ranged = readInRanges(file, step);
            assertEquals(first, summary(ranged), "ranges of " + step + " bytes");
            assertEquals(whole, ranged, "ranges of " + step + " bytes, every field");
        }
    }

    /** Ranges of one to three bytes start and end at every byte: a newline, a CR, the byte-order mark, the end. */
    @Test
    void rangesOfAByteOrTwoCutAtEveryPlace() throws Exception {
        Path file = dir.resolve("short.ndjson");
        Files.write(file, mixedFile(12, 9));
        List<IngestResult> whole = read(split(file, 0, Files.size(file)));
        assertEquals(10, whole.stream().filter(r -> r.getSkipped() == null).count());
        for (long step : new long[] {1, 2, 3}) {
            assertEquals(whole, readInRanges(file, step), "ranges of " + step + " bytes");
        }
    }

    @Test
    void aRangeInsideOneLongLineHoldsNoLine() throws Exception {
        Path file = dir.resolve("long.ndjson");
        Files.writeString(file, "a\n" + "x".repeat(10_000) + "\nb");
        assertEquals(List.of(), read(split(file, 100, 100)));
        assertEquals(List.of(), read(split(file, 3, 10_000)), "up to the line after the long one");
        assertEquals(1, read(split(file, 10_002, 2)).size(), "the range of the newline's next byte holds that line");
    }

    @Test
    void aRestoredRangeResumesAfterTheLinesItHadEmittedWithTheirNumbers() throws Exception {
        Path file = dir.resolve("restore.ndjson");
        Files.write(file, mixedFile(300, 3));
        long size = Files.size(file);
        FileSourceSplit second = split(file, size / 2, size - size / 2);
        List<IngestResult> all = read(second);
        // The reader positions records by the byte offset of their batch's first line; all fit in one batch.
        long firstLine = firstLineStart(file, size / 2);
        FileSourceSplit restored = second.updateWithCheckpointedPosition(new CheckpointedPosition(firstLine, 10));
        assertEquals(summary(all.subList(10, all.size())), summary(read(restored)));
    }

    private static long firstLineStart(Path file, long from) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long p = from;
        while (bytes[(int) p - 1] != '\n') {
            p++;
        }
        return p;
    }

    @Test
    void aGzipFileIsOneRangeAndAPlainFileIsCutForEveryReader() throws Exception {
        Path plain = dir.resolve("plain.ndjson");
        Files.write(plain, mixedFile(2000, 5));
        Path gzip = dir.resolve("plain.ndjson.gz");
        Files.write(gzip, NdjsonLinesTest.gzip(Files.readAllBytes(plain)));
        NdjsonRanges ranges = new NdjsonRanges(1000);
        var paths = new org.apache.flink.core.fs.Path[] {
                new org.apache.flink.core.fs.Path(plain.toUri()), new org.apache.flink.core.fs.Path(gzip.toUri())};
        List<FileSourceSplit> splits = new ArrayList<>(ranges.enumerateSplits(paths, 2));
        assertEquals(2 * NdjsonRanges.RANGES_PER_READER + 1, splits.size());
        long covered = 0;
        for (FileSourceSplit s : splits.subList(0, splits.size() - 1)) {
            assertEquals(covered, s.offset(), "ranges tile the file");
            covered += s.length();
        }
        assertEquals(Files.size(plain), covered);
        FileSourceSplit whole = splits.get(splits.size() - 1);
        assertEquals(0, whole.offset());
        assertEquals(Files.size(gzip), whole.length());
        List<IngestResult> fromPlain = new ArrayList<>();
        for (FileSourceSplit s : splits.subList(0, splits.size() - 1)) {
            fromPlain.addAll(read(s));
        }
        assertEquals(summary(read(split(plain, 0, Files.size(plain)))), summary(fromPlain));
        assertEquals(summary(fromPlain).replace(plain.toString(), gzip.toString()), summary(read(whole)),
                "the gzip file gives the same records, its line numbers included");
        assertEquals(1, new NdjsonRanges(1000).ranges(1999, 8), "below two ranges' worth, a file is read whole");
        assertEquals(NdjsonRanges.RANGES_PER_READER, new NdjsonRanges(1).ranges(1 << 20, 1));
    }

    /** Flink's own enumerator passed over such files without a word, even when named on the command line. */
    @Test
    void aFileWhoseNameStartsWithAnUnderscoreOrADotIsReadAsGiven() throws Exception {
        Path underscore = Files.writeString(dir.resolve("_export.ndjson"), "{}\n");
        Path dot = Files.writeString(dir.resolve(".export.ndjson"), "{}\n");
        var paths = new org.apache.flink.core.fs.Path[] {
                new org.apache.flink.core.fs.Path(underscore.toUri()), new org.apache.flink.core.fs.Path(dot.toUri())};
        assertEquals(2, new NdjsonRanges(NdjsonRanges.MIN_RANGE_BYTES).enumerateSplits(paths, 2).size());
    }

    @Test
    void newlinesAreCountedExactlyWhateverTheBytesAroundThem() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        byte[] bytes = new byte[3 * (1 << 20) + 13];
        for (int i = 0; i < bytes.length; i++) {
            // Bytes near a newline's value are where a word-at-a-time count could go wrong.
            bytes[i] = (byte) switch (random.nextInt(4)) {
                case 0 -> '\n';
                case 1 -> '\n' + 1 - random.nextInt(3) + 0x80 * random.nextInt(2);
                default -> random.nextInt(256);
            };
        }
        for (int length : new int[] {0, 1, 7, 8, 9, 4097, bytes.length}) {
            long expected = 0;
            for (int i = 0; i < length; i++) {
                expected += bytes[i] == '\n' ? 1 : 0;
            }
            try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
                assertEquals(expected, NdjsonLines.newlines(in, length), "first " + length + " bytes");
            }
        }
    }
}
