package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

/** Quiet hours in local time, on ordinary nights and on the two nights a year the clocks change. */
class QuietHoursTest {
    private static final ZoneId TORONTO = ZoneId.of("America/Toronto");

    private static ZonedDateTime at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).atZoneSameInstant(TORONTO);
    }

    @Test
    void anOrdinaryNightEndsAtTheEndsLocalTime() {
        QuietHours q = new QuietHours(LocalTime.of(23, 0), LocalTime.of(7, 0));
        assertEquals(at("2026-06-02T07:00-04:00"), q.end(at("2026-06-01T23:30-04:00")));
        assertEquals(at("2026-06-02T08:00-04:00"), q.end(at("2026-06-02T08:00-04:00")), "outside: now");
    }

    /** 01:10 comes twice on 1 November: in the second (EST) the end is the 01:30 after it, not the one before. */
    @Test
    void inTheRepeatedHourTheEndIsTheOneAfter() {
        QuietHours q = new QuietHours(LocalTime.of(23, 0), LocalTime.of(1, 30));
        ZonedDateTime second = at("2026-11-01T01:10-05:00");
        assertTrue(q.contains(second));
        assertEquals(at("2026-11-01T01:30-05:00"), q.end(second));
        assertEquals(at("2026-11-01T01:30-04:00"), q.end(at("2026-11-01T01:10-04:00")), "the first 01:10");
        assertEquals(at("2026-11-01T01:30-04:00"), q.end(at("2026-10-31T23:30-04:00")), "the evening before");
    }

    /** 02:30 never comes on 8 March: quiet hours to 02:30 end when the clock jumps from 02:00 to 03:00. */
    @Test
    void whenTheEndIsSkippedTheQuietHoursEndAtTheJump() {
        QuietHours q = new QuietHours(LocalTime.of(22, 0), LocalTime.of(2, 30));
        assertEquals(at("2026-03-08T03:00-04:00"), q.end(at("2026-03-08T01:15-05:00")));
    }
}
