package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.Command;
import lookout.kernel.Main;
import lookout.testing.Db;

/**
 * What the README tells a newcomer to type works as written: the Commands table gives each command the options it
 * takes, and the contract's example lines are events a backfill counts.
 */
@Timeout(120)
class ReadmeTest {
    private static final Pattern OPTION = Pattern.compile("--[a-z][a-z-]*");
    /** A row of the Commands table: its synopsis is the first cell's code span, `|` escaped as `\|` in Markdown. */
    private static final Pattern COMMAND_ROW = Pattern.compile("(?m)^\\| `(\\./lookout ([a-z-]+)[^`]*)` \\|(.*)$");

    @TempDir
    Path dir;

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

    @Test
    void theContractsExampleLinesAreEachCountedOnceByABackfill() throws Exception {
        String contract = section(readme(), "The event contract");
        int block = contract.indexOf("```json\n");
        assertTrue(block >= 0, "the event contract has an example block");
        String lines = contract.substring(block + "```json\n".length(), contract.indexOf("```", block + 1));
        assertEquals(4, lines.lines().count(), lines);
        Path input = Files.writeString(dir.resolve("events.ndjson"), lines);
        Path db = dir.resolve("events.duckdb");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"backfill", "--input", input.toString(), "--db", db.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String summary = out.toString(StandardCharsets.UTF_8);
        assertEquals(String.format("backfill: 1 input file(s) -> %s%n  read                   4%n"
                + "  accepted               4%n  duplicates             0%n  dead letters           0%n"
                + "  empty lines            0%n", db), summary);
        assertEquals(List.of("coroner|D12|1", "drug_checking|D12|1", "naloxone|D20|1", "paramedic|D12|1"),
                Db.query(db, "SELECT signal, area_id, count FROM area_counts WHERE granularity = 'day'"
                        + " AND signal <> 'combined' ORDER BY signal"));
    }
}
