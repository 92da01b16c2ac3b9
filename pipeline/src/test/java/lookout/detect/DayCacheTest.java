package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class DayCacheTest {
    private static final long HOUR = 3_600_000L;
    /** Zones with daylight saving, none, a skipped day (Apia, 2011), half-hour DST and negative DST. */
    private static final List<String> ZONES = List.of("America/Toronto", "UTC", "Pacific/Apia",
            "Australia/Lord_Howe", "America/Santiago", "Europe/Dublin", "Asia/Kathmandu", "America/St_Johns");

    /**
     * Instants around every transition of the years a deployment sees (a second and a millisecond either side),
     * and the days around them, asked in the order the detectors ask: forward through time, back at a new key.
     */
    @Test
    void givesDayClocksAnswersAroundEveryTransition() {
        for (String id : ZONES) {
            ZoneId zone = ZoneId.of(id);
            DayClock clock = new DayClock(zone);
            DayCache cache = new DayCache(zone);
            List<Long> instants = instantsAroundTransitions(zone);
            for (long t : instants) {
                long day = clock.dayOf(t);
                assertEquals(day, cache.dayOf(t), id + " day of " + Instant.ofEpochMilli(t));
                for (long d = day - 1; d <= day + 1; d++) {
                    assertEquals(clock.startOf(d), cache.startOf(d), id + " start of day " + d);
                    assertEquals(clock.endOf(d), cache.endOf(d), id + " end of day " + d);
                }
            }
            if (id.equals("America/Toronto")) {
                assertEquals(2 * 50 * 8 + 2, instants.size(), "two transitions a year from 1990 to 2039");
            }
        }
    }

    /**
     * Instants in random order over two centuries, and walks of a few days forward from each, as keys' events go,
     * each step also asking for the day of one fixed instant, as the detector asks for the day the city was first
     * watched: the two may be on either side of a change of offset.
     */
    @Test
    void givesDayClocksAnswersForInstantsInAnyOrder() {
        SplittableRandom random = new SplittableRandom(7);
        long from = Instant.parse("1930-01-01T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();
        for (String id : ZONES) {
            ZoneId zone = ZoneId.of(id);
            DayClock clock = new DayClock(zone);
            DayCache cache = new DayCache(zone);
            for (int i = 0; i < 2_000; i++) {
                long t = random.nextLong(from, to);
                long since = t - random.nextLong(400 * 24 * HOUR);
                for (int step = 0; step < 50; step++) {
                    assertEquals(clock.dayOf(since), cache.dayOf(since), id + " day of " + Instant.ofEpochMilli(since));
                    long day = clock.dayOf(t);
                    assertEquals(day, cache.dayOf(t), id + " day of " + Instant.ofEpochMilli(t));
                    assertEquals(clock.endOf(day), cache.endOf(day), id + " end of day " + day);
                    t += random.nextLong(3 * HOUR);
                }
            }
        }
    }

    private static List<Long> instantsAroundTransitions(ZoneId zone) {
        List<Long> out = new ArrayList<>();
        Instant at = Instant.parse("1990-01-01T00:00:00Z");
        Instant end = Instant.parse("2040-01-01T00:00:00Z");
        ZoneOffsetTransition next = zone.getRules().nextTransition(at);
        while (next != null && next.getInstant().isBefore(end)) {
            long t = next.getInstant().toEpochMilli();
            for (long d : new long[] {-24 * HOUR, -1000, -1, 0, 1, 1000, HOUR, 24 * HOUR}) {
                out.add(t + d);
            }
            next = zone.getRules().nextTransition(next.getInstant());
        }
        out.add(at.toEpochMilli());
        out.add(end.toEpochMilli());
        return out;
    }
}
