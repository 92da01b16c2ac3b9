package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import lookout.kernel.Command;

/**
 * What the README tells a newcomer to type works as written: the Commands table gives each command the options it
 * takes.
 */
class ReadmeTest {
    private static final Pattern OPTION = Pattern.compile("--[a-z][a-z-]*");
    /** A row of the Commands table: its synopsis is the first cell's code span, `|` escaped as `\|` in Markdown. */
    private static final Pattern COMMAND_ROW = Pattern.compile("(?m)^\\| `(\\./lookout ([a-z-]+)[^`]*)` \\|(.*)$");

    static String readme() throws Exception {
        return Files.readString(Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "README.md"));
    }

    /** The text of README section {@code heading} (a "## " heading), up to the next one. */
    static String section(String readme, String heading) {
        int start = readme.indexOf("\n## " + heading + "\n");
        assertTrue(start >= 0, "README has no section " + heading);
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    static Set<String> options(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = OPTION.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    @Test
    void everyOptionOfEveryCommandIsInTheCommandsTableOrItsRowSaysWhereTheRestAre() throws Exception {
        Map<String, Command> commands = new TreeMap<>();
        ServiceLoader.load(Command.class).forEach(c -> commands.put(c.name(), c));
        Map<String, Set<String>> documented = new TreeMap<>();
        Set<String> deferring = new TreeSet<>();
        Matcher row = COMMAND_ROW.matcher(section(readme(), "Commands"));
        while (row.find()) {
            String name = row.group(2);
            assertNotNull(commands.get(name), "the README's Commands table has a row for no command: " + name);
            documented.computeIfAbsent(name, n -> new TreeSet<>()).addAll(options(row.group(1).replace("\\|", "|")));
            if (row.group(3).contains("`./lookout " + name + " --help`")) {
                deferring.add(name);
            }
        }
        commands.forEach((name, command) -> {
            assertTrue(documented.containsKey(name), "the README's Commands table has no row for " + name);
            // The synopsis: the usage up to its first blank line.
            Set<String> taken = options(command.usage().split("\n\n", 2)[0]);
            Set<String> unknown = new TreeSet<>(documented.get(name));
            unknown.removeAll(taken);
            assertEquals(Set.of(), unknown, "the README gives " + name + " options it does not take");
            if (!deferring.contains(name)) {
                Set<String> missing = new TreeSet<>(taken);
                missing.removeAll(documented.get(name));
                assertEquals(Set.of(), missing, "the README's row of " + name + " lacks options of its usage,"
                        + " nor says `./lookout " + name + " --help` has the rest");
            }
        });
    }
}
