package lookout.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class TopicsTest {
    @Test
    void aDeploymentReadsOneTopicPerSourceAndTheUnroutedOneAndWritesTheRest() {
        assertEquals(List.of("paramedic", "coroner", "naloxone", "drug_checking", "unrouted"), Topics.inputSuffixes());
        assertEquals(List.of("paramedic", "coroner", "naloxone", "drug_checking", "unrouted", "dead_letters", "alerts",
                "feed_health"), Topics.suffixes());
    }

    /** An illegal prefix surfaced as an unreachable broker (run) or an InvalidTopicException (notify). */
    @Test
    void aPrefixIsLegalInEveryTopicNameOrRefusedInOneLineNamingTheKey() {
        assertEquals(235, Topics.maxPrefixLength(), "249 less a dot and drug_checking");
        String longest = "p".repeat(235);
        assertEquals(249, Topics.name(Topics.checkedPrefix("kafka.topic_prefix", longest), "drug_checking").length());
        assertEquals("city-2_a.b", Topics.checkedPrefix("kafka.topic_prefix", "city-2_a.b"));
        for (String bad : List.of("bad prefix!", "", "p".repeat(236), "städte", "a/b")) {
            assertEquals("config: kafka.topic_prefix = '" + bad + "' must be 1 to 235 letters, digits, '.', '_' or '-'"
                    + " (Kafka's topic names)", assertThrows(UsageException.class,
                            () -> Topics.checkedPrefix("kafka.topic_prefix", bad)).getMessage(), bad);
        }
    }
}
