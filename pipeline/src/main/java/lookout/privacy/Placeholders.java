package lookout.privacy;

import java.util.Set;

/**
 * The words forms and exports write where a value is not known ("N/A", "null", "unknown"): a value, however many
 * records carry it, that names no event, person or date, so it must not link or merge what it is written on.
 */
public final class Placeholders {
    private static final Set<String> WORDS = Set.of("null", "none", "nil", "n/a", "na", "nan", "undefined", "unknown",
            "unk", "-");
    private static final int LONGEST = WORDS.stream().mapToInt(String::length).max().orElseThrow();

    private Placeholders() {}

    /**
     * Whether {@code value}, without surrounding spaces and in any case, is one of those words. A longer value is
     * turned away before any comparison: this runs on every record's id in the first operator.
     */
    public static boolean isUnknownWord(String value) {
        String v = value.strip();
        if (v.length() > LONGEST) {
            return false;
        }
        for (String word : WORDS) {
            if (word.equalsIgnoreCase(v)) {
                return true;
            }
        }
        return false;
    }
}
