package lookout.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class OptionsTest {
    private static Options parse(String... args) {
        return Options.parse("backfill", List.of(args), Set.of("input", "db"), Set.of("force"));
    }

    @Test
    void valuesAndFlagsAreReadOnceEach() {
        Options o = parse("--input", "a.ndjson", "--force", "--db", "x.duckdb");
        assertEquals("a.ndjson", o.get("input"));
        assertEquals("x.duckdb", o.get("db"));
        assertTrue(o.has("force"));
    }

    /** Taking the last of two would drop the first input without a word; an empty path is the working directory. */
    @Test
    void anOptionGivenTwiceOrEmptyStopsWithOneLine() {
        assertEquals("--input is given twice; give it once (see ./lookout backfill --help)",
                assertThrows(UsageException.class,
                        () -> parse("--input", "a.ndjson", "--input", "b.ndjson", "--db", "x.duckdb")).getMessage());
        assertEquals("--force is given twice; give it once (see ./lookout backfill --help)",
                assertThrows(UsageException.class, () -> parse("--force", "--force")).getMessage());
        assertEquals("--db needs a value", assertThrows(UsageException.class,
                () -> parse("--input", "a.ndjson", "--db", "")).getMessage());
        assertEquals("unknown option --inputs (see ./lookout backfill --help)",
                assertThrows(UsageException.class, () -> parse("--inputs", "a")).getMessage());
    }
}
