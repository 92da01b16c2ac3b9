package lookout.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.geo.AreaIndex;
import lookout.geo.Boundaries;

class EventFileTest {
    private static final ZoneId ZONE = ZoneId.of("America/Toronto");

    @TempDir
    Path dir;

    private EventFile.Contents write(String name, long seed) throws Exception {
        return EventFile.write(dir, name, 2, new ContractLines(AreaIndex.demoCity(), ZONE, seed),
                new EventFile.Settings(20_000, Instant.parse("2024-01-01T05:00:00Z"), Duration.ofDays(30), 0.01, 0.001));
    }

    @Test
    void theIngestPathCountsExactlyWhatTheGeneratorSaysTheFilesHold() throws Exception {
        EventFile.Contents contents = write("events", 5);
        assertEquals(20_000, contents.unique() + contents.duplicates() + contents.bad());
        assertEquals(List.of(10_000L, 10_000L), List.of(Files.lines(contents.files().get(0)).count(),
                Files.lines(contents.files().get(1)).count()));

        JavaLoopBaseline.Result r = JavaLoopBaseline.run(contents.files(), dir.resolve("loop.duckdb"),
                new BenchCity("demo-40", Boundaries.DEMO, AreaIndex.demoCity()), ZONE);

        assertEquals(contents.unique(), r.accepted());
        assertEquals(contents.duplicates(), r.duplicates());
        assertEquals(contents.bad(), r.deadLetters());
    }

    @Test
    void theSameSeedWritesTheSameBytes() throws Exception {
        EventFile.Contents a = write("a", 9);
        EventFile.Contents b = write("b", 9);
        for (int i = 0; i < 2; i++) {
            assertEquals(Files.readString(a.files().get(i)), Files.readString(b.files().get(i)));
        }
    }
}
