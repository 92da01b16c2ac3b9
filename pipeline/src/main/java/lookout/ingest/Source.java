package lookout.ingest;

import java.util.Optional;

import lookout.kernel.Signal;

/**
 * The event streams Lookout ingests: the source subset of {@link Signal}, which owns their codes. A typed
 * source where only a source will do (a contract record, a dead letter's origin).
 */
public enum Source {
    PARAMEDIC(Signal.PARAMEDIC),
    CORONER(Signal.CORONER),
    NALOXONE(Signal.NALOXONE),
    DRUG_CHECKING(Signal.DRUG_CHECKING);

    private final Signal signal;

    Source(Signal signal) {
        this.signal = signal;
    }

    /** The signal this source is counted as. */
    public Signal signal() {
        return signal;
    }

    /** The contract's name for this source, as in the {@code source} field and the {@code signal} column. */
    public String code() {
        return signal.code();
    }

    public static Optional<Source> fromCode(String code) {
        for (Source s : values()) {
            if (s.signal.is(code)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
