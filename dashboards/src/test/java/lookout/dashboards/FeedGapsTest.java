package lookout.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which local days a feed's silent or bad period touches, as the area page's daily series and download mark them. */
class FeedGapsTest {
    /** A feed gap marks the city's local days it overlaps: 02:00–03:00 UTC on 21 March is 20 March in Toronto. */
    @Test
    void aFeedGapMarksTheLocalDaysItTouches() {
        FeedGaps.Episode evening = new FeedGaps.Episode("paramedic", "silent", Instant.parse("2026-03-21T02:00:00Z"),
                Instant.parse("2026-03-21T03:00:00Z"));
        FeedGaps.Episode going = new FeedGaps.Episode("paramedic", "silent", Instant.parse("2026-03-21T04:00:00Z"),
                null);
        LocalDate march20 = LocalDate.parse("2026-03-20");
        assertEquals(List.of(true, false, false), List.of(evening.touches(march20, ApiServer.ZONE),
                evening.touches(march20.plusDays(1), ApiServer.ZONE), evening.touches(march20, ZoneOffset.UTC)));
        assertEquals(List.of(false, true, true), List.of(going.touches(march20, ApiServer.ZONE),
                going.touches(march20.plusDays(1), ApiServer.ZONE),
                going.touches(march20.plusDays(300), ApiServer.ZONE)),
                "one still going touches every day from the one it started on (00:00 local on 21 March)");
    }
}
