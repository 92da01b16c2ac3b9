package lookout.detect;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The watch list of high-potency adulterants. Entries match by substring of the lower-case substance name, so
 * "nitazene" covers isotonitazene, protonitazene, metonitazene and the rest of the class.
 */
public final class SubstanceWatch implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final List<String> DEFAULT = List.of("carfentanil", "nitazene", "medetomidine", "xylazine");
    /** Opioids far stronger than fentanyl: a finding raises the toxicity alert to critical. */
    public static final List<String> DEFAULT_CRITICAL = List.of("carfentanil", "nitazene");

    private final List<String> watch;
    private final List<String> critical;

    public SubstanceWatch(List<String> watch, List<String> critical) {
        this.watch = watch.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        this.critical = critical.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }

    public static SubstanceWatch defaults() {
        return new SubstanceWatch(DEFAULT, DEFAULT_CRITICAL);
    }

    /** The watch-list entry a substance belongs to, if any. */
    public Optional<String> match(String substance) {
        String s = substance.toLowerCase(Locale.ROOT);
        return watch.stream().filter(s::contains).findFirst();
    }

    public boolean critical(String substance) {
        String s = substance.toLowerCase(Locale.ROOT);
        return critical.stream().anyMatch(s::contains);
    }
}
