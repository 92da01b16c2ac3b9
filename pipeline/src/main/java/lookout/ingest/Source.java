package lookout.ingest;

import java.util.Optional;

/** The four event streams Lookout ingests; each is also a signal in the aggregates. */
public enum Source {
    PARAMEDIC("paramedic"),
    CORONER("coroner"),
    NALOXONE("naloxone"),
    DRUG_CHECKING("drug_checking");

    private final String code;

    Source(String code) {
        this.code = code;
    }

    /** The contract's name for this source, as in the {@code source} field and the {@code signal} column. */
    public String code() {
        return code;
    }

    public static Optional<Source> fromCode(String code) {
        for (Source s : values()) {
            if (s.code.equals(code)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
