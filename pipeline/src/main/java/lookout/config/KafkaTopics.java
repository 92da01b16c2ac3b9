package lookout.config;

import java.util.List;

import lookout.kernel.Signal;
import lookout.kernel.Topics;

/**
 * The Kafka topics of the job's configuration. Each is the configured prefix, a dot and a suffix
 * ({@link LookoutConfig#topic}): one input topic per source, named by its code; {@code unrouted} for records whose
 * source could not be read; the restricted {@code dead_letters}; {@code alerts}; and {@code feed_health}. The
 * suffixes and the naming rule are declared in the kernel ({@link Topics}), which services that read the topics
 * without the pipeline, like the notifier, share.
 */
public final class KafkaTopics {
    /** The input topic of records whose source could not be read; the job reads it beside the source topics. */
    public static final String UNROUTED = Topics.UNROUTED;
    /** The restricted topic of refused records, kept whole. */
    public static final String DEAD_LETTERS = Topics.DEAD_LETTERS;
    /** Spike alert snapshots, as outreach receives them. */
    public static final String ALERTS = Topics.ALERTS;
    /** Feed-health episodes, for the operator channel. */
    public static final String FEED_HEALTH = Topics.FEED_HEALTH;

    private KafkaTopics() {}

    /** The input topic of one source. */
    public static String input(LookoutConfig config, Signal source) {
        if (!source.isSource()) {
            throw new IllegalArgumentException(source.code() + " is derived and has no input topic");
        }
        return config.topic(source.code());
    }

    public static String unrouted(LookoutConfig config) {
        return config.topic(UNROUTED);
    }

    public static String deadLetters(LookoutConfig config) {
        return config.topic(DEAD_LETTERS);
    }

    public static String alerts(LookoutConfig config) {
        return config.topic(ALERTS);
    }

    public static String feedHealth(LookoutConfig config) {
        return config.topic(FEED_HEALTH);
    }

    /** The topics the job reads ({@link Topics#inputSuffixes}): one per source, then the unrouted topic. */
    public static List<String> inputs(LookoutConfig config) {
        return Topics.inputSuffixes().stream().map(config::topic).toList();
    }

    /**
     * Every topic a deployment needs ({@link Topics#suffixes}): the inputs, then the dead letters, the alerts and the
     * feed health.
     */
    public static List<String> all(LookoutConfig config) {
        return Topics.suffixes().stream().map(config::topic).toList();
    }

    /** The topics as the config key's description gives them. */
    static String described() {
        return "topics are PREFIX." + String.join(", .", Topics.suffixes()) + "; PREFIX is " + Topics.prefixRule();
    }
}
