package lookout.kernel;

/**
 * The Kafka topic names of a deployment, declared once for the job and for the services that read its topics
 * (the notifier): each is the configured prefix, a dot and a suffix. The input topics' suffixes are the sources'
 * codes ({@link Signal#code()}).
 */
public final class Topics {
    /** The input topic of records whose source could not be read; the job reads it beside the source topics. */
    public static final String UNROUTED = "unrouted";
    /** The restricted topic of refused records, kept whole. */
    public static final String DEAD_LETTERS = "dead_letters";
    /** Spike alert snapshots (Avro {@code lookout.schema.Alert}, keyed by spike id), as outreach receives them. */
    public static final String ALERTS = "alerts";
    /**
     * Feed-health episode snapshots (Avro {@code lookout.schema.FeedHealth}, keyed by episode id): a source that
     * went silent or bad, and its all-clear, for the operator channel.
     */
    public static final String FEED_HEALTH = "feed_health";

    private Topics() {}

    /** The topic {@code prefix.suffix}. */
    public static String name(String prefix, String suffix) {
        return prefix + "." + suffix;
    }
}
