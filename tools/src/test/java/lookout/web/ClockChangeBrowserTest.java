package lookout.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An area page's hourly download across Toronto's clock changes, in headless Chromium: the 14 days of hours are
 * instants, each labelled with the city's local time and its offset, so the night the clocks go back has 01:00 twice
 * (EDT, then EST) and the night they go forward has no 02:00. The Toronto year's hourly paramedic counts of two
 * areas are replaced by 14 days ending on the Saturday after each change, each in a copy of its own: an area's chart
 * ends at the newest hour counted in the city, which is then that Saturday's last.
 */
@Timeout(300)
class ClockChangeBrowserTest extends OnTorontoDashboards {
    private static final String FALL_AREA = "170";
    private static final String SPRING_AREA = "171";
    /** The last hour of each area's 14 days: 23:00 on the Saturday after the change (1 November, 8 March 2026). */
    private static final Instant FALL_LAST = ZonedDateTime.of(2026, 11, 7, 23, 0, 0, 0, TorontoSnapshot.ZONE)
            .toInstant();
    private static final Instant SPRING_LAST = ZonedDateTime.of(2026, 3, 14, 23, 0, 0, 0, TorontoSnapshot.ZONE)
            .toInstant();
    private static final int HOURS = 14 * 24;
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mmxxx")
            .withZone(TorontoSnapshot.ZONE);
    private static LiveDashboards fall;
    private static LiveDashboards spring;

    @BeforeAll
    static void start() throws Exception {
        fall = onACopy(c -> replaceHours(c, FALL_AREA, FALL_LAST));
        spring = onACopy(c -> replaceHours(c, SPRING_AREA, SPRING_LAST));
        browsers = Browsers.start();
    }

    private static void replaceHours(Connection c, String area, Instant last) throws Exception {
        sql("DELETE FROM area_counts WHERE granularity = 'hour' AND signal = 'paramedic' AND area_id = '" + area
                + "'").apply(c);
        insertHours(c, area, last);
    }

    /** The hour {@code i} of the 14 days ending with the hour starting at {@code last}. */
    private static Instant hour(Instant last, int i) {
        return last.minus(Duration.ofHours(HOURS - 1 - i));
    }

    /** Hour {@code i}'s count: 0 to 6 in turn, so that a row shifted by an hour has the wrong count. */
    private static long count(int i) {
        return i % 7;
    }

    private static void insertHours(Connection c, String area, Instant last) throws Exception {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO area_counts VALUES ('hour', ?, ?, 'paramedic', ?,"
                + " now())")) {
            for (int i = 0; i < HOURS; i++) {
                if (count(i) > 0) {
                    s.setObject(1, hour(last, i).atOffset(ZoneOffset.UTC));
                    s.setString(2, area);
                    s.setLong(3, count(i));
                    s.addBatch();
                }
            }
            s.executeBatch();
        }
    }

    @Test
    void theHourlyDownloadLabelsEveryHourWithItsLocalTimeAndOffsetAcrossBothClockChanges(@TempDir Path downloads)
            throws Exception {
        List<String[]> back = hourlyRows(fall, downloads, FALL_AREA, "2026-11-07");
        assertRows(back, FALL_LAST);
        assertEquals(List.of("2026-11-01T00:00-04:00", "2026-11-01T01:00-04:00", "2026-11-01T01:00-05:00",
                "2026-11-01T02:00-05:00"), labels(back, "2026-11-01T0").subList(0, 4), "01:00 twice");
        assertEquals(25, labels(back, "2026-11-01T").size(), "the day the clocks go back has 25 hours");

        List<String[]> forward = hourlyRows(spring, downloads, SPRING_AREA, "2026-03-14");
        assertRows(forward, SPRING_LAST);
        assertEquals(List.of("2026-03-08T00:00-05:00", "2026-03-08T01:00-05:00", "2026-03-08T03:00-04:00"),
                labels(forward, "2026-03-08T0").subList(0, 3), "no 02:00");
        assertEquals(23, labels(forward, "2026-03-08T").size(), "the day the clocks go forward has 23 hours");
    }

    private static List<String[]> hourlyRows(LiveDashboards copy, Path downloads, String area, String lastDay)
            throws Exception {
        browsers.forgetSessions();
        browsers.signIn(copy.uri("/"), toronto.analystToken);
        Chromium c = browsers.desktop;
        c.load(copy.uri("/areas/" + area), Browsers.READY);
        return Downloads.chartRows(c.driver(), downloads, "chart-hour", "lookout-" + area + "-paramedic-hours-to-"
                + lastDay + ".csv", "hour_start,count,in_alert_window,data_incomplete");
    }

    /** Every row is its hour's local label and count, in order. */
    private static void assertRows(List<String[]> rows, Instant last) {
        assertEquals(HOURS, rows.size(), "14 days of hours");
        for (int i = 0; i < HOURS; i++) {
            assertEquals(List.of(LOCAL.format(hour(last, i)), String.valueOf(count(i))),
                    List.of(rows.get(i)[0], rows.get(i)[1]), "hour " + i);
        }
    }

    private static List<String> labels(List<String[]> rows, String prefix) {
        return rows.stream().map(r -> r[0]).filter(label -> label.startsWith(prefix)).toList();
    }
}
