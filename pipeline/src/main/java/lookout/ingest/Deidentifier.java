package lookout.ingest;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.specific.SpecificRecordBase;

import lookout.geo.AreaIndex;
import lookout.privacy.AgeBand;
import lookout.privacy.Placeholders;
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

    /** Known spellings seen, by how a source wrote them: the vocabulary's folding costs more than the rest of ingest. */
    private static final int MAX_CACHED_SPELLINGS = 4096;

    private final AreaIndex areas;
    private final Pseudonymizer pseudonyms;
    private final TimeWindow window;
    private final OffsetTimestamp occurred = new OffsetTimestamp();
    private final OffsetTimestamp reported = new OffsetTimestamp();
    /**
     * Only spellings the vocabulary knows are kept: anything else may be free text (a name, an address), which
     * must not outlive its record.
     */
    private final Map<String, String> termBySpelling = new HashMap<>();

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
        if (Placeholders.isUnknownWord(eventId) || eventId.strip().equals("0")) {
            // A feed that writes one of these for every record would have all its events counted as one.
            throw Rejection.invalidValue("event_id", source);
        }
        if (Utf8.hasLoneSurrogate(eventId)) {
            // Any encoding of it puts a "?" in: two different ids would be one event and its duplicate.
            throw Rejection.invalidValue("event_id", source);
        }
        timestamp(occurred, record, "occurred_at", source);
        timestamp(reported, record, "reported_at", source);
        window.check(occurred.instant(), reported.instant(), source);
        long occurredMillis = occurred.epochMillis();
        long reportedMillis = reported.epochMillis();
        DeidentifiedEvent.Builder event = DeidentifiedEvent.newBuilder()
                .setSignal(source.code())
                .setDedupeKey(pseudonyms.dedupeKey(source.code(), eventId))
                .setAreaId(area((Location) record.get("location"), (String) record.get("area_code"), source))
                .setOccurredMinute(occurredMillis - Math.floorMod(occurredMillis, MINUTE_MS))
                .setReportedMinute(reportedMillis - Math.floorMod(reportedMillis, MINUTE_MS));
        person((Person) record.get("person"), occurred, event);
        switch (source) {
            case PARAMEDIC -> paramedic((ParamedicEvent) record, event);
            case CORONER -> coroner((CoronerEvent) record, event);
            case NALOXONE -> naloxone((NaloxoneEvent) record, event);
            case DRUG_CHECKING -> drugChecking((DrugCheckingEvent) record, event);
        }
        return event.build();
    }

    private static void timestamp(OffsetTimestamp into, SpecificRecordBase record, String field, Source source)
            throws Rejection {
        if (!into.parse((String) record.get(field))) {
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

    private void person(Person person, OffsetTimestamp occurred, DeidentifiedEvent.Builder event) {
        if (person == null) {
            return;
        }
        String band = AgeBand.of(person.getAge());
        if (band == null && person.getDateOfBirth() != null) {
            band = AgeBand.of(parseDate(person.getDateOfBirth()), occurred.localDate());
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

    private void paramedic(ParamedicEvent r, DeidentifiedEvent.Builder event) throws Rejection {
        event.setOutcome(category(r.getOutcome(), PARAMEDIC_OUTCOMES, "outcome", Source.PARAMEDIC))
                .setDoses(doses(r.getNaloxoneDoses(), "naloxone_doses", Source.PARAMEDIC))
                .setSubstances(substances(r.getSuspectedSubstances()));
    }

    private void coroner(CoronerEvent r, DeidentifiedEvent.Builder event) throws Rejection {
        event.setOutcome(category(r.getStatus(), CORONER_STATUSES, "status", Source.CORONER))
                .setSubstances(substances(r.getToxicology()));
    }

    private static void naloxone(NaloxoneEvent r, DeidentifiedEvent.Builder event) throws Rejection {
        event.setOutcome(category(r.getOutcome(), NALOXONE_OUTCOMES, "outcome", Source.NALOXONE))
                .setDoses(doses(r.getDoses(), "doses", Source.NALOXONE));
    }

    private void drugChecking(DrugCheckingEvent r, DeidentifiedEvent.Builder event) throws Rejection {
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
    private List<String> substances(List<String> names) {
        Set<String> terms = new LinkedHashSet<>();
        for (String name : names) {
            String term = substance(name);
            if (term != null) {
                terms.add(term);
            }
        }
        return new ArrayList<>(terms);
    }

    private String substance(String name) {
        if (name == null) {
            return null;
        }
        String term = termBySpelling.get(name);
        if (term == null) {
            term = SubstanceVocabulary.standard().term(name);
            if (term != null && !SubstanceVocabulary.OTHER.equals(term) && termBySpelling.size() < MAX_CACHED_SPELLINGS) {
                termBySpelling.put(name, term);
            }
        }
        return term;
    }
}
