package lookout.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import lookout.geo.AreaIndex;
import lookout.ingest.Source;
import lookout.ingest.SubstanceVocabulary;
import lookout.testing.SubstanceNames;

class ContractLinesTest {
    /** Bench figures must measure the real path, so every substance the bench writes is a recognised one. */
    @Test
    void everySubstanceNameItWritesIsRecognised() throws Exception {
        ContractLines lines = new ContractLines(AreaIndex.demoCity(), ZoneId.of("America/Toronto"), 3);
        ObjectMapper json = new ObjectMapper();
        long t = Instant.parse("2024-01-01T05:00:00Z").toEpochMilli();
        Set<String> terms = new TreeSet<>();
        for (int i = 0; i < 200; i++) {
            for (Source source : Source.values()) {
                for (String name : SubstanceNames.of(json.readTree(lines.valid(source, t + i * 60_000L)))) {
                    terms.add(SubstanceVocabulary.standard().term(name));
                }
            }
        }
        assertEquals(Set.of("benzodiazepine", "bromazolam", "cocaine", "fentanyl", "methamphetamine", "opioid",
                "unknown", "xylazine"), terms);
    }
}
