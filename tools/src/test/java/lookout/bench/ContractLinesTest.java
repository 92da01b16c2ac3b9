package lookout.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
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

    /**
     * What the lines hold, read back from the JSON: persons mostly in one report and never in more than three,
     * exactly the pairs and persons the generator says it wrote, every point inside its area and nearly all points
     * distinct, and every drug-checking site at one place under one id.
     */
    @Test
    void linesLookLikeACitysReportsAndTheGeneratorCountsThem() throws Exception {
        AreaIndex city = AreaIndex.demoCity();
        ContractLines lines = new ContractLines(city, ZoneId.of("America/Toronto"), 11);
        ObjectMapper json = new ObjectMapper();
        long start = Instant.parse("2024-01-01T05:00:00Z").toEpochMilli();
        Map<String, Integer> reportsByPerson = new HashMap<>();
        Map<String, List<JsonNode>> callsByPerson = new HashMap<>();
        Set<String> points = new HashSet<>();
        Map<String, Set<String>> placesBySite = new HashMap<>();
        long located = 0;
        long pairs = 0;
        for (int i = 0; i < 20_000; i++) {
            Source source = lines.drawSource();
            JsonNode e = json.readTree(lines.valid(source, start + i * 60_000L));
            JsonNode location = e.get("location");
            if (location != null) {
                assertEquals(lines.lastArea(), city.areaAt(location.get("lat").asDouble(), location.get("lon").asDouble()),
                        "inside its area: " + e);
            }
            if (source == Source.DRUG_CHECKING) {
                placesBySite.computeIfAbsent(e.get("site_id").asText(), k -> new HashSet<>()).add(location.toString());
                continue;
            }
            if (location != null && source == Source.PARAMEDIC) { // a paired naloxone report shares its call's point
                located++;
                points.add(location.toString());
            }
            JsonNode person = e.get("person");
            if (person == null) {
                continue;
            }
            String who = person.get("health_number").asText();
            reportsByPerson.merge(who, 1, Integer::sum);
            if (source == Source.PARAMEDIC) {
                callsByPerson.computeIfAbsent(who, k -> new ArrayList<>()).add(e);
            } else if (source == Source.NALOXONE) {
                long at = OffsetDateTime.parse(e.get("occurred_at").asText()).toInstant().toEpochMilli();
                boolean paired = callsByPerson.getOrDefault(who, List.of()).stream().anyMatch(c -> {
                    long callAt = OffsetDateTime.parse(c.get("occurred_at").asText()).toInstant().toEpochMilli();
                    return callAt <= at && at - callAt <= ContractLines.PAIR_WITHIN_MILLIS
                            && String.valueOf(c.get("location")).equals(String.valueOf(e.get("location")))
                            && String.valueOf(c.get("area_code")).equals(String.valueOf(e.get("area_code")));
                });
                pairs += paired ? 1 : 0;
            }
        }
        long[] byReports = new long[ContractLines.MAX_REPORTS_PER_PERSON + 2];
        reportsByPerson.values().forEach(n -> byReports[n]++);
        ContractLines.People people = lines.people();

        assertEquals(reportsByPerson.size(), people.persons());
        for (int k = 1; k < byReports.length; k++) {
            assertEquals(byReports[k], people.byReports()[k], "persons in " + k + " reports");
        }
        assertEquals(0, byReports[ContractLines.MAX_REPORTS_PER_PERSON + 1], "nobody in more than three reports");
        assertTrue(people.appearingOnce() > 0.6 * people.persons(), "most persons appear once: " + people);
        assertEquals(pairs, people.linkedPairs());
        assertTrue(pairs > 500, "a share of naloxone reports are given at a call: " + pairs);
        assertTrue(points.size() > 0.999 * located, points.size() + " distinct points of " + located + " calls");
        assertEquals(10, lines.siteCount(), "one site per 4 of the demo city's 40 areas");
        assertEquals(10, placesBySite.size());
        placesBySite.forEach((site, places) -> assertEquals(1, places.size(), site + " reports from one place"));
    }
}
