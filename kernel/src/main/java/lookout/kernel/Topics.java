package lookout.kernel;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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

    /** Kafka refuses a longer topic name. */
    private static final int MAX_TOPIC_LENGTH = 249;
    /** The characters Kafka allows in a topic name. */
    private static final Pattern LEGAL_PREFIX = Pattern.compile("[a-zA-Z0-9._-]+");
    /** The rule of {@link #checkedPrefix}, for the config keys' descriptions. */
    private static final String PREFIX_RULE = "1 to %d letters, digits, '.', '_' or '-'";

    private Topics() {}

    /** The suffixes of the topics the job reads: one per source, named by its code, then {@link #UNROUTED}. */
    public static List<String> inputSuffixes() {
        return Stream.concat(Signal.sources().stream().map(Signal::code), Stream.of(UNROUTED)).toList();
    }

    /** The suffix of every topic a deployment needs: the inputs, then the dead letters, alerts and feed health. */
    public static List<String> suffixes() {
        return Stream.concat(inputSuffixes().stream(), Stream.of(DEAD_LETTERS, ALERTS, FEED_HEALTH)).toList();
    }

    /**
     * The longest prefix that leaves room for a dot and the longest suffix: with a longer one some topic could not
     * be created.
     */
    public static int maxPrefixLength() {
        return MAX_TOPIC_LENGTH - 1 - suffixes().stream().mapToInt(String::length).max().orElseThrow();
    }

    /** What a prefix may be, as the config keys' descriptions say it. */
    public static String prefixRule() {
        return PREFIX_RULE.formatted(maxPrefixLength());
    }

    /**
     * {@code prefix}, the value of the config key {@code key}, when every topic named with it is legal in Kafka;
     * otherwise one line naming the key. An illegal name surfaced only when the broker refused it, as an
     * unreachable broker or an exception.
     */
    public static String checkedPrefix(String key, String prefix) {
        if (prefix.length() > maxPrefixLength() || !LEGAL_PREFIX.matcher(prefix).matches()) {
            throw new UsageException("config: " + key + " = '" + prefix + "' must be " + PREFIX_RULE.formatted(
                    maxPrefixLength()) + " (Kafka's topic names)");
        }
        return prefix;
    }

    /** The topic {@code prefix.suffix}. */
    public static String name(String prefix, String suffix) {
        return prefix + "." + suffix;
    }
}
