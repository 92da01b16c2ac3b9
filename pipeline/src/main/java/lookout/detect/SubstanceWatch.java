package lookout.detect;

import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import lookout.ingest.SubstanceVocabulary;

/**
 * The watch list of adulterants whose rising share of samples makes a toxicity alert ({@link SubstanceChange}), and
 * the always-notable ones ({@code critical}: a finding alone is notable and makes the alert critical). Entries are terms or families of the {@link SubstanceVocabulary}, so
 * the entry "nitazene" covers every nitazene the vocabulary knows (isotonitazene, protonitazepyne, ...) whether or
 * not its name contains the word, and free text ("other") never matches.
 */
public final class SubstanceWatch implements Serializable {
    private static final long serialVersionUID = 4L;

    public static final List<String> DEFAULT = List.of("carfentanil", "nitazene", "medetomidine", "xylazine");
    /** Opioids far stronger than fentanyl: a finding raises the toxicity alert to critical. */
    public static final List<String> DEFAULT_CRITICAL = List.of("carfentanil", "nitazene");

    private final List<String> watch;
    private final List<String> critical;
    private final SubstanceChange change;
    /**
     * Every vocabulary term's watch-list entry (absent for none) and whether it is critical, worked out once: the
     * judge and the combiner ask about every term of every sample, and working it out normalises the name anew.
     */
    private final Map<String, String> entryByTerm = new HashMap<>();
    private final Set<String> criticalTerms = new HashSet<>();

    public SubstanceWatch(List<String> watch, List<String> critical) {
        this(watch, critical, SubstanceChange.DEFAULT);
    }

    public SubstanceWatch(List<String> watch, List<String> critical, SubstanceChange change) {
        this.watch = known(watch);
        this.critical = known(critical);
        this.change = change;
        for (String term : SubstanceVocabulary.standard().terms()) {
            first(this.watch, term).ifPresent(entry -> entryByTerm.put(term, entry));
            if (first(this.critical, term).isPresent()) {
                criticalTerms.add(term);
            }
        }
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

    /** When a watch-list substance's share of samples counts as rising. */
    public SubstanceChange change() {
        return change;
    }

    /** The watch-list entry a substance (any known spelling of it) belongs to, if any. */
    public Optional<String> match(String substance) {
        if (SubstanceVocabulary.standard().isTerm(substance)) {
            return Optional.ofNullable(entryByTerm.get(substance));
        }
        return first(watch, substance);
    }

    /** Always notable (carfentanil, a nitazene by default): found at all, it counts, and the alert is critical. */
    public boolean critical(String substance) {
        if (SubstanceVocabulary.standard().isTerm(substance)) {
            return criticalTerms.contains(substance);
        }
        return first(critical, substance).isPresent();
    }

    private static Optional<String> first(List<String> entries, String substance) {
        SubstanceVocabulary vocabulary = SubstanceVocabulary.standard();
        String term = vocabulary.term(substance);
        String family = vocabulary.family(term);
        return entries.stream().filter(e -> e.equals(term) || e.equals(family)).findFirst();
    }
}
