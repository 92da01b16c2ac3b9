package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class TimeWindowTest {
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void aSkewOfMillenniaStillKeepsEveryTimeInYear9999InEveryZone() {
        TimeWindow lax = new TimeWindow(EARLIEST, Duration.ofDays(365L * 9000), NOW);
        Instant occurred = Instant.parse("2026-12-01T00:00:00Z");
        assertDoesNotThrow(() -> lax.check(occurred, Instant.parse("9999-12-29T23:59:59Z"), Source.PARAMEDIC));
        assertEquals("reported_in_future", assertThrows(Rejection.class,
                () -> lax.check(occurred, Instant.parse("9999-12-30T00:00:01Z"), Source.PARAMEDIC)).reason());
        assertEquals("occurred_in_future", assertThrows(Rejection.class, () -> lax.check(
                Instant.parse("9999-12-31T00:00:00Z"), Instant.parse("9999-12-31T00:00:00Z"), Source.PARAMEDIC))
                .reason());
    }

    @Test
    void aSkewBeyondWhatAnInstantHoldsBoundsAtTheLastPlausibleDay() {
        TimeWindow absurd = new TimeWindow(EARLIEST, Duration.ofSeconds(Long.MAX_VALUE), NOW);
        assertEquals("reported_in_future", assertThrows(Rejection.class, () -> absurd.check(
                Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("+10000-01-01T00:00:00Z"), Source.PARAMEDIC))
                .reason());
    }

    @Test
    void anEarliestBeforeYearOneStillKeepsEveryTimeInYearOneInEveryZone() {
        TimeWindow lax = new TimeWindow(Instant.parse("-300000-01-01T00:00:00Z"), Duration.ofMinutes(15), NOW);
        Instant first = Instant.parse("0001-01-02T00:00:00Z");
        assertDoesNotThrow(() -> lax.check(first, first, Source.PARAMEDIC));
        assertEquals("implausible_timestamp:occurred_at", assertThrows(Rejection.class, () -> lax.check(
                Instant.parse("0001-01-01T23:59:59Z"), first, Source.PARAMEDIC)).reason());
        assertEquals("implausible_timestamp:occurred_at", assertThrows(Rejection.class, () -> lax.check(
                Instant.parse("-300000-03-04T21:15:42Z"), first, Source.PARAMEDIC)).reason());
    }
}
