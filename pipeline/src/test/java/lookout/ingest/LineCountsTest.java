package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Line numbers of dead letters: exact at every offset, and each byte of a file counted about once by a subtask. */
class LineCountsTest {
    private static final LineCounts.FileVersion FILE = new LineCounts.FileVersion("/data/a.ndjson", 10_000, 1);

    /** A file's bytes, a newline where the random draw says, and the bytes counted so far. */
    private static final class File implements LineCounts.Counter {
        final byte[] bytes = new byte[10_000];
        long counted;

        File(long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextInt(7) == 0 ? (byte) '\n' : (byte) 'x';
            }
        }

        @Override
        public long newlines(long start, long end) {
            counted += end - start;
            return exact(start, end);
        }

        long exact(long start, long end) {
            long n = 0;
            for (long i = start; i < end; i++) {
                n += bytes[(int) i] == '\n' ? 1 : 0;
            }
            return n;
        }
    }

    @Test
    void everyOffsetGetsTheExactCountAndNoByteIsCountedTwice() throws IOException {
        File file = new File(3);
        LineCounts counts = new LineCounts(1);
        SplittableRandom random = new SplittableRandom(5);
        long furthest = 0;
        for (int i = 0; i < 500; i++) {
            long offset = random.nextLong(file.bytes.length + 1);
            furthest = Math.max(furthest, offset);
            assertEquals(file.exact(0, offset), counts.before(FILE, offset, file), "newlines before " + offset);
        }
        assertEquals(furthest, file.counted, "each byte up to the furthest offset, once");
    }

    @Test
    void anOffsetBeforeOneCountedCostsAtMostAPieceMore() throws IOException {
        File file = new File(4);
        LineCounts counts = new LineCounts(1_000);
        assertEquals(file.exact(0, 8_000), counts.before(FILE, 8_000, file));
        assertEquals(file.exact(0, 5_000), counts.before(FILE, 5_000, file));
        assertEquals(8_000, file.counted, "5,000 ends a piece of the first count");
        assertEquals(file.exact(0, 5_500), counts.before(FILE, 5_500, file));
        assertEquals(8_500, file.counted, "from the piece's end at 5,000");
    }

    /** Ranges read in turn by two subtasks: each counts only what the other read, and each such byte once. */
    @Test
    void aSubtaskCountsOnlyTheRangesItDidNotRead() throws IOException {
        File file = new File(11);
        LineCounts counts = new LineCounts(1_000_000);
        int range = 1_000;
        for (int start = 0; start < file.bytes.length; start += 2 * range) {
            assertEquals(file.exact(0, start), counts.before(FILE, start, file));
            // A reader's stretch ends where its last line starts: a few bytes before the range's end.
            int lastLineStart = start + range - 3;
            counts.record(FILE, start, lastLineStart, file.exact(start, lastLineStart));
        }
        assertEquals(4 * (range + 3), file.counted, "the other subtask's ranges before the last, each once");
        assertEquals(file.exact(0, 9_999), counts.before(FILE, 9_999, file));
        assertEquals(4 * (range + 3) + range + 3 - 1, file.counted, "and the stretch to the offset asked");
    }

    @Test
    void aFileRewrittenInPlaceIsCountedAgain() throws IOException {
        File first = new File(1);
        File second = new File(2);
        LineCounts counts = new LineCounts();
        assertEquals(first.exact(0, 5_000), counts.before(FILE, 5_000, first));
        LineCounts.FileVersion rewritten = new LineCounts.FileVersion("/data/a.ndjson", 10_000, 2);
        assertEquals(second.exact(0, 5_000), counts.before(rewritten, 5_000, second));
    }
}
