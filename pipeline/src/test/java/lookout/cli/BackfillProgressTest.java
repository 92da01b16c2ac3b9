package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import lookout.ingest.ReadProgress;

class BackfillProgressTest {
    private static final long S = 1_000_000_000L;
    private static final long MIB = 1 << 20;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String shown() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void elsewhereALineEveryFiveSecondsAndOneWhenReadingEnds() {
        try (ReadProgress read = ReadProgress.start()) {
            BackfillProgress p = new BackfillProgress(read, 100 * MIB, err, false, 0);
            p.tick(S / 2);
            p.tick(S);
            assertEquals("", shown(), "nothing before five seconds");
            read.add(25 * MIB, 80_000);
            p.tick(5 * S);
            p.tick(6 * S);
            read.add(25 * MIB, 80_000);
            p.tick(10 * S);
            read.add(50 * MIB, 160_000);
            p.tick(13 * S);
            p.tick(15 * S);
            p.tick(18 * S + S / 2);
            p.end();
            assertEquals("""
                    lookout backfill: read 25.0 MiB of 100.0 MiB (25%), 80,000 records, 20,000 records/s, about 12 s left to read
                    lookout backfill: read 50.0 MiB of 100.0 MiB (50%), 160,000 records, 17,778 records/s, about 9 s left to read
                    lookout backfill: read all 100.0 MiB (320,000 records) in 12 s, 26,667 records/s; now counting, detecting and writing the database, 0 s so far
                    lookout backfill: read all 100.0 MiB (320,000 records) in 12 s, 26,667 records/s; now counting, detecting and writing the database, 6 s so far
                    """, shown(), "reading is timed from the last look that found nothing read");
        }
    }

    @Test
    void onATerminalOneLineIsRewrittenInPlaceAndEndedBeforeWhatFollows() {
        try (ReadProgress read = ReadProgress.start()) {
            BackfillProgress p = new BackfillProgress(read, 10 * MIB, err, true, 0);
            p.tick(S);
            read.add(MIB, 3_000);
            p.tick(2 * S);
            read.add(5 * MIB, 15_000);
            p.tick(3 * S + S / 2);
            p.end();
            String first = "lookout backfill: read 0.0 MiB of 10.0 MiB (0%), 0 records, starting";
            String second = "lookout backfill: read 1.0 MiB of 10.0 MiB (10%), 3,000 records, 3,000 records/s,"
                    + " about 9 s left to read";
            String third = "lookout backfill: read 6.0 MiB of 10.0 MiB (60%), 18,000 records, 7,200 records/s,"
                    + " about 2 s left to read";
            assertEquals("\r" + first + "\r" + second + "\r" + third + "\n", shown());
        }
    }

    @Test
    void aShorterLineBlanksWhatIsLeftOfTheLongerOneBeforeIt() {
        try (ReadProgress read = ReadProgress.start()) {
            BackfillProgress p = new BackfillProgress(read, 10 * MIB, err, true, 0);
            read.add(MIB, 3_000);
            p.tick(10 * S);
            read.add(8 * MIB, 24_000);
            p.tick(12 * S);
            p.end();
            String longer = "lookout backfill: read 1.0 MiB of 10.0 MiB (10%), 3,000 records, 300 records/s,"
                    + " about 1 min 30 s left to read";
            String shorter = "lookout backfill: read 9.0 MiB of 10.0 MiB (90%), 27,000 records, 2,250 records/s,"
                    + " about 1 s left to read";
            assertTrue(longer.length() > shorter.length());
            assertEquals("\r" + longer + "\r" + shorter + " ".repeat(longer.length() - shorter.length()) + "\n",
                    shown());
        }
    }

    @Test
    void durationsAreAsPreciseAsSomeoneWaitingNeeds() {
        assertEquals("0 s", BackfillProgress.duration(0));
        assertEquals("59 s", BackfillProgress.duration(59 * S));
        assertEquals("1 min 05 s", BackfillProgress.duration(65 * S));
        assertEquals("2 h 07 min", BackfillProgress.duration((2 * 3600 + 7 * 60 + 30) * S));
    }
}
