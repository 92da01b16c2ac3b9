package lookout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import lookout.kernel.Signal;

class KafkaTopicsTest {
    private final LookoutConfig config = LookoutConfig.defaults().with("kafka.topic_prefix", "city");

    @Test
    void aDeploymentNeedsOneTopicPerSourceTheUnroutedTopicTheDeadLettersAndTheAlerts() {
        assertEquals(List.of("city.paramedic", "city.coroner", "city.naloxone", "city.drug_checking", "city.unrouted"),
                KafkaTopics.inputs(config));
        assertEquals(List.of("city.paramedic", "city.coroner", "city.naloxone", "city.drug_checking", "city.unrouted",
                "city.dead_letters", "city.alerts", "city.feed_health"), KafkaTopics.all(config));
        assertEquals("city.drug_checking", KafkaTopics.input(config, Signal.DRUG_CHECKING));
        assertEquals("city.unrouted", KafkaTopics.unrouted(config));
        assertEquals("city.dead_letters", KafkaTopics.deadLetters(config));
        assertEquals("city.alerts", KafkaTopics.alerts(config));
        assertEquals("city.feed_health", KafkaTopics.feedHealth(config));
    }

    @Test
    void aDerivedSignalHasNoInputTopic() {
        assertThrows(IllegalArgumentException.class, () -> KafkaTopics.input(config, Signal.COMBINED));
    }

    @Test
    void theConfigKeyDescribesTheTopics() {
        assertEquals("topics are PREFIX.paramedic, .coroner, .naloxone, .drug_checking, .unrouted, .dead_letters,"
                + " .alerts, .feed_health; PREFIX is 1 to 235 letters, digits, '.', '_' or '-'",
                LookoutConfig.KEYS.get("kafka.topic_prefix")[1]);
    }
}
