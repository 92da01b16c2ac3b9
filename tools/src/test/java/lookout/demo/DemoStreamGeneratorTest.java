package lookout.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import lookout.demo.DemoStreamGenerator.BadKind;
import lookout.demo.DemoStreamGenerator.CountKey;
import lookout.demo.DemoStreamGenerator.Settings;
import lookout.demo.DemoStreamGenerator.TimedLine;
import lookout.demo.DemoStreamGenerator.Truth;
import lookout.geo.PointSampler;
import lookout.ingest.Source;
import lookout.ingest.SubstanceVocabulary;
import lookout.testing.SubstanceNames;
import org.junit.jupiter.api.Test;

class DemoStreamGeneratorTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ZoneId ZONE = ZoneId.of("America/Toronto");
    private static final List<String> AREAS = IntStream.range(0, 8).mapToObj(i -> "A" + i).toList();
    private static final double LAT0 = 43.60;
    private static final double LON0 = -79.50;
    private static final double BOX = 0.01;
    /** Boxes with gaps between them, so a rounded coordinate still maps back to exactly one area. */
    private static final PointSampler BOXES = (areaId, random) -> {
        int i = Integer.parseInt(areaId.substring(1));
        return new double[] {LAT0 + 2 * BOX * i + random.nextDouble() * BOX, LON0 + random.nextDouble() * BOX};
    };
    private static final Instant START = ZonedDateTime.of(2026, 3, 2, 0, 0, 0, 0, ZONE).toInstant();

    private static Settings.Builder noisy() {
        return Settings.builder(AREAS, BOXES)
                .seed(7)
                .start(START)
                .days(5)
                .zone(ZONE)
                .ratePerDay(Source.PARAMEDIC, 3)
                .ratePerDay(Source.NALOXONE, 1.5)
                .ratePerDay(Source.CORONER, 0.4)
                .ratePerDay(Source.DRUG_CHECKING, 10)
                .duplicateFraction(0.05)
                .badFraction(0.05)
                .areaCodeShare(0.2)
                .spike("A3", START.plus(Duration.ofHours(2 * 24 + 20)), 6, 8);
    }

    @Test
    void sameSeedGivesIdenticalLinesAndOtherSeedDoesNot() {
        List<String> first = new DemoStreamGenerator(noisy().build()).generate();
        List<String> again = new DemoStreamGenerator(noisy().build()).generate();
        List<String> other = new DemoStreamGenerator(noisy().seed(8).build()).generate();
        assertEquals(first, again);
        assertNotEquals(first, other);
    }

    @Test
    void truthMatchesAnIndependentRecountOfTheLines() {
        DemoStreamGenerator generator = new DemoStreamGenerator(noisy().build());
        List<String> lines = generator.generate();
        Truth truth = generator.truth();

        Recount recount = new Recount();
        lines.forEach(recount::add);

        assertEquals(truth.lines(), lines.size());
        assertEquals(truth.hourly(), recount.hourly);
        assertEquals(truth.daily(), recount.daily);
        assertEquals(truth.validBySource(), recount.validBySource);
        assertEquals(truth.duplicates(), recount.duplicates);
        assertEquals(truth.badByKind(), recount.bad);
        assertEquals(lines.size(), truth.validEvents() + truth.duplicates() + truth.badRecords());
        // Every kind of breakage and every source actually occurs, so the comparison above covers them all.
        assertEquals(BadKind.values().length, truth.badByKind().size());
        assertEquals(Source.values().length, truth.validBySource().size());
        assertTrue(truth.duplicates() > 0);
        assertTrue(recount.areaCodeEvents > 0 && recount.locationEvents > recount.areaCodeEvents);
    }

    @Test
    void dailyTotalsAreTheSumOfHourlyTotals() {
        Truth truth = new DemoStreamGenerator(noisy().build()).truth();
        Map<CountKey, Integer> summed = new HashMap<>();
        truth.hourly().forEach((k, n) -> summed.merge(new CountKey(k.signal(), k.areaId(),
                k.start().atZone(ZONE).truncatedTo(ChronoUnit.DAYS).toInstant()), n, Integer::sum));
        assertEquals(truth.daily(), summed);
    }

    @Test
    void spikeRaisesParamedicAndNaloxoneCountsInItsAreaAndWindow() {
        Settings settings = noisy().build();
        Truth truth = new DemoStreamGenerator(settings).truth();
        Instant spikeStart = settings.spikes().get(0).start();
        Map<String, Integer> windowCounts = new HashMap<>();
        for (String area : AREAS) {
            int n = 0;
            for (int h = 0; h < 6; h++) {
                Instant hour = spikeStart.plus(Duration.ofHours(h));
                n += truth.hourly(Source.PARAMEDIC, area, hour) + truth.hourly(Source.NALOXONE, area, hour);
            }
            windowCounts.put(area, n);
        }
        double othersMean = AREAS.stream().filter(a -> !a.equals("A3")).mapToInt(windowCounts::get).average().orElseThrow();
        assertTrue(windowCounts.get("A3") >= 4 * othersMean,
                "spike area " + windowCounts.get("A3") + " vs mean of others " + othersMean);
    }

    /**
     * The demo must exercise the real detectors, so every name it writes is one the vocabulary recognises; two
     * spikes bring both adulterants.
     */
    @Test
    void everySubstanceNameItWritesIsRecognised() throws Exception {
        Settings settings = noisy().spike("A5", START.plus(Duration.ofHours(3 * 24 + 10)), 6, 8).build();
        Set<String> terms = new TreeSet<>();
        for (String line : new DemoStreamGenerator(settings).generate()) {
            JsonNode e = parseOrNull(line);
            if (e != null && e.isObject()) {
                for (String name : SubstanceNames.of(e)) {
                    terms.add(SubstanceVocabulary.standard().term(name));
                }
            }
        }
        assertEquals(Set.of("benzodiazepine", "bromazolam", "caffeine", "carfentanil", "cocaine", "fentanyl", "heroin",
                "methamphetamine", "opioid", "protonitazepyne", "unknown", "xylazine"), terms);
    }

    @Test
    void spikeIsHeraldedByAPotentAdulterantFindingAtItsStart() throws Exception {
        Settings settings = noisy().build();
        String spikeStart = DemoEventFactory.TIMESTAMP.format(settings.spikes().get(0).start().atZone(ZONE));
        int findings = 0;
        for (String line : new DemoStreamGenerator(settings).generate()) {
            JsonNode e = parseOrNull(line);
            if (e != null && "drug_checking".equals(e.path("source").asText())
                    && spikeStart.equals(e.path("occurred_at").asText())) {
                List<String> substances = new ArrayList<>();
                e.get("detected").forEach(d -> substances.add(d.get("substance").asText()));
                assertTrue(substances.contains("carfentanil"), substances.toString());
                findings++;
            }
        }
        assertTrue(findings >= 1);
    }

    @Test
    void coronerReportsArriveTwoToEightWeeksAfterTheDeath() throws Exception {
        int coroner = 0;
        for (String line : new DemoStreamGenerator(noisy().badFraction(0).build()).generate()) {
            JsonNode e = MAPPER.readTree(line);
            if (e.get("source").asText().equals("coroner")) {
                Instant occurred = OffsetDateTime.parse(e.get("occurred_at").asText()).toInstant();
                Instant reported = OffsetDateTime.parse(e.get("reported_at").asText()).toInstant();
                assertTrue(!reported.isBefore(occurred.plus(Duration.ofDays(14))), line);
                assertTrue(!reported.isAfter(occurred.plus(Duration.ofDays(56))), line);
                coroner++;
            }
        }
        assertTrue(coroner > 0);
    }

    @Test
    void duplicatesRepeatTheOriginalLineExactlyAndArriveLater() throws Exception {
        Map<String, TimedLine> firstById = new HashMap<>();
        int duplicates = 0;
        for (TimedLine t : new DemoStreamGenerator(noisy().badFraction(0).build()).timedLines()) {
            JsonNode e = MAPPER.readTree(t.line());
            String key = e.get("source").asText() + "/" + e.get("event_id").asText();
            TimedLine first = firstById.putIfAbsent(key, t);
            if (first != null) {
                assertEquals(first.line(), t.line());
                assertTrue(t.deliverAt().isAfter(first.deliverAt()));
                duplicates++;
            } else {
                assertEquals(OffsetDateTime.parse(e.get("reported_at").asText()).toInstant(), t.deliverAt());
            }
        }
        assertTrue(duplicates > 0);
    }

    @Test
    void linesAreInDeliveryOrder() {
        List<TimedLine> timed = new DemoStreamGenerator(noisy().build()).timedLines();
        for (int i = 1; i < timed.size(); i++) {
            assertTrue(!timed.get(i).deliverAt().isBefore(timed.get(i - 1).deliverAt()));
        }
    }

    @Test
    void samePersonAppearsInAParamedicCallAndANaloxoneReportWithinAnHour() throws Exception {
        Map<String, List<Instant>> paramedicByName = new HashMap<>();
        List<JsonNode> naloxone = new ArrayList<>();
        for (String line : new DemoStreamGenerator(noisy().badFraction(0).build()).generate()) {
            JsonNode e = MAPPER.readTree(line);
            JsonNode person = e.get("person");
            if (person == null) {
                continue;
            }
            assertTrue(person.get("name").asText().matches("Test Person \\d{4}"));
            assertTrue(person.get("health_number").asText().startsWith("TEST-"));
            switch (e.get("source").asText()) {
                case "paramedic" -> paramedicByName.computeIfAbsent(person.get("name").asText(), n -> new ArrayList<>())
                        .add(occurred(e));
                case "naloxone" -> naloxone.add(e);
                default -> { }
            }
        }
        long linked = naloxone.stream().filter(n -> paramedicByName.getOrDefault(n.get("person").get("name").asText(),
                        List.of()).stream().anyMatch(t -> Duration.between(occurred(n), t).abs().toMinutes() < 60))
                .count();
        assertTrue(linked >= 5, "linked naloxone reports: " + linked);
    }

    @Test
    void overdosesClusterAtNight() {
        Truth truth = new DemoStreamGenerator(noisy().days(28).spikes(List.of()).build()).truth();
        int night = 0;
        int morning = 0;
        for (var entry : truth.hourly().entrySet()) {
            if (entry.getKey().signal() != Source.PARAMEDIC) {
                continue;
            }
            int hour = entry.getKey().start().atZone(ZONE).getHour();
            night += hour < 3 ? entry.getValue() : 0;
            morning += hour >= 6 && hour < 9 ? entry.getValue() : 0;
        }
        assertTrue(night > 2 * morning, "night " + night + ", morning " + morning);
    }

    @Test
    void rejectsSpikeInUnknownArea() {
        assertThrows(IllegalArgumentException.class,
                () -> Settings.builder(AREAS, BOXES).spike("Z9", START, 2, 3).build());
    }

    private static Instant occurred(JsonNode e) {
        return OffsetDateTime.parse(e.get("occurred_at").asText()).toInstant();
    }

    private static JsonNode parseOrNull(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Classifies lines the way the contract defines validity, independently of the generator's bookkeeping. */
    private static final class Recount {
        final Map<CountKey, Integer> hourly = new HashMap<>();
        final Map<CountKey, Integer> daily = new HashMap<>();
        final Map<Source, Integer> validBySource = new EnumMap<>(Source.class);
        final Map<BadKind, Integer> bad = new EnumMap<>(BadKind.class);
        final Map<String, String> seen = new HashMap<>();
        int duplicates;
        int areaCodeEvents;
        int locationEvents;

        void add(String line) {
            JsonNode e = parseOrNull(line);
            if (e == null || !e.isObject()) {
                bad.merge(BadKind.NOT_JSON, 1, Integer::sum);
                return;
            }
            var source = Source.fromCode(e.path("source").asText());
            if (source.isEmpty()) {
                bad.merge(BadKind.UNKNOWN_SOURCE, 1, Integer::sum);
                return;
            }
            if (!e.hasNonNull("event_id") || e.get("event_id").asText().isBlank()) {
                bad.merge(BadKind.MISSING_EVENT_ID, 1, Integer::sum);
                return;
            }
            Instant occurred;
            try {
                occurred = OffsetDateTime.parse(e.path("occurred_at").asText()).toInstant();
                OffsetDateTime.parse(e.path("reported_at").asText());
            } catch (DateTimeParseException ex) {
                bad.merge(BadKind.BAD_TIMESTAMP, 1, Integer::sum);
                return;
            }
            String area;
            if (e.has("location")) {
                double lat = e.get("location").get("lat").asDouble();
                double lon = e.get("location").get("lon").asDouble();
                if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
                    bad.merge(BadKind.COORDINATES_OUT_OF_RANGE, 1, Integer::sum);
                    return;
                }
                area = "A" + (int) Math.floor((lat - LAT0) / (2 * BOX));
                locationEvents++;
            } else {
                area = e.get("area_code").asText();
                areaCodeEvents++;
            }
            String id = source.get().code() + "/" + e.get("event_id").asText();
            String first = seen.putIfAbsent(id, line);
            if (first != null) {
                assertEquals(first, line);
                duplicates++;
                return;
            }
            validBySource.merge(source.get(), 1, Integer::sum);
            ZonedDateTime local = occurred.atZone(ZONE);
            hourly.merge(new CountKey(source.get(), area, local.truncatedTo(ChronoUnit.HOURS).toInstant()), 1, Integer::sum);
            daily.merge(new CountKey(source.get(), area, local.truncatedTo(ChronoUnit.DAYS).toInstant()), 1, Integer::sum);
        }
    }
}
