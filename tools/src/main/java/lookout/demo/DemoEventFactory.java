package lookout.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lookout.geo.PointSampler;
import lookout.ingest.Source;

/** Builds valid contract events with realistic field values; all randomness comes from the caller's generator. */
final class DemoEventFactory {
    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");
    static final Duration CORONER_MIN_DELAY = Duration.ofDays(14);
    static final Duration CORONER_MAX_DELAY = Duration.ofDays(56);
    private static final int NALOXONE_SITES = 12;
    private static final Map<Source, String> ID_PREFIX = new EnumMap<>(Map.of(
            Source.PARAMEDIC, "EMS-", Source.CORONER, "CC-", Source.NALOXONE, "NX-", Source.DRUG_CHECKING, "DC-"));
    private static final String[] NOTES = {
        "Found unresponsive in washroom, bystander called 911",
        "Known to crew as %s, friend on scene",
        "Callback number 555-01%02d left with dispatch",
        "Used alone, neighbour heard fall",
        "Bystander gave nasal naloxone before arrival",
    };

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final ZoneId zone;
    private final PointSampler sampler;
    private final double areaCodeShare;
    private final SplittableRandom random;
    private final Map<Source, Integer> nextId = new EnumMap<>(Source.class);

    DemoEventFactory(ZoneId zone, PointSampler sampler, double areaCodeShare, SplittableRandom random) {
        this.zone = zone;
        this.sampler = sampler;
        this.areaCodeShare = areaCodeShare;
        this.random = random;
    }

    /** Ids look like an upstream system's own record numbers; bad records draw from the same sequence. */
    String nextEventId(Source source) {
        int n = nextId.merge(source, 1, Integer::sum);
        return ID_PREFIX.get(source) + String.format("%07d", n);
    }

    String timestamp(Instant instant) {
        return TIMESTAMP.format(instant.atZone(zone));
    }

    /** A position in the area, rounded as a GPS-equipped device would report it. */
    double[] pointIn(String areaId) {
        double[] p = sampler.pointIn(areaId, random);
        return new double[] {round6(p[0]), round6(p[1])};
    }

    Instant reportedAt(Source source, Instant occurredAt) {
        return switch (source) {
            case PARAMEDIC -> occurredAt.plusSeconds(random.nextLong(5 * 60, 90 * 60));
            case NALOXONE -> occurredAt.plusSeconds(random.nextLong(30 * 60, 72 * 3600));
            case CORONER -> occurredAt.plusSeconds(
                    random.nextLong(CORONER_MIN_DELAY.toSeconds(), CORONER_MAX_DELAY.toSeconds() + 1));
            case DRUG_CHECKING -> occurredAt.plusSeconds(random.nextLong(10 * 60, 120 * 60));
        };
    }

    ObjectNode paramedic(String areaId, Instant occurredAt, Instant reportedAt, double[] place,
            FakePeople.Person person, boolean inSpike) {
        ObjectNode e = common(Source.PARAMEDIC, occurredAt, reportedAt, areaId, place, person);
        int doses = random.nextInt(0, 4) + (inSpike ? 2 : 0);
        e.put("naloxone_doses", doses);
        e.put("outcome", weighted(new String[] {"transported", "treated_released", "refused", "deceased"},
                new double[] {0.55, 0.25, 0.15, 0.05}));
        e.set("suspected_substances", strings(oneOf(List.of(
                List.of("opioid"), List.of("fentanyl"), List.of("fentanyl", "methamphetamine"),
                List.of("unknown"), List.of("opioid", "benzodiazepine")))));
        notes(e, person, 0.3);
        return e;
    }

    ObjectNode naloxone(String areaId, Instant occurredAt, Instant reportedAt, double[] place,
            FakePeople.Person person) {
        ObjectNode e = common(Source.NALOXONE, occurredAt, reportedAt, areaId, place, person);
        e.put("site_id", String.format("NX-SITE-%02d", random.nextInt(1, NALOXONE_SITES + 1)));
        e.put("doses", random.nextInt(1, 5));
        e.put("outcome", weighted(new String[] {"survived", "died", "unknown"}, new double[] {0.85, 0.03, 0.12}));
        notes(e, person, 0.1);
        return e;
    }

    ObjectNode coroner(String areaId, Instant occurredAt, Instant reportedAt, FakePeople.Person person) {
        ObjectNode e = common(Source.CORONER, occurredAt, reportedAt, areaId, null, person);
        e.put("status", random.nextDouble() < 0.7 ? "confirmed" : "preliminary");
        e.set("toxicology", strings(oneOf(List.of(
                List.of("fentanyl"), List.of("fentanyl", "xylazine"), List.of("fentanyl", "bromazolam"),
                List.of("fentanyl", "methamphetamine", "cocaine"), List.of("carfentanil")))));
        e.put("manner", weighted(new String[] {"accident", "undetermined", "suicide"}, new double[] {0.85, 0.12, 0.03}));
        notes(e, person, 0.2);
        return e;
    }

    ObjectNode drugChecking(CheckingSite site, Instant occurredAt, Instant reportedAt) {
        ObjectNode e = common(Source.DRUG_CHECKING, occurredAt, reportedAt, site.areaId(), site.location(), null);
        e.put("site_id", site.siteId());
        String method = weighted(new String[] {"ftir", "ms", "test_strip"}, new double[] {0.6, 0.1, 0.3});
        String expected = weighted(new String[] {"fentanyl", "methamphetamine", "cocaine", "heroin"},
                new double[] {0.55, 0.2, 0.15, 0.1});
        e.put("expected_substance", expected);
        ArrayNode detected = e.putArray("detected");
        if (method.equals("test_strip")) {
            // A fentanyl strip only says whether fentanyl is present, never how much.
            if (expected.equals("fentanyl") || expected.equals("heroin") || random.nextDouble() < 0.1) {
                detected.addObject().put("substance", "fentanyl");
            }
        } else {
            switch (expected) {
                case "fentanyl", "heroin" -> {
                    finding(detected, "fentanyl", 2, 30);
                    if (random.nextDouble() < 0.4) {
                        finding(detected, "xylazine", 1, 20);
                    }
                    if (random.nextDouble() < 0.2) {
                        finding(detected, "bromazolam", 0.5, 10);
                    }
                    finding(detected, "caffeine", 5, 40);
                }
                case "methamphetamine" -> finding(detected, "methamphetamine", 70, 99);
                default -> {
                    finding(detected, "cocaine", 40, 95);
                    if (random.nextDouble() < 0.05) {
                        finding(detected, "fentanyl", 0.5, 5);
                    }
                }
            }
        }
        e.put("method", method);
        return e;
    }

    /** The finding that heralds a spike: a sample sold as fentanyl that carries a far more potent opioid. */
    ObjectNode adulterantFinding(CheckingSite site, Instant occurredAt, Instant reportedAt, String adulterant) {
        ObjectNode e = common(Source.DRUG_CHECKING, occurredAt, reportedAt, site.areaId(), site.location(), null);
        e.put("site_id", site.siteId());
        e.put("expected_substance", "fentanyl");
        ArrayNode detected = e.putArray("detected");
        finding(detected, "fentanyl", 3, 15);
        finding(detected, adulterant, 0.1, 0.8);
        e.put("method", "ms");
        return e;
    }

    private ObjectNode common(Source source, Instant occurredAt, Instant reportedAt, String areaId, double[] place,
            FakePeople.Person person) {
        ObjectNode e = json.objectNode();
        e.put("event_id", nextEventId(source));
        e.put("source", source.code());
        e.put("occurred_at", timestamp(occurredAt));
        e.put("reported_at", timestamp(reportedAt));
        if (place == null && source != Source.DRUG_CHECKING && random.nextDouble() < areaCodeShare) {
            e.put("area_code", areaId);
        } else {
            double[] p = place != null ? place : pointIn(areaId);
            e.putObject("location").put("lat", p[0]).put("lon", p[1]);
        }
        if (person != null) {
            ObjectNode pn = e.putObject("person");
            pn.put("name", person.name());
            pn.put("date_of_birth", person.dateOfBirth().toString());
            pn.put("health_number", person.healthNumber());
            pn.put("sex", person.sex());
            pn.put("age", person.ageOn(occurredAt.atZone(zone).toLocalDate()));
        }
        return e;
    }

    private void notes(ObjectNode e, FakePeople.Person person, double probability) {
        if (random.nextDouble() >= probability) {
            return;
        }
        String template = NOTES[random.nextInt(NOTES.length)];
        String note = template.contains("%s")
                ? String.format(template, person != null ? person.name() : FakePeople.pick(random).name())
                : template.contains("%02d") ? String.format(template, random.nextInt(100)) : template;
        e.put("notes", note);
    }

    private void finding(ArrayNode detected, String substance, double minPct, double maxPct) {
        double pct = Math.round(random.nextDouble(minPct, maxPct) * 10) / 10.0;
        detected.addObject().put("substance", substance).put("concentration_pct", pct);
    }

    private ArrayNode strings(List<String> values) {
        ArrayNode array = json.arrayNode();
        values.forEach(array::add);
        return array;
    }

    private <T> T oneOf(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private String weighted(String[] values, double[] weights) {
        double u = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < values.length - 1; i++) {
            cumulative += weights[i];
            if (u < cumulative) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    private static double round6(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    /** A fixed drug-checking service location; its events carry the site's own coordinates. */
    record CheckingSite(String siteId, String areaId, double[] location) {}
}
