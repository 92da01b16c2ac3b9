package lookout.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsFileTest {
    private static final Set<String> KNOWN = Set.of("zone", "kafka.bootstrap", "parallelism");

    @TempDir
    Path dir;

    private Map<String, String> read(String text) throws Exception {
        return SettingsFile.read(Files.writeString(dir.resolve("job.properties"), text), KNOWN::contains,
                "zone, kafka.bootstrap, parallelism");
    }

    private String refusal(String text) {
        return assertThrows(UsageException.class, () -> read(text)).getMessage();
    }

    @Test
    void valuesAreStrippedAndKeptInTheFilesOrder() throws Exception {
        Map<String, String> values = read("# a comment\nzone = America/Toronto  \nkafka.bootstrap:broker:9092\n");
        assertEquals(List.of("zone", "kafka.bootstrap"), List.copyOf(values.keySet()));
        assertEquals("America/Toronto", values.get("zone"));
        assertEquals("broker:9092", values.get("kafka.bootstrap"));
    }

    /** The last value won silently: a setting changed at the top of a file was undone by an old line further down. */
    @Test
    void aKeyGivenTwiceStopsWithOneLineNamingIt() {
        Path file = dir.resolve("job.properties");
        assertEquals("config file " + file + ": parallelism is given twice; give it once",
                refusal("parallelism=4\nzone=UTC\nparallelism = 2\n"));
        assertEquals("config file " + file + ": zone is given twice; give it once", refusal("zone=UTC\nzone=UTC\n"));
    }

    @Test
    void anUnknownKeyAMalformedEscapeOrAMissingFileIsOneLine() {
        Path file = dir.resolve("job.properties");
        assertEquals("config file " + file + ": unknown key 'zome' (known keys: zone, kafka.bootstrap, parallelism)",
                refusal("zone=UTC\nzome=UTC\n"));
        assertEquals("config file " + file + " is not a properties file: Malformed \\uxxxx encoding.",
                refusal("zone=\\u00zz\n"));
        Path none = dir.resolve("none.properties");
        assertEquals("cannot read config file " + none + " (no such file)", assertThrows(UsageException.class,
                () -> SettingsFile.read(none, KNOWN::contains, "")).getMessage());
    }
}
