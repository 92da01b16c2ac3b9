package lookout.bench;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import lookout.geo.Area;
import lookout.geo.AreaIndex;
import lookout.ingest.Source;

/**
 * Builds NDJSON lines of the input contract fast enough to write millions, shaped like a city's reports:
 * <ul>
 * <li>places: areas are busier or quieter (seeded weights, a few times apart), and every point is sampled afresh
 * inside its area's polygon;</li>
 * <li>people: most persons appear in one report; a minority come back ({@link #REPEAT}, at most
 * {@link #MAX_REPORTS_PER_PERSON} reports each), and a share of naloxone reports ({@link #PAIRED}) are the
 * naloxone given at a paramedic call of the last 90 minutes: same person, same place, what the linker joins;</li>
 * <li>drug checking: dozens of fixed sites (one per {@link #AREAS_PER_SITE} areas, at least 3, at most 60), each
 * result at its site's location under its site's id.</li>
 * </ul>
 * Every line is valid unless a {@link Break} is asked for. {@link #people()} says how the persons of the valid
 * lines came out. Not thread-safe.
 */
public final class ContractLines {
    /** How a deliberately bad record is broken; each maps to one dead-letter reason. */
    public enum Break { NOT_JSON, UNKNOWN_SOURCE, MISSING_EVENT_ID, BAD_TIMESTAMP, COORDINATES_OUT_OF_RANGE }

    /** Persons of the valid lines: {@code byReports[k]} persons appear in exactly k reports (k ≥ 1). */
    public record People(long persons, long[] byReports, long linkedPairs) {
        public long appearingOnce() {
            return byReports[1];
        }
    }

    /** The share of person-carrying reports (not paired) that are a returning person's. */
    static final double REPEAT = 0.10;
    /** The share of person-carrying naloxone reports given at a recent paramedic call, when one is waiting. */
    static final double PAIRED = 0.4;
    static final int MAX_REPORTS_PER_PERSON = 3;
    /** A paired naloxone report follows its call by at most this much, within the linker's default 2 h window. */
    static final long PAIR_WITHIN_MILLIS = 90 * 60_000L;
    static final int AREAS_PER_SITE = 4;
    private static final int MIN_SITES = 3;
    private static final int MAX_SITES = 60;
    /** Returning persons are drawn from the most recent this-many. */
    private static final int RECENT_PEOPLE = 4096;
    /** Calls a naloxone report may be paired with: the most recent this-many paramedic calls with a person. */
    private static final int RECENT_CALLS = 64;
    private static final String[] PARAMEDIC_OUTCOMES = {"transported", "transported", "treated_released", "refused", "deceased"};
    private static final String[] SUBSTANCES = {"[\"opioid\"]", "[\"fentanyl\"]", "[\"fentanyl\",\"methamphetamine\"]",
        "[\"unknown\"]", "[\"opioid\",\"benzodiazepine\"]"};
    private static final String[] TOXICOLOGY = {"[\"fentanyl\"]", "[\"fentanyl\",\"xylazine\"]",
        "[\"fentanyl\",\"bromazolam\"]", "[\"fentanyl\",\"methamphetamine\",\"cocaine\"]"};
    private static final String[] NALOXONE_OUTCOMES = {"survived", "survived", "survived", "survived", "unknown", "died"};
    private static final String[] METHODS = {"ftir", "ftir", "ms", "test_strip"};
    private static final String[] NOTES = {"Found unresponsive in washroom, bystander called 911",
        "Used alone, neighbour heard fall", "Bystander gave nasal naloxone before arrival"};
    private static final LocalDate OLDEST_BIRTH = LocalDate.of(1950, 1, 1);

    /** A person as the contract writes them, up to the age (which depends on the report's year). */
    private static final class Person {
        final long number;
        final String jsonUpToAge;
        final int birthYear;
        int reports;

        Person(long number) {
            this.number = number;
            LocalDate dob = OLDEST_BIRTH.plusDays((number * 7919L) % 20_000);
            this.birthYear = dob.getYear();
            this.jsonUpToAge = "{\"name\":\"Test Person " + number + "\",\"date_of_birth\":\"" + dob
                    + "\",\"health_number\":\"TEST-" + number + "-HN\",\"sex\":\"" + (number % 3 == 0 ? "F" : "M")
                    + "\",\"age\":";
        }
    }

    /** A paramedic call with a person that a naloxone report may still be paired with. */
    private record Call(long occurredMillis, Person person, int area, String place) {}

    private final SplittableRandom random;
    private final AreaIndex city;
    private final List<String> areaIds = new ArrayList<>();
    private final double[] cumulativeWeight;
    private final String[] sites;
    private final String[] siteAreas;
    private final Person[] recentPeople = new Person[RECENT_PEOPLE];
    private final Call[] recentCalls = new Call[RECENT_CALLS];
    private final long[] nextId = new long[Source.values().length];
    private final StringBuilder line = new StringBuilder(512);
    private final TimestampText timestamps;
    private long personCount;
    private long recentPeopleCount;
    private long recentCallCount;
    private final long[] byReports = new long[MAX_REPORTS_PER_PERSON + 2];
    private long linkedPairs;
    private String lastArea;

    public ContractLines(AreaIndex city, ZoneId zone, long seed) {
        this.random = new SplittableRandom(seed);
        this.city = city;
        this.timestamps = new TimestampText(zone);
        for (Area a : city.areas()) {
            areaIds.add(a.id());
        }
        cumulativeWeight = new double[areaIds.size()];
        double total = 0;
        for (int i = 0; i < cumulativeWeight.length; i++) {
            // Log-normal weights (sigma 0.7): the busiest tenth of areas see about 3-4 times the median's reports.
            total += Math.exp(0.7 * gaussian());
            cumulativeWeight[i] = total;
        }
        int siteCount = Math.min(MAX_SITES, Math.max(MIN_SITES, areaIds.size() / AREAS_PER_SITE));
        sites = new String[siteCount];
        siteAreas = new String[siteCount];
        for (int s = 0; s < siteCount; s++) {
            int area = random.nextInt(areaIds.size());
            siteAreas[s] = areaIds.get(area);
            sites[s] = location(area);
        }
    }

    private double gaussian() {
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /**
     * A point drawn inside area {@code area}'s polygon, as the contract's location member. The point is checked
     * again after rounding to the six decimals written: a point within 0.1 m of the city's edge can round out of
     * it, and the job would then (rightly) count a dead letter the generator did not write.
     */
    private String location(int area) {
        String id = areaIds.get(area);
        double[] latLon;
        do {
            latLon = city.pointIn(id, random);
        } while (!id.equals(city.areaAt(asWritten(latLon[0]), asWritten(latLon[1]))));
        StringBuilder b = new StringBuilder(48).append("\"location\":{\"lat\":");
        sixDecimals(latLon[0], b);
        b.append(",\"lon\":");
        sixDecimals(latLon[1], b);
        return b.append('}').toString();
    }

    /** The value {@link #sixDecimals} writes, as a reader parses it back. */
    static double asWritten(double v) {
        double micro = Math.round(Math.abs(v) * 1e6) / 1e6;
        return v < 0 ? -micro : micro;
    }

    /** {@code %.6f} without a Formatter, which would cost more than the rest of the line. */
    static void sixDecimals(double v, StringBuilder b) {
        long micro = Math.round(Math.abs(v) * 1e6);
        if (v < 0 && micro != 0) {
            b.append('-');
        }
        b.append(micro / 1_000_000).append('.');
        String fraction = Long.toString(micro % 1_000_000);
        for (int i = fraction.length(); i < 6; i++) {
            b.append('0');
        }
        b.append(fraction);
    }

    public SplittableRandom random() {
        return random;
    }

    public int areaCount() {
        return areaIds.size();
    }

    public int siteCount() {
        return sites.length;
    }

    /** How the persons of the valid lines written so far came out. */
    public People people() {
        return new People(personCount, byReports.clone(), linkedPairs);
    }

    /** A source drawn from the benchmark's mix: paramedic 40 %, drug checking 30 %, naloxone 25 %, coroner 5 %. */
    public Source drawSource() {
        double u = random.nextDouble();
        return u < 0.40 ? Source.PARAMEDIC : u < 0.70 ? Source.DRUG_CHECKING : u < 0.95 ? Source.NALOXONE : Source.CORONER;
    }

    /** A valid line of {@code source} that occurred at {@code occurredMillis}. */
    public String valid(Source source, long occurredMillis) {
        return build(source, occurredMillis, null);
    }

    /**
     * The area the last line was placed in (a drug-checking result: its site's area), or null when its
     * coordinates were broken on purpose.
     */
    public String lastArea() {
        return lastArea;
    }

    /** A line of {@code source} broken as {@code how}. */
    public String broken(Source source, long occurredMillis, Break how) {
        return build(source, occurredMillis, how);
    }

    private int drawArea() {
        double u = random.nextDouble() * cumulativeWeight[cumulativeWeight.length - 1];
        int i = java.util.Arrays.binarySearch(cumulativeWeight, u);
        return Math.min(cumulativeWeight.length - 1, i >= 0 ? i : -i - 1);
    }

    private String build(Source source, long occurredMillis, Break how) {
        StringBuilder b = line;
        b.setLength(0);
        long id = ++nextId[source.ordinal()];
        b.append('{');
        if (how != Break.MISSING_EVENT_ID) {
            b.append("\"event_id\":\"").append(prefix(source)).append(id).append("\",");
        }
        b.append("\"source\":\"").append(how == Break.UNKNOWN_SOURCE ? "ambulance" : source.code()).append("\",");
        b.append("\"occurred_at\":\"");
        if (how == Break.BAD_TIMESTAMP) {
            b.append("yesterday");
        } else {
            timestamps.append(occurredMillis, b);
        }
        b.append("\",\"reported_at\":\"");
        timestamps.append(occurredMillis + reportDelayMillis(source), b);
        b.append("\",");
        boolean hasPerson = source != Source.DRUG_CHECKING && random.nextInt(10) < 7;
        Call call = source == Source.NALOXONE && hasPerson && how == null ? pairableCall(occurredMillis) : null;
        int area = call != null ? call.area() : source == Source.DRUG_CHECKING ? -1 : drawArea();
        lastArea = area < 0 ? null : areaIds.get(area);
        String place = null;
        int site = 0;
        if (how == Break.COORDINATES_OUT_OF_RANGE) {
            b.append("\"location\":{\"lat\":123.4,\"lon\":-79.4}");
            lastArea = null;
        } else if (source == Source.DRUG_CHECKING) {
            site = random.nextInt(sites.length);
            b.append(sites[site]);
            lastArea = siteAreas[site];
        } else if (call != null) {
            b.append(call.place());
        } else {
            place = source == Source.CORONER || random.nextInt(10) == 0
                    ? "\"area_code\":\"" + areaIds.get(area) + '"' : location(area);
            b.append(place);
        }
        if (hasPerson) {
            Person p = call != null ? call.person() : how == null ? person() : new Person(0);
            if (how == null) {
                counted(p);
            }
            b.append(",\"person\":").append(p.jsonUpToAge).append(Math.max(0, timestamps.year() - p.birthYear)).append('}');
            if (source == Source.PARAMEDIC && how == null) {
                recentCalls[(int) (recentCallCount++ % RECENT_CALLS)] = new Call(occurredMillis, p, area, place);
            }
        }
        if (source != Source.DRUG_CHECKING && random.nextInt(4) == 0) {
            b.append(",\"notes\":\"").append(NOTES[random.nextInt(NOTES.length)]).append('"');
        }
        switch (source) {
            case PARAMEDIC -> b.append(",\"naloxone_doses\":").append(random.nextInt(4))
                    .append(",\"outcome\":\"").append(PARAMEDIC_OUTCOMES[random.nextInt(PARAMEDIC_OUTCOMES.length)])
                    .append("\",\"suspected_substances\":").append(SUBSTANCES[random.nextInt(SUBSTANCES.length)]);
            case CORONER -> b.append(",\"status\":\"").append(random.nextInt(10) < 7 ? "confirmed" : "preliminary")
                    .append("\",\"toxicology\":").append(TOXICOLOGY[random.nextInt(TOXICOLOGY.length)])
                    .append(",\"manner\":\"accident\"");
            case NALOXONE -> b.append(",\"site_id\":\"NX-SITE-").append(random.nextInt(12) + 1)
                    .append("\",\"doses\":").append(random.nextInt(4) + 1)
                    .append(",\"outcome\":\"").append(NALOXONE_OUTCOMES[random.nextInt(NALOXONE_OUTCOMES.length)]).append('"');
            case DRUG_CHECKING -> b.append(",\"site_id\":\"DC-SITE-").append(site + 1)
                    .append("\",\"expected_substance\":\"fentanyl\",\"detected\":[{\"substance\":\"fentanyl\","
                            + "\"concentration_pct\":").append(random.nextInt(300) / 10.0)
                    .append("},{\"substance\":\"xylazine\"}],\"method\":\"").append(METHODS[random.nextInt(METHODS.length)])
                    .append('"');
        }
        b.append('}');
        return how == Break.NOT_JSON ? b.substring(0, b.length() / 2) : b.toString();
    }

    /**
     * The latest waiting paramedic call of the last {@link #PAIR_WITHIN_MILLIS} whose person has not been paired,
     * taken with probability {@link #PAIRED}; null otherwise.
     */
    private Call pairableCall(long occurredMillis) {
        if (random.nextDouble() >= PAIRED) {
            return null;
        }
        long oldest = Math.max(0, recentCallCount - RECENT_CALLS);
        for (long k = recentCallCount - 1; k >= oldest; k--) {
            int slot = (int) (k % RECENT_CALLS);
            Call c = recentCalls[slot];
            if (c == null || occurredMillis - c.occurredMillis() > PAIR_WITHIN_MILLIS) {
                return null;
            }
            if (c.occurredMillis() <= occurredMillis && c.person().reports < MAX_REPORTS_PER_PERSON) {
                recentCalls[slot] = null;
                linkedPairs++;
                return c;
            }
        }
        return null;
    }

    /** A returning person (share {@link #REPEAT}, while one with room is at hand) or a new one. */
    private Person person() {
        if (recentPeopleCount > 0 && random.nextDouble() < REPEAT) {
            Person p = recentPeople[random.nextInt((int) Math.min(recentPeopleCount, RECENT_PEOPLE))];
            if (p.reports < MAX_REPORTS_PER_PERSON) {
                return p;
            }
        }
        Person p = new Person(++personCount);
        recentPeople[(int) (recentPeopleCount++ % RECENT_PEOPLE)] = p;
        return p;
    }

    private void counted(Person p) {
        if (p.reports > 0) {
            byReports[p.reports]--;
        }
        p.reports++;
        byReports[p.reports]++;
    }

    private static String prefix(Source source) {
        return switch (source) {
            case PARAMEDIC -> "EMS-";
            case CORONER -> "CC-";
            case NALOXONE -> "NX-";
            case DRUG_CHECKING -> "DC-";
        };
    }

    private long reportDelayMillis(Source source) {
        return switch (source) {
            case PARAMEDIC -> random.nextLong(5 * 60_000L, 90 * 60_000L);
            case NALOXONE -> random.nextLong(30 * 60_000L, 72 * 3_600_000L);
            case CORONER -> random.nextLong(14 * 86_400_000L, 56 * 86_400_000L);
            case DRUG_CHECKING -> random.nextLong(10 * 60_000L, 120 * 60_000L);
        };
    }
}
