package lookout.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimeBucketsTest {
    private static final long MINUTE = 60_000L;
    private static final long DAY = 86_400_000L;
    private static final long FROM = Instant.parse("1850-01-01T00:00:00Z").toEpochMilli();
    private static final long UNTIL = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli();

    /** The buckets as {@link ZonedDateTime} defines them, which the arithmetic must give everywhere. */
    private static void assertSameBuckets(TimeBuckets buckets, ZoneId zone, long t) {
        ZonedDateTime at = ZonedDateTime.ofInstant(Instant.ofEpochMilli(t), zone);
        String where = zone + " at " + Instant.ofEpochMilli(t);
        assertEquals(at.truncatedTo(ChronoUnit.HOURS).toEpochSecond(), buckets.hourStart(t), "hour start, " + where);
        assertEquals(at.toLocalDate().atStartOfDay(zone).toEpochSecond(), buckets.dayStart(t), "day start, " + where);
        assertEquals(at.toLocalDate().toEpochDay(), buckets.localDay(t), "local day, " + where);
        assertEquals(at.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toEpochDay(),
                buckets.weekStartDay(t), "week start, " + where);
    }

    /**
     * Zones whose transitions are at midnight (Havana, São Paulo), of half an hour (Lord Howe), at odd offsets
     * (Kathmandu, Chatham), backwards in winter (Dublin), skipping a whole day (Apia, 2011) or repeating one (Sitka's
     * 1867 move across the date line), and without any.
     */
    @ParameterizedTest
    @ValueSource(strings = {"America/Toronto", "America/Havana", "America/Sao_Paulo", "Australia/Lord_Howe",
            "Asia/Kathmandu", "Pacific/Chatham", "Europe/Dublin", "Pacific/Apia", "America/Sitka", "UTC", "+05:30"})
    void bucketsAreTheZonedDateTimeOnesAroundEveryTransitionAndAtRandomInstants(String id) {
        ZoneId zone = ZoneId.of(id);
        TimeBuckets buckets = new TimeBuckets(zone);
        Instant at = Instant.ofEpochMilli(FROM);
        for (ZoneOffsetTransition next = zone.getRules().nextTransition(at);
             next != null && next.toEpochSecond() * 1000 < UNTIL; next = zone.getRules().nextTransition(next.getInstant())) {
            long transition = next.toEpochSecond() * 1000;
            for (long t = transition - 3 * DAY; t <= transition + 3 * DAY; t += 17 * MINUTE) {
                assertSameBuckets(buckets, zone, t);
                assertSameBuckets(buckets, zone, t + 59_999);
            }
            assertSameBuckets(buckets, zone, transition);
            assertSameBuckets(buckets, zone, transition - 1);
        }
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 100_000; i++) {
            assertSameBuckets(buckets, zone, random.nextLong(FROM, UNTIL));
        }
    }
}
