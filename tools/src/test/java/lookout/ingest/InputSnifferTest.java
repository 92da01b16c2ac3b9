package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import lookout.kernel.UsageException;

class InputSnifferTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        "425a683931415926, a bzip2 file",
        "fd377a585a000004, an xz file",
        "28b52ffd00580100, a zstd file",
        "504152311500150c, a Parquet file",
        "4f626a0104166176, an Avro container file",
        "377abcaf271c0004, a 7-zip archive",
        "fffe7b0022006500, UTF-16 text (NDJSON must be UTF-8)",
    })
    void otherFormatsAreNamed(String hex, String kind) throws Exception {
        Path file = dir.resolve("events.ndjson");
        Files.write(file, HexFormat.of().parseHex(hex + "0a7b7d0a"));
        assertEquals("input " + file + " is " + kind
                + ", not NDJSON (plain or gzip-compressed NDJSON is read; convert or unpack it first)",
                assertThrows(UsageException.class, () -> InputSniffer.requireNdjson(List.of(file))).getMessage());
    }

    @Test
    void zipAndZippedGzipAndBinaryAreRefusedButGzipAndTextPass() throws Exception {
        Path zip = dir.resolve("events.zip");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.putNextEntry(new ZipEntry("events.ndjson"));
            z.write("{\"source\":\"paramedic\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.write(zip, b.toByteArray());
        assertEquals("a zip archive", InputSniffer.kind(zip));

        Path zipInGzip = dir.resolve("events.zip.gz");
        Files.write(zipInGzip, NdjsonLinesTest.gzip(b.toByteArray()));
        assertEquals("a zip archive compressed with gzip", InputSniffer.kind(zipInGzip));

        Path gz = dir.resolve("events.ndjson.gz");
        Files.write(gz, NdjsonLinesTest.gzip("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8)));
        assertNull(InputSniffer.kind(gz));

        Path binary = dir.resolve("events.bin");
        byte[] noise = new byte[4096];
        new java.util.SplittableRandom(3).nextBytes(noise);
        Files.write(binary, noise);
        assertEquals("binary data", InputSniffer.kind(binary));

        Path oneBadLine = dir.resolve("one-bad-line.ndjson");
        String fine = "{\"event_id\":\"p-1\",\"source\":\"paramedic\",\"occurred_at\":\"2026-03-04T21:15:42-05:00\"}\n";
        Files.write(oneBadLine, NdjsonLinesTest.concat(fine.getBytes(StandardCharsets.UTF_8),
                "{\"b\":\"".getBytes(StandardCharsets.UTF_8), new byte[] {0, 1, 2, 0x7f, (byte) 0xff, (byte) 0xc0},
                "\"}\n".getBytes(StandardCharsets.UTF_8), fine.repeat(3).getBytes(StandardCharsets.UTF_8)));
        assertNull(InputSniffer.kind(oneBadLine), "a few control bytes in one line cost that line, not the file");

        Path empty = dir.resolve("empty.ndjson");
        Files.write(empty, new byte[0]);
        assertNull(InputSniffer.kind(empty));
    }

    @Test
    void backfillAndReplayRefuseAZipWithOneLineBeforeStartingAnything() throws Exception {
        Path zip = dir.resolve("events.zip");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.putNextEntry(new ZipEntry("events.ndjson"));
            z.write("{\"source\":\"paramedic\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        Path inputs = Files.createDirectories(dir.resolve("in"));
        Files.writeString(inputs.resolve("a.ndjson"), "{}\n");
        Files.write(inputs.resolve("b.zip"), b.toByteArray());
        String expected = "lookout backfill: input " + inputs.resolve("b.zip")
                + " is a zip archive, not NDJSON (plain or gzip-compressed NDJSON is read; convert or unpack it first)\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = lookout.kernel.Main.run(new String[] {"backfill", "--input", inputs.toString(), "--db", dir.resolve("x.duckdb").toString()},
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertEquals(expected, err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(dir.resolve("x.duckdb")), "nothing was started or written");

        Files.write(zip, b.toByteArray());
        err.reset();
        code = lookout.kernel.Main.run(new String[] {"replay", "--input", zip.toString(), "--bootstrap", "127.0.0.1:1"},
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("lookout replay: input " + zip + " is a zip archive"),
                err.toString(StandardCharsets.UTF_8));
    }
}
