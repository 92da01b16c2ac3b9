package lookout.kernel;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What Lookout counts: the event sources of the contract and the signals derived from them. A signal's code
 * is its name everywhere outside Java: the contract's {@code source} field, the {@code signal} column of the
 * tables, Kafka topic names and the public tier's files.
 */
public enum Signal {
    PARAMEDIC("paramedic"),
    CORONER("coroner"),
    NALOXONE("naloxone"),
    DRUG_CHECKING("drug_checking"),
    /**
     * One overdose seen by a paramedic and by a naloxone program counted once. Derived by linking people, so it
     * stays restricted: beside paramedic and naloxone it would publish how many people were linked.
     */
    COMBINED("combined", PARAMEDIC, NALOXONE);

    private static final Signal[] ALL = values();
    private static final List<Signal> SOURCES = Arrays.stream(values()).filter(Signal::isSource).toList();

    private final String code;
    private final boolean source;
    private final List<Signal> countedFrom;

    /** @param countedFrom the sources a derived signal is counted from; none for a source */
    Signal(String code, Signal... countedFrom) {
        this.code = code;
        this.source = countedFrom.length == 0;
        this.countedFrom = source ? List.of(this) : List.of(countedFrom);
    }

    public String code() {
        return code;
    }

    /** True for the event streams of the contract; false for derived signals. */
    public boolean isSource() {
        return source;
    }

    /**
     * The sources whose events this signal counts: a source's own, a derived signal's those it is derived from. A
     * feed's silence leaves the counts of every signal counted from it incomplete.
     */
    public List<Signal> countedFrom() {
        return countedFrom;
    }

    /** True if events of the source {@code code} count towards this signal; a loop, no stream: it runs per event. */
    public boolean isCountedFrom(String code) {
        for (Signal s : countedFrom) {
            if (s.is(code)) {
                return true;
            }
        }
        return false;
    }

    /** True for the signals the public tier publishes: the sources, never a derived signal. */
    public boolean isPublic() {
        return source;
    }

    /** True if {@code code} is this signal's code. */
    public boolean is(String code) {
        return this.code.equals(code);
    }

    /** The sources, in contract order. */
    public static List<Signal> sources() {
        return SOURCES;
    }

    /** The signals the public tier publishes, in file order. */
    public static List<Signal> publicSignals() {
        return Arrays.stream(values()).filter(Signal::isPublic).toList();
    }

    /** The signal of {@code code}, empty if none (every alert sentence names its signal through this). */
    public static Optional<Signal> fromCode(String code) {
        return Optional.ofNullable(find(code));
    }

    /**
     * The signal of a code the job made itself, on a per-event path. An unknown code is a bug (the ingest makes
     * none), so it throws.
     */
    public static Signal ofCode(String code) {
        Signal s = find(code);
        if (s == null) {
            throw new IllegalArgumentException("not a signal: " + code);
        }
        return s;
    }

    /** A loop over the signals, no stream: both lookups run per event or per firing. Null if none has the code. */
    private static Signal find(String code) {
        for (Signal s : ALL) {
            if (s.is(code)) {
                return s;
            }
        }
        return null;
    }

    /** The signal a serializer or a key wrote as its {@link #ordinal()}, without copying {@code values()} each time. */
    public static Signal ofOrdinal(int ordinal) {
        return ALL[ordinal];
    }
}
