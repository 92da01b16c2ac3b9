package lookout.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The controlled vocabulary of substance names, and the only owner of it. Upstream systems type substances as
 * free text; ingest maps each value to a term of this vocabulary ({@link #term}) so that only terms reach state,
 * tables, alerts and messages. A value matches when it is, as a whole, one of a term's spellings, ignoring case,
 * accents, spaces and punctuation; anything else, including a known name with more text around it, becomes
 * {@link #OTHER}. Terms belong to at most one family (e.g. every nitazene to "nitazene"), which the watch list
 * uses to flag a whole class. The terms are listed in the resource {@value #RESOURCE}.
 */
public final class SubstanceVocabulary {
    /** The term of every name the vocabulary does not know. */
    public static final String OTHER = "other";
    /** The term of a source saying it does not know the substance. */
    public static final String UNKNOWN = "unknown";
    static final String RESOURCE = "substances.txt";
    /** Longer than any spelling: such a value is free text, whatever it holds, and is not normalised. */
    private static final int MAX_NAME_LENGTH = 100;
    /** A trailing salt form names the same substance: "cocaine HCl" is cocaine. */
    private static final Set<String> SALT_FORMS = Set.of("hcl", "hydrochloride", "citrate", "sulfate", "sulphate",
            "phosphate", "tartrate", "bitartrate", "hydrobromide", "hbr", "fumarate");
    private static final Pattern NOT_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private static final class Standard {
        static final SubstanceVocabulary INSTANCE = load();
    }

    private final Map<String, String> termBySpelling;
    private final Map<String, String> familyByTerm;
    private final Set<String> terms;
    private final Set<String> families;

    private SubstanceVocabulary(Map<String, String> termBySpelling, Map<String, String> familyByTerm,
            Set<String> terms) {
        this.termBySpelling = Map.copyOf(termBySpelling);
        this.familyByTerm = Map.copyOf(familyByTerm);
        this.terms = Collections.unmodifiableSet(terms);
        this.families = Set.copyOf(familyByTerm.values());
    }

    /** Lookout's vocabulary, from the resource {@value #RESOURCE}. */
    public static SubstanceVocabulary standard() {
        return Standard.INSTANCE;
    }

    private static SubstanceVocabulary load() {
        try (InputStream in = SubstanceVocabulary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("substance vocabulary " + RESOURCE + " is missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads lines of {@code term | family | spelling, spelling}; '#' starts a comment line. */
    static SubstanceVocabulary parse(String text, String label) {
        Map<String, String> termBySpelling = new HashMap<>();
        Map<String, String> familyByTerm = new HashMap<>();
        Set<String> terms = new LinkedHashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\|", -1);
            if (parts.length != 3 || parts[0].isBlank()) {
                throw new IllegalStateException(label + " line " + (i + 1) + ": expected term | family | spellings");
            }
            String term = parts[0].strip();
            String family = parts[1].strip();
            terms.add(term);
            if (!family.isEmpty()) {
                familyByTerm.put(term, family);
            }
            List<String> spellings = new ArrayList<>();
            spellings.add(term);
            for (String s : parts[2].split(",")) {
                if (!s.isBlank()) {
                    spellings.add(s.strip());
                }
            }
            for (String spelling : spellings) {
                String earlier = termBySpelling.putIfAbsent(key(List.of(tokens(spelling))), term);
                if (earlier != null) {
                    throw new IllegalStateException(label + " line " + (i + 1) + ": spelling \"" + spelling + "\" of "
                            + term + " is already a spelling of " + earlier);
                }
            }
        }
        terms.add(OTHER);
        return new SubstanceVocabulary(termBySpelling, familyByTerm, terms);
    }

    /**
     * The term for a substance name as a source wrote it: its term when the whole value is a known spelling,
     * {@link #OTHER} when it is not, and null when there is no name (absent, blank or only punctuation).
     */
    public String term(String name) {
        if (name == null) {
            return null;
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return OTHER;
        }
        String[] tokens = tokens(name);
        if (tokens.length == 0) {
            return null;
        }
        List<String> words = List.of(tokens);
        String term = termBySpelling.get(key(words));
        if (term == null && words.size() > 1 && SALT_FORMS.contains(words.get(words.size() - 1))) {
            term = termBySpelling.get(key(words.subList(0, words.size() - 1)));
        }
        return term == null ? OTHER : term;
    }

    /** The family a term belongs to (e.g. "nitazene" for isotonitazene), or null. */
    public String family(String term) {
        return term == null ? null : familyByTerm.get(term);
    }

    public boolean isTerm(String term) {
        return terms.contains(term);
    }

    /** Whether a watch list may name this: a term, or a family covering several. */
    public boolean isTermOrFamily(String name) {
        return name != null && (terms.contains(name) || families.contains(name));
    }

    /**
     * Whether a term names a particular substance: false for {@link #OTHER} and {@link #UNKNOWN}, which say what is
     * not known rather than what was found, and for anything that is not a term.
     */
    public boolean namesASubstance(String term) {
        return terms.contains(term) && !OTHER.equals(term) && !UNKNOWN.equals(term);
    }

    /** Every term, in the order of the resource, then {@link #OTHER}. */
    public Set<String> terms() {
        return terms;
    }

    /** Lower-case words of letters and digits, accents removed: what two spellings must share to be one. */
    private static String[] tokens(String name) {
        String plain = MARKS.matcher(Normalizer.normalize(name, Normalizer.Form.NFKD)).replaceAll("");
        String words = NOT_ALPHANUMERIC.matcher(plain.toLowerCase(Locale.ROOT)).replaceAll(" ").strip();
        return words.isEmpty() ? new String[0] : words.split(" ");
    }

    private static String key(List<String> words) {
        return String.join("", words);
    }
}
