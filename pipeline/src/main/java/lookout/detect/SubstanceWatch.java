package lookout.detect;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

import lookout.ingest.SubstanceVocabulary;

/**
 * The watch list of high-potency adulterants. Entries are terms or families of the {@link SubstanceVocabulary}, so
 * the entry "nitazene" covers every nitazene the vocabulary knows (isotonitazene, protonitazepyne, ...) whether or
 * not its name contains the word, and free text ("other") never matches.
 */
public final class SubstanceWatch implements Serializable {
    private static final long serialVersionUID = 2L;

    public static final List<String> DEFAULT = List.of("carfentanil", "nitazene", "medetomidine", "xylazine");
    /** Opioids far stronger than fentanyl: a finding raises the toxicity alert to critical. */
    public static final List<String> DEFAULT_CRITICAL = List.of("carfentanil", "nitazene");

    private final List<String> watch;
    private final List<String> critical;

    public SubstanceWatch(List<String> watch, List<String> critical) {
        this.watch = known(watch);
        this.critical = known(critical);
    }

    private static List<String> known(List<String> entries) {
        SubstanceVocabulary vocabulary = SubstanceVocabulary.standard();
        for (String entry : entries) {
            if (!vocabulary.isTermOrFamily(entry)) {
                throw new IllegalArgumentException("watch list entry \"" + entry
                        + "\" is neither a substance term nor a family of the vocabulary");
            }
        }
        return List.copyOf(entries);
    }

    public static SubstanceWatch defaults() {
        return new SubstanceWatch(DEFAULT, DEFAULT_CRITICAL);
    }

    /** The watch-list entry a substance (any known spelling of it) belongs to, if any. */
    public Optional<String> match(String substance) {
        return first(watch, substance);
    }

    public boolean critical(String substance) {
        return first(critical, substance).isPresent();
    }

    private static Optional<String> first(List<String> entries, String substance) {
        SubstanceVocabulary vocabulary = SubstanceVocabulary.standard();
        String term = vocabulary.term(substance);
        String family = vocabulary.family(term);
        return entries.stream().filter(e -> e.equals(term) || e.equals(family)).findFirst();
    }
}
