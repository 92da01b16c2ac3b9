package lookout.bench;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import lookout.geo.Area;
import lookout.geo.AreaIndex;
import lookout.ingest.Source;

/**
 * Builds NDJSON lines of the input contract fast enough to write millions: points are drawn once per area
 * into a pool, people come from a fixed pool, and timestamps are formatted from a per-hour cache. Every
 * line is valid unless a {@link Break} is asked for. Not thread-safe.
 */
public final class ContractLines {
    /** How a deliberately bad record is broken; each maps to one dead-letter reason. */
    public enum Break { NOT_JSON, UNKNOWN_SOURCE, MISSING_EVENT_ID, BAD_TIMESTAMP, COORDINATES_OUT_OF_RANGE }

    private static final int POINTS_PER_AREA = 8;
    private static final int PEOPLE = 500;
    private static final int MAX_CHECKING_SITES = 50;
    private static final String[] PARAMEDIC_OUTCOMES = {"transported", "transported", "treated_released", "refused", "deceased"};
    private static final String[] SUBSTANCES = {"[\"opioid\"]", "[\"fentanyl\"]", "[\"fentanyl\",\"methamphetamine\"]",
        "[\"unknown\"]", "[\"opioid\",\"benzodiazepine\"]"};
    private static final String[] TOXICOLOGY = {"[\"fentanyl\"]", "[\"fentanyl\",\"xylazine\"]",
        "[\"fentanyl\",\"bromazolam\"]", "[\"fentanyl\",\"methamphetamine\",\"cocaine\"]"};
    private static final String[] NALOXONE_OUTCOMES = {"survived", "survived", "survived", "survived", "unknown", "died"};
    private static final String[] METHODS = {"ftir", "ftir", "ms", "test_strip"};
    private static final String[] NOTES = {"Found unresponsive in washroom, bystander called 911",
        "Used alone, neighbour heard fall", "Bystander gave nasal naloxone before arrival"};

    private final SplittableRandom random;
    private final List<String> areaIds = new ArrayList<>();
    private final String[][] points;
    private final String[] sites;
    private final String[] siteAreas;
    private final String[] people = new String[PEOPLE];
    private final int[] birthYears = new int[PEOPLE];
    private final long[] nextId = new long[Source.values().length];
    private final StringBuilder line = new StringBuilder(512);
    private final TimestampText timestamps;
    private String lastArea;

    public ContractLines(AreaIndex city, ZoneId zone, long seed) {
        this.random = new SplittableRandom(seed);
        this.timestamps = new TimestampText(zone);
        for (Area a : city.areas()) {
            areaIds.add(a.id());
        }
        points = new String[areaIds.size()][POINTS_PER_AREA];
        for (int i = 0; i < areaIds.size(); i++) {
            for (int k = 0; k < POINTS_PER_AREA; k++) {
                points[i][k] = location(city.pointIn(areaIds.get(i), random));
            }
        }
        int siteCount = Math.min(MAX_CHECKING_SITES, Math.max(3, areaIds.size() / 20));
        sites = new String[siteCount];
        siteAreas = new String[siteCount];
        for (int s = 0; s < siteCount; s++) {
            int area = random.nextInt(areaIds.size());
            siteAreas[s] = areaIds.get(area);
            sites[s] = points[area][0];
        }
        LocalDate oldest = LocalDate.of(1950, 1, 1);
        for (int p = 0; p < PEOPLE; p++) {
            LocalDate dob = oldest.plusDays((p * 7919L) % 20_000);
            birthYears[p] = dob.getYear();
            people[p] = String.format(Locale.ROOT, "{\"name\":\"Test Person %04d\",\"date_of_birth\":\"%s\","
                    + "\"health_number\":\"TEST-%06d-HN\",\"sex\":\"%s\",\"age\":", p, dob, p, p % 3 == 0 ? "F" : "M");
        }
    }

    private static String location(double[] latLon) {
        return String.format(Locale.ROOT, "\"location\":{\"lat\":%.6f,\"lon\":%.6f}", latLon[0], latLon[1]);
    }

    public SplittableRandom random() {
        return random;
    }

    public int areaCount() {
        return areaIds.size();
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
        int area = source == Source.DRUG_CHECKING ? -1 : random.nextInt(areaIds.size());
        lastArea = area < 0 ? null : areaIds.get(area);
        if (how == Break.COORDINATES_OUT_OF_RANGE) {
            b.append("\"location\":{\"lat\":123.4,\"lon\":-79.4}");
            lastArea = null;
        } else if (source == Source.DRUG_CHECKING) {
            int site = random.nextInt(sites.length);
            b.append(sites[site]);
            lastArea = siteAreas[site];
        } else if (source != Source.CORONER && random.nextInt(10) == 0) {
            b.append("\"area_code\":\"").append(areaIds.get(area)).append('"');
        } else if (source == Source.CORONER) {
            b.append("\"area_code\":\"").append(areaIds.get(area)).append('"');
        } else {
            b.append(points[area][random.nextInt(POINTS_PER_AREA)]);
        }
        if (source != Source.DRUG_CHECKING && random.nextInt(10) < 7) {
            int p = random.nextInt(PEOPLE);
            b.append(",\"person\":").append(people[p]).append(Math.max(0, timestamps.year() - birthYears[p])).append('}');
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
            case DRUG_CHECKING -> b.append(",\"site_id\":\"DC-SITE-").append(random.nextInt(sites.length) + 1)
                    .append("\",\"expected_substance\":\"fentanyl\",\"detected\":[{\"substance\":\"fentanyl\","
                            + "\"concentration_pct\":").append(random.nextInt(300) / 10.0)
                    .append("},{\"substance\":\"xylazine\"}],\"method\":\"").append(METHODS[random.nextInt(METHODS.length)])
                    .append('"');
        }
        b.append('}');
        return how == Break.NOT_JSON ? b.substring(0, b.length() / 2) : b.toString();
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
