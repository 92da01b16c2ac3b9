package lookout.ingest;

/**
 * Why a record cannot become an event. The reason is a fixed code naming at most a contract field, never an
 * input value, so it is safe to store, log and count.
 */
public final class Rejection extends Exception {
    private final String reason;
    private final Source source;

    public Rejection(String reason, Source source) {
        super(reason, null, false, false);
        this.reason = reason;
        this.source = source;
    }

    public String reason() {
        return reason;
    }

    /** The record's source when it could be read, else null. */
    public Source source() {
        return source;
    }

    public static Rejection missing(String field, Source source) {
        return new Rejection("missing_field:" + field, source);
    }

    public static Rejection wrongType(String field, Source source) {
        return new Rejection("wrong_type:" + field, source);
    }

    public static Rejection invalidValue(String field, Source source) {
        return new Rejection("invalid_value:" + field, source);
    }
}
