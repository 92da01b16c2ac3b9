package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

class NdjsonLinesTest {
    private static final int MAX = 1000;

    static List<String> read(byte[] input) throws IOException {
        List<String> out = new ArrayList<>();
        try (NdjsonLines lines = NdjsonLines.open(new ByteArrayInputStream(input), MAX)) {
            while (lines.next()) {
                out.add((lines.damaged() ? "DAMAGED:" : lines.tooLarge() ? "TOO_LARGE:" : "")
                        + new String(lines.line(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(plain);
        }
        return b.toByteArray();
    }

    @Test
    void plainAndGzipInputGiveTheSameLines() throws Exception {
        byte[] plain = "{\"a\":1}\n\n  \n{\"b\":2}\r\nlast without newline".getBytes(StandardCharsets.UTF_8);
        List<String> expected = List.of("{\"a\":1}", "", "  ", "{\"b\":2}\r", "last without newline");
        assertEquals(expected, read(plain));
        assertEquals(expected, read(gzip(plain)));
        byte[] twoMembers = concat(gzip("one\n".getBytes(StandardCharsets.UTF_8)), gzip("two\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("one", "two"), read(twoMembers), "concatenated gzip members, as `cat a.gz b.gz` makes");
    }

    @Test
    void aByteOrderMarkAtTheStartOfTheFileIsSkippedAndNowhereElse() throws Exception {
        byte[] bom = HexFormat.of().parseHex("efbbbf");
        byte[] plain = concat(bom, utf8("{\"a\":1}\n"), bom, utf8("{\"b\":2}\n"));
        List<String> expected = List.of("{\"a\":1}", "\uFEFF{\"b\":2}");
        assertEquals(expected, read(plain));
        assertEquals(expected, read(gzip(plain)));
        assertEquals(expected, lines(trickle(plain)), "a mark split over several reads");
        assertEquals(List.of("", "\uFEFF{\"c\":3}"), read(concat(utf8("\n"), bom, utf8("{\"c\":3}"))),
                "a mark after the start is part of its line");
        assertEquals(List.of("", "{\"a\":1}"), read(concat(bom, utf8("\n{\"a\":1}"))),
                "a first line holding only the mark is still the first line, so later lines keep their numbers");
        assertEquals(List.of(), read(bom), "a file of only the mark has no lines");
        try (NdjsonLines lines = NdjsonLines.open(new ByteArrayInputStream(HexFormat.of().parseHex("efbb0a")), MAX)) {
            assertTrue(lines.next());
            assertArrayEquals(HexFormat.of().parseHex("efbb"), lines.line(), "part of a mark is not a mark");
        }
    }

    /** Serves one byte per read, as a slow pipe or network file system may. */
    private static InputStream trickle(byte[] bytes) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }

            @Override
            public synchronized int available() {
                return 0;
            }
        };
    }

    private static List<String> lines(InputStream in) throws IOException {
        List<String> out = new ArrayList<>();
        try (NdjsonLines lines = NdjsonLines.open(in, MAX)) {
            while (lines.next()) {
                out.add(new String(lines.line(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aLineOverTheLimitIsSkippedToItsNewlineKeepingItsHeadAndHash() throws Exception {
        byte[] huge = new byte[5 << 20];
        Arrays.fill(huge, (byte) 'x');
        huge[0] = '{';
        byte[] input = concat("ok\n".getBytes(StandardCharsets.UTF_8), huge, "\n".getBytes(StandardCharsets.UTF_8),
                "x".repeat(MAX).getBytes(StandardCharsets.UTF_8), "\nafter".getBytes(StandardCharsets.UTF_8));
        try (NdjsonLines lines = NdjsonLines.open(new ByteArrayInputStream(input), MAX)) {
            assertTrue(lines.next());
            assertEquals("ok", new String(lines.line(), StandardCharsets.UTF_8));
            assertTrue(lines.next());
            assertTrue(lines.tooLarge());
            assertFalse(lines.isBlank());
            assertArrayEquals(Arrays.copyOf(huge, RecordIngestor.TOO_LARGE_RAW_BYTES), lines.line());
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(huge)), lines.tooLargeSha256());
            assertTrue(lines.next());
            assertFalse(lines.tooLarge(), "exactly the limit is not too large");
            assertNull(lines.tooLargeSha256());
            assertEquals(MAX, lines.line().length);
            assertTrue(lines.next());
            assertEquals("after", new String(lines.line(), StandardCharsets.UTF_8));
            assertFalse(lines.next());
        }
    }

    @Test
    void aLineLongerThanAnyJavaArrayIsSkippedWithoutBeingHeld() throws Exception {
        long length = (1L << 31) + 100;
        InputStream endless = new InputStream() {
            private long served;

            @Override
            public int read() {
                throw new UnsupportedOperationException("read in blocks");
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (served > length) {
                    return -1;
                }
                int n = (int) Math.min(len, length + 1 - served);
                Arrays.fill(b, off, off + n, (byte) 'x');
                if (served + n == length + 1) {
                    b[off + n - 1] = '\n';
                }
                served += n;
                return n;
            }
        };
        try (NdjsonLines lines = NdjsonLines.open(endless, MAX)) {
            assertTrue(lines.next());
            assertTrue(lines.tooLarge());
            assertEquals(RecordIngestor.TOO_LARGE_RAW_BYTES, lines.line().length);
            assertFalse(lines.next());
        }
    }

    @Test
    void aTruncatedGzipFileYieldsTheLinesBeforeTheDamageAndThenOneDamagedLine() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            b.append("{\"n\":").append(i).append("}\n");
        }
        byte[] z = gzip(b.toString().getBytes(StandardCharsets.UTF_8));
        List<String> lines = read(Arrays.copyOf(z, z.length / 2));
        assertTrue(lines.size() > 1000, "the first half is read: " + lines.size());
        assertEquals("{\"n\":0}", lines.get(0));
        assertTrue(lines.get(lines.size() - 1).startsWith("DAMAGED:"));
        assertEquals(1, lines.stream().filter(l -> l.startsWith("DAMAGED:")).count());
    }

    @Test
    void bytesAfterTheLastGzipMemberAreOneDamagedLineNotLostSilently() throws Exception {
        byte[] z = gzip(utf8("one\ntwo\n"));
        assertEquals(List.of("one", "two", "DAMAGED:"), read(concat(z, utf8("{\"plain\":1}\n{\"plain\":2}\n"))));
        assertEquals(List.of("one", "two", "DAMAGED:"), read(concat(z, utf8("GARBAGE not gzip\n"))));
        byte[] large = utf8("{\"after\":1}\n".repeat(20_000));
        assertEquals(List.of("one", "two", "DAMAGED:"), read(concat(z, large)), "more than a buffer appended");
        assertEquals(List.of("one", "two"), read(z), "the trailer alone is no damage");
    }

    @Test
    void aPlainReadErrorIsNotMistakenForDamage() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk error");
            }
        };
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> {
            try (NdjsonLines lines = NdjsonLines.open(failing, MAX)) {
                lines.next();
            }
        });
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
