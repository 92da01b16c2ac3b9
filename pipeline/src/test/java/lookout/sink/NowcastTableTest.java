package lookout.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.schema.CountDelta;
import lookout.schema.DelayDelta;
import lookout.schema.SinkBatch;
import lookout.schema.TableRow;
import lookout.testing.Db;

/**
 * The published {@code nowcasts} table, worked by hand: coroner reports of which half arrive on the day, a quarter
 * the next day and an eighth on each of the two days after, over a horizon that crosses the spring clock change.
 */
class NowcastTableTest {
    private static final ZoneId TORONTO = ZoneId.of("America/Toronto");
    private static final LocalDate AS_OF = LocalDate.of(2026, 3, 10); // clocks went forward on Sunday 8 March

    @TempDir
    Path dir;

    @Test
    void recentDaysAndWeeksGetTheirExpectedFinalCountsAndIntervals() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        List<TableRow> rows = coronerReportsOfWhichHalfArriveOnTheDay();
        for (int age = 0; age < 30; age++) {
            rows.add(delay("paramedic", AS_OF.minusDays(age), AS_OF.minusDays(age), 5));
        }
        rows.add(day("A1", "coroner", AS_OF.minusDays(5), 2));
        rows.add(day("A2", "paramedic", AS_OF.minusDays(55), 4));
        rows.add(day("A3", "paramedic", AS_OF.minusDays(56), 9)); // before the horizon: no rows
        try (DuckDbStore store = DuckDbStore.open(db, 0L, TORONTO)) {
            store.writeAreas(new PublishedAreas(Map.of("A1", "Alpha"), Map.of("A1", "{}")));
            store.apply(new SinkBatch("run", 1L, rows));
            store.publish();
        }
        assertEquals(List.of(
                        "2026-03-10|2026-03-10|3|0.5|6.0|3|12|2026-03-10",
                        "2026-03-09|2026-03-09|3|0.75|4.0|3|7|2026-03-10",
                        "2026-03-08|2026-03-08|7|0.875|8.0|7|10|2026-03-10",
                        "2026-03-07|2026-03-07|0|1.0|0.0|0|0|2026-03-10",
                        "2026-03-05|2026-03-05|2|1.0|2.0|2|2|2026-03-10"),
                Db.query(db, "SELECT period_start, period_end, reported, share_reported, expected, lower, upper, as_of"
                        + " FROM nowcasts WHERE granularity = 'day' AND area_id = 'A1' AND period_start >= DATE '2026-03-05'"
                        + " AND period_start <> DATE '2026-03-06' ORDER BY period_start DESC"),
                "half in on the day: 3 so far, 6 expected; the interval adds nbinom(3.5, 0.5)'s 5th and 95th percentiles");
        assertEquals(List.of("2026-03-04|2026-03-10|15|17.142857142857142|15|20", "2026-02-25|2026-03-03|0|0.0|0|0"),
                Db.query(db, "SELECT period_start, period_end, reported, expected, lower, upper FROM nowcasts"
                        + " WHERE granularity = 'week' AND area_id = 'A1' ORDER BY period_start DESC LIMIT 2"),
                "a 7-day week is one mean a day: 15 so far of the 7/8 usually in (the mean of its days' shares)");
        assertEquals(List.of("A1|coroner|56|8", "A2|paramedic|56|8"),
                Db.query(db, "SELECT area_id, signal, count(*) FILTER (granularity = 'day'),"
                        + " count(*) FILTER (granularity = 'week') FROM nowcasts GROUP BY ALL ORDER BY ALL"),
                "every day and week of the horizon for each area and signal with a count in it");
        assertEquals(List.of("2026-01-14|4|4.0"), Db.query(db, "SELECT period_start, reported, expected FROM nowcasts"
                + " WHERE area_id = 'A2' AND granularity = 'day' AND reported > 0"), "paramedic reports arrive on the day");
        assertEquals(List.of("coroner|2026-03-10|2026-03-10|4", "paramedic|2026-03-10|2026-03-10|5"),
                Db.query(db, "SELECT signal, occurred_day, reported_day, reports FROM reporting_delays"
                        + " WHERE occurred_day = DATE '2026-03-10' ORDER BY signal"));
    }

    /**
     * A source whose data ends earlier (paramedic calls 20 days before the last coroner report) is nowcast to its own
     * last report day, not on into 20 days it has no data for, which would read "none reported, none expected"; one
     * that stopped reporting more than the longest delay before (naloxone, 400 days) has no nowcast.
     */
    @Test
    void eachSignalIsNowcastToItsOwnLastReportDay() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        LocalDate paramedicEnd = AS_OF.minusDays(20);
        List<TableRow> rows = new ArrayList<>();
        for (int age = 0; age < 30; age++) {
            rows.add(delay("coroner", AS_OF.minusDays(age), AS_OF.minusDays(age), 1));
            rows.add(delay("paramedic", paramedicEnd.minusDays(age), paramedicEnd.minusDays(age), 5));
        }
        rows.add(day("A1", "coroner", AS_OF, 3));
        rows.add(day("A1", "paramedic", paramedicEnd, 6));
        rows.add(delay("naloxone", AS_OF.minusDays(400), AS_OF.minusDays(400), 2));
        rows.add(day("A1", "naloxone", AS_OF.minusDays(400), 2));
        try (DuckDbStore store = DuckDbStore.open(db, 0L, TORONTO)) {
            store.writeAreas(new PublishedAreas(Map.of("A1", "Alpha"), Map.of("A1", "{}")));
            store.apply(new SinkBatch("run", 1L, rows));
            store.publish();
        }
        assertEquals(List.of("coroner|2026-01-14|2026-03-10|2026-03-10|56",
                        "paramedic|2025-12-25|2026-02-18|2026-02-18|56"),
                Db.query(db, "SELECT signal, min(period_start), max(period_end), as_of, count(*) FROM nowcasts"
                        + " WHERE granularity = 'day' GROUP BY signal, as_of ORDER BY signal"));
        assertEquals(List.of("2026-02-12|2026-02-18|6|6.0"), Db.query(db, "SELECT period_start, period_end, reported,"
                + " expected FROM nowcasts WHERE signal = 'paramedic' AND granularity = 'week'"
                + " AND period_end = DATE '2026-02-18'"), "the paramedic's latest week ends on its last report day");
    }

    /**
     * While the data is in the middle of a day (its latest event came at 14:xx), that day's events have not all
     * happened: the nowcast ends on the day before, whose share counts the day of reports made since (3 so far of
     * the three quarters in after a day: 4 expected). Once an event of 23:xx has come, the day is whole and nowcast.
     */
    @Test
    void theDayTheDataIsInTheMiddleOfIsNotNowcastUntilItIsWhole() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        List<TableRow> rows = coronerReportsOfWhichHalfArriveOnTheDay();
        rows.add(hour("A2", "paramedic", AS_OF.atTime(14, 0), 1));
        String days = "SELECT period_start, reported, share_reported, expected, lower, upper, as_of FROM nowcasts"
                + " WHERE granularity = 'day' AND area_id = 'A1' ORDER BY period_start DESC LIMIT 2";
        try (DuckDbStore store = DuckDbStore.open(db, 0L, TORONTO)) {
            store.writeAreas(new PublishedAreas(Map.of("A1", "Alpha"), Map.of("A1", "{}")));
            store.apply(new SinkBatch("run", 1L, rows));
            store.publish();
            assertEquals(List.of("2026-03-09|3|0.75|4.0|3|7|2026-03-09", "2026-03-08|7|0.875|8.0|7|10|2026-03-09"),
                    Db.query(db, days), "the days to 9 March, each as old as the reports made since make it");
            assertEquals(List.of("2026-03-03|2026-03-09|10|10.566037735849058|10|12"),
                    Db.query(db, "SELECT period_start, period_end, reported, expected, lower, upper FROM nowcasts"
                            + " WHERE granularity = 'week' AND area_id = 'A1' ORDER BY period_start DESC LIMIT 1"),
                    "the latest week is the 7 whole days to 9 March: 10 so far of the 53/56 usually in");
            store.apply(new SinkBatch("run", 2L, List.of(hour("A2", "paramedic", AS_OF.atTime(23, 0), 1))));
            store.publish();
        }
        assertEquals(List.of("2026-03-10|3|0.5|6.0|3|12|2026-03-10", "2026-03-09|3|0.75|4.0|3|7|2026-03-10"),
                Db.query(db, days), "an event of the day's last hour makes it whole");
    }

    @Test
    void aFileWithoutReportsHasNoNowcasts() throws Exception {
        Path db = dir.resolve("empty.duckdb");
        try (DuckDbStore store = DuckDbStore.open(db, 0L, TORONTO)) {
            store.publish();
        }
        assertEquals(List.of("0"), Db.query(db, "SELECT count(*) FROM nowcasts"));
    }

    /**
     * 30 days of coroner reports, half of each day's in on the day, a quarter the next day and an eighth on each of the
     * two days after, and area A1's counts so far of the last three days: 3, 3 and 7.
     */
    private static List<TableRow> coronerReportsOfWhichHalfArriveOnTheDay() {
        List<TableRow> rows = new ArrayList<>();
        long[] perDay = {4, 2, 1, 1};
        for (int age = 0; age < 30; age++) {
            for (int d = 0; d <= Math.min(age, 3); d++) {
                rows.add(delay("coroner", AS_OF.minusDays(age), AS_OF.minusDays(age - d), perDay[d]));
            }
        }
        rows.add(day("A1", "coroner", AS_OF, 3));
        rows.add(day("A1", "coroner", AS_OF.minusDays(1), 3));
        rows.add(day("A1", "coroner", AS_OF.minusDays(2), 7));
        return rows;
    }

    private static TableRow delay(String signal, LocalDate occurred, LocalDate reported, long n) {
        return TableRow.newBuilder().setDelay(new DelayDelta(signal, occurred.toString(), reported.toString(), n)).build();
    }

    private static TableRow hour(String area, String signal, LocalDateTime hour, long n) {
        return TableRow.newBuilder().setCount(new CountDelta("hour", hour.atZone(TORONTO).toEpochSecond(), area,
                signal, n)).build();
    }

    private static TableRow day(String area, String signal, LocalDate day, long n) {
        return TableRow.newBuilder().setCount(new CountDelta("day", day.atStartOfDay(TORONTO).toEpochSecond(), area,
                signal, n)).build();
    }
}
