package lookout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.cli.UsageException;

class LookoutConfigTest {
    @TempDir
    Path dir;

    @Test
    void readmeDocumentsEveryKeyWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "README.md"));
        LookoutConfig.KEYS.forEach((key, doc) -> {
            String expected = doc[0].isEmpty() ? "| `" + key + "` | (none) |" : "| `" + key + "` | `" + doc[0] + "` |";
            assertTrue(readme.contains(expected), "README lacks " + expected);
        });
    }

    @Test
    void aFileOverridesOnlyWhatItNames() throws Exception {
        Path file = dir.resolve("lookout.properties");
        Files.writeString(file, "zone = Europe/Lisbon\ndedupe.horizon=P7D\n");
        LookoutConfig c = LookoutConfig.load(file);
        assertEquals(ZoneId.of("Europe/Lisbon"), c.zone());
        assertEquals(Duration.ofDays(7), c.dedupeHorizon());
        assertEquals(Duration.ofSeconds(10), c.checkpointInterval());
        assertEquals("lookout.paramedic", c.topic("paramedic"));
    }

    @Test
    void badFilesStopWithOneLineNamingTheProblem() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "zone=Mars/Olympus\n");
        assertEquals("config: zone = 'Mars/Olympus' is not a known time zone",
                assertThrows(UsageException.class, () -> LookoutConfig.load(file)).getMessage());
        Files.writeString(file, "checkpoint.interval=10s\n");
        assertEquals("config: checkpoint.interval = '10s' is not a valid ISO-8601 duration such as PT10S or P60D",
                assertThrows(UsageException.class, () -> LookoutConfig.load(file)).getMessage());
        Files.writeString(file, "kafka.boostrap=x\n");
        assertTrue(assertThrows(UsageException.class, () -> LookoutConfig.load(file)).getMessage()
                .startsWith("config file " + file + ": unknown key 'kafka.boostrap' (known keys: kafka.bootstrap,"));
        assertEquals("cannot read config file " + dir.resolve("none") + " (no such file)",
                assertThrows(UsageException.class, () -> LookoutConfig.load(dir.resolve("none"))).getMessage());
    }

    @Test
    void theIngestBoundsHaveSafeDefaultsAndRefuseNonsense() throws Exception {
        LookoutConfig d = LookoutConfig.defaults();
        assertEquals(java.time.Instant.parse("2000-01-01T00:00:00Z"), d.validationEarliest());
        assertEquals(1_000_000, d.maxRecordBytes());
        assertEquals(4096, d.with("ingest.max_record_bytes", "4096").maxRecordBytes());
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "validation.earliest=2000-01-01\n");
        assertEquals("config: validation.earliest = '2000-01-01' is not an ISO-8601 instant such as 2000-01-01T00:00:00Z",
                assertThrows(UsageException.class, () -> LookoutConfig.load(file)).getMessage());
        for (String bad : new String[] {"1MB", "0", "-1", "255", "67108865", "99999999999"}) {
            Files.writeString(file, "ingest.max_record_bytes=" + bad + "\n");
            assertEquals("config: ingest.max_record_bytes = '" + bad + "' must be a whole number of bytes from 256 to 67108864",
                    assertThrows(UsageException.class, () -> LookoutConfig.load(file)).getMessage());
        }
    }
}
