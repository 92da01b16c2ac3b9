package lookout.kernel;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * A settings file in Java's properties form, as the job's and the notifier's configs read it: each known key once,
 * its value stripped; anything else stops with one line naming the file.
 */
public final class SettingsFile {
    private SettingsFile() {}

    /**
     * The file's keys and values in file order. {@code known} says which keys exist and {@code knownKeys} lists them
     * for the message naming one that does not. A key given twice stops, as a command line's option given twice
     * does: the last value winning silently, a setting fixed in one place was undone by an old line further down.
     */
    public static Map<String, String> read(Path file, Predicate<String> known, String knownKeys) {
        Map<String, String> values = new LinkedHashMap<>();
        // Properties.load puts each entry as it reads it, so a key given twice is seen here, in file order.
        Properties reader = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                String name = (String) key;
                if (!known.test(name)) {
                    throw new UsageException("config file " + file + ": unknown key '" + name + "' (known keys: "
                            + knownKeys + ")");
                }
                if (values.put(name, ((String) value).strip()) != null) {
                    throw new UsageException("config file " + file + ": " + name + " is given twice; give it once");
                }
                return null;
            }
        };
        try (Reader r = Files.newBufferedReader(file)) {
            reader.load(r);
        } catch (IOException e) {
            throw new UsageException("cannot read config file " + file + (Files.exists(file) ? "" : " (no such file)"));
        } catch (IllegalArgumentException e) {
            // Properties' own refusal: a backslash-u escape without four hex digits.
            throw new UsageException("config file " + file + " is not a properties file: " + e.getMessage());
        }
        return values;
    }
}
