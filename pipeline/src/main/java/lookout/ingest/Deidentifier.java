package lookout.ingest;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.avro.specific.SpecificRecordBase;

import lookout.geo.AreaIndex;
import lookout.privacy.AgeBand;
import lookout.privacy.Pseudonymizer;
import lookout.schema.CoronerEvent;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.DetectedSubstance;
import lookout.schema.DrugCheckingEvent;
import lookout.schema.Location;
import lookout.schema.NaloxoneEvent;
import lookout.schema.ParamedicEvent;
import lookout.schema.Person;

/**
 * Turns a contract record into the allowlisted {@link DeidentifiedEvent}, validating as it goes. Names,
 * birth dates, health numbers, notes, exact coordinates and site ids are read here at most to derive an area,
 * an age band or a pseudonym, and go no further. Substance names leave only as terms of the
 * {@link SubstanceVocabulary}.
 */
public final class Deidentifier {
    private static final long MINUTE_MS = 60_000;
    private static final Set<String> PARAMEDIC_OUTCOMES = Set.of("transported", "treated_released", "refused", "deceased");
    private static final Set<String> CORONER_STATUSES = Set.of("preliminary", "confirmed");
    private static final Set<String> NALOXONE_OUTCOMES = Set.of("survived", "died", "unknown");
    private static final Set<String> CHECKING_METHODS = Set.of("ftir", "ms", "test_strip");

    private final AreaIndex areas;
    private final Pseudonymizer pseudonyms;
    private final TimeWindow window;

    public Deidentifier(AreaIndex areas, Pseudonymizer pseudonyms, TimeWindow window) {
        this.areas = areas;
        this.pseudonyms = pseudonyms;
        this.window = window;
    }

    public DeidentifiedEvent deidentify(SpecificRecordBase record) throws Rejection {
        Source source = Contract.sourceOf(record);
        String eventId = (String) record.get("event_id");
        if (eventId.isBlank()) {
            throw Rejection.missing("event_id", source);
        }
        OffsetDateTime occurred = timestamp(record, "occurred_at", source);
        OffsetDateTime reported = timestamp(record, "reported_at", source);
        window.check(occurred, reported, source);
        long occurredMillis = occurred.toInstant().toEpochMilli();
        long reportedMillis = reported.toInstant().toEpochMilli();
        DeidentifiedEvent.Builder event = DeidentifiedEvent.newBuilder()
                .setSignal(source.code())
                .setDedupeKey(pseudonyms.dedupeKey(source.code(), eventId))
                .setAreaId(area((Location) record.get("location"), (String) record.get("area_code"), source))
                .setOccurredMinute(occurredMillis - Math.floorMod(occurredMillis, MINUTE_MS))
                .setReportedMinute(reportedMillis - Math.floorMod(reportedMillis, MINUTE_MS));
        person((Person) record.get("person"), occurred.toLocalDate(), event);
        switch (source) {
            case PARAMEDIC -> paramedic((ParamedicEvent) record, event);
            case CORONER -> coroner((CoronerEvent) record, event);
            case NALOXONE -> naloxone((NaloxoneEvent) record, event);
            case DRUG_CHECKING -> drugChecking((DrugCheckingEvent) record, event);
        }
        return event.build();
    }

    private static OffsetDateTime timestamp(SpecificRecordBase record, String field, Source source) throws Rejection {
        try {
            return OffsetDateTime.parse((String) record.get(field), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new Rejection("unparseable_timestamp:" + field, source);
        }
    }

    private String area(Location location, String areaCode, Source source) throws Rejection {
        if (areaCode != null && areas.isKnown(areaCode)) {
            return areaCode;
        }
        if (location != null) {
            double lat = location.getLat();
            double lon = location.getLon();
            if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) {
                throw new Rejection("coordinates_out_of_range", source);
            }
            String area = areas.areaAt(lat, lon);
            if (area == null) {
                throw new Rejection("outside_all_areas", source);
            }
            return area;
        }
        if (areaCode != null) {
            throw new Rejection("unknown_area_code", source);
        }
        throw new Rejection("no_location", source);
    }

    private void person(Person person, LocalDate occurredOn, DeidentifiedEvent.Builder event) {
        if (person == null) {
            return;
        }
        String band = AgeBand.of(person.getAge());
        if (band == null && person.getDateOfBirth() != null) {
            band = AgeBand.of(parseDate(person.getDateOfBirth()), occurredOn);
        }
        event.setAgeBand(band);
        event.setPseudonym(pseudonyms.person(person.getHealthNumber(), person.getName(), person.getDateOfBirth()));
    }

    private static LocalDate parseDate(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void paramedic(ParamedicEvent r, DeidentifiedEvent.Builder event) throws Rejection {
        event.setOutcome(category(r.getOutcome(), PARAMEDIC_OUTCOMES, "outcome", Source.PARAMEDIC))
                .setDoses(doses(r.getNaloxoneDoses(), "naloxone_doses", Source.PARAMEDIC))
                .setSubstances(substances(r.getSuspectedSubstances()));
    }

    private static void coroner(CoronerEvent r, DeidentifiedEvent.Builder event) throws Rejection {
        event.setOutcome(category(r.getStatus(), CORONER_STATUSES, "status", Source.CORONER))
                .setSubstances(substances(r.getToxicology()));
    }

    private static void naloxone(NaloxoneEvent r, DeidentifiedEvent.Builder event) throws Rejection {
        event.setOutcome(category(r.getOutcome(), NALOXONE_OUTCOMES, "outcome", Source.NALOXONE))
                .setDoses(doses(r.getDoses(), "doses", Source.NALOXONE));
    }

    private static void drugChecking(DrugCheckingEvent r, DeidentifiedEvent.Builder event) throws Rejection {
        category(r.getMethod(), CHECKING_METHODS, "method", Source.DRUG_CHECKING);
        List<String> detected = new ArrayList<>(r.getDetected().size());
        for (DetectedSubstance d : r.getDetected()) {
            detected.add(d.getSubstance());
        }
        event.setSubstances(substances(detected));
        event.setExpectedSubstance(substance(r.getExpectedSubstance()));
    }

    /** Categories are checked against the contract so that free text can never ride along in one. */
    private static String category(String value, Set<String> allowed, String field, Source source) throws Rejection {
        if (value == null) {
            return null;
        }
        if (!allowed.contains(value)) {
            throw Rejection.invalidValue(field, source);
        }
        return value;
    }

    private static Integer doses(Integer doses, String field, Source source) throws Rejection {
        if (doses != null && doses < 0) {
            throw Rejection.invalidValue(field, source);
        }
        return doses;
    }

    /** Vocabulary terms only, each once, in the order first named; free text becomes "other". */
    private static List<String> substances(List<String> names) {
        Set<String> terms = new LinkedHashSet<>();
        for (String name : names) {
            String term = substance(name);
            if (term != null) {
                terms.add(term);
            }
        }
        return new ArrayList<>(terms);
    }

    private static String substance(String name) {
        return SubstanceVocabulary.standard().term(name);
    }
}
