package lookout.demo;

import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import lookout.demo.DemoStreamGenerator.BadKind;

/**
 * Corrupts a copy of a valid event the way real feeds break. The copies keep their person fields on purpose:
 * a rejected record must not leak PII through error messages or logs either.
 */
final class BadRecordMaker {
    private static final String[] UNKNOWN_SOURCES = {"ambulance", "pharmacy", "PARAMEDIC", ""};
    private static final String[] BAD_TIMESTAMPS = {
        "2026-02-30T25:61:00-05:00", "yesterday", "2026-03-04 21:15", "2026-03-04T21:15:00", "1772676900"};

    private final SplittableRandom random;

    BadRecordMaker(SplittableRandom random) {
        this.random = random;
    }

    String corrupt(ObjectNode valid, BadKind kind) {
        ObjectNode e = valid.deepCopy();
        switch (kind) {
            case NOT_JSON -> {
                String line = e.toString();
                return line.substring(0, line.length() / 2);
            }
            case UNKNOWN_SOURCE -> e.put("source", UNKNOWN_SOURCES[random.nextInt(UNKNOWN_SOURCES.length)]);
            case MISSING_EVENT_ID -> e.remove("event_id");
            case BAD_TIMESTAMP -> e.put(random.nextBoolean() ? "occurred_at" : "reported_at",
                    BAD_TIMESTAMPS[random.nextInt(BAD_TIMESTAMPS.length)]);
            case COORDINATES_OUT_OF_RANGE -> {
                e.remove("area_code");
                boolean badLat = random.nextBoolean();
                double lat = badLat ? random.nextDouble(90.5, 180) * (random.nextBoolean() ? 1 : -1) : 43.7;
                double lon = badLat ? -79.4 : random.nextDouble(180.5, 360) * (random.nextBoolean() ? 1 : -1);
                e.putObject("location").put("lat", Math.round(lat * 1e4) / 1e4).put("lon", Math.round(lon * 1e4) / 1e4);
            }
        }
        return e.toString();
    }
}
