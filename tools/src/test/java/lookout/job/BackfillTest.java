package lookout.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import lookout.cluster.SharedCluster;
import lookout.config.LookoutConfig;
import lookout.demo.DemoStreamGenerator.BadKind;
import lookout.demo.DemoStreamGenerator.CountKey;
import lookout.demo.DemoStreamGenerator.Truth;
import lookout.demo.DemoStreamGenerator;
import lookout.geo.Area;
import lookout.geo.AreaIndex;
import lookout.ingest.IngestSettings;
import lookout.ingest.RecordIngestor;
import lookout.kernel.Main;
import lookout.privacy.PseudonymKey;
import lookout.schema.DeadLetter;
import lookout.testing.Db;

@Timeout(300)
@Execution(ExecutionMode.CONCURRENT)
@Order(8)
@ResourceLock(value = SharedCluster.THIS_JVM_THREADS, mode = ResourceAccessMode.READ)
@ResourceLock(value = SharedCluster.FLINK_CONTEXT, mode = ResourceAccessMode.READ)
class BackfillTest {
    @TempDir
    static Path dir;
    static Path input;
    static Truth truth;

    @BeforeAll
    static void generate() throws Exception {
        AreaIndex city = AreaIndex.demoCity();
        DemoStreamGenerator generator = new DemoStreamGenerator(DemoStreamGenerator.Settings
                .builder(city.areas().stream().map(Area::id).toList(), city)
                .seed(7).days(42).badFraction(0.02).duplicateFraction(0.03)
                .spike("D12", Instant.parse("2026-04-09T04:00:00Z"), 6, 30).build());
        List<String> lines = new ArrayList<>(generator.generate());
        lines.add(3, "");
        lines.add(10, "   ");
        input = dir.resolve("events.ndjson");
        Files.write(input, lines, StandardCharsets.UTF_8);
        truth = generator.truth();
    }

    static String backfill(Path db) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"backfill", "--input", input.toString(), "--db", db.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void countsEveryValidEventOnceInItsHourAndDayAndExplainsEveryRefusal() throws Exception {
        Path db = dir.resolve("a.duckdb");
        String summary = backfill(db);

        Map<CountKey, Integer> daily = read(db, "day");
        Map<CountKey, Integer> hourly = read(db, "hour");
        assertEquals(truth.daily(), daily);
        assertEquals(truth.hourly(), hourly);
        long drugChecks = truth.daily().entrySet().stream()
                .filter(e -> e.getKey().signal() == lookout.ingest.Source.DRUG_CHECKING).mapToLong(Map.Entry::getValue).sum();
        assertEquals(drugChecks, Db.count(db, "SELECT sum(samples) FROM drug_checking_samples"),
                "every drug-checking sample once in its area's week");
        assertEquals(0, Db.count(db, "SELECT count(*) FROM substance_counts s LEFT JOIN drug_checking_samples d"
                + " USING (area_id, week_start) WHERE d.samples IS NULL OR s.samples > d.samples"),
                "a substance is found in at most every sample of its area and week");

        Map<String, Integer> reasons = new HashMap<>();
        for (String row : Db.query(db, "SELECT reason, count(*) FROM dead_letters GROUP BY reason")) {
            String[] f = row.split("\\|");
            reasons.merge(f[0].startsWith("unparseable_timestamp:") ? "unparseable_timestamp" : f[0], Integer.parseInt(f[1]), Integer::sum);
        }
        Map<BadKind, Integer> bad = truth.badByKind();
        Map<String, Integer> expected = new HashMap<>();
        expected.put("not_json_or_avro", bad.get(BadKind.NOT_JSON));
        expected.put("unknown_source", bad.get(BadKind.UNKNOWN_SOURCE));
        expected.put("missing_field:event_id", bad.get(BadKind.MISSING_EVENT_ID));
        expected.put("unparseable_timestamp", bad.get(BadKind.BAD_TIMESTAMP));
        expected.put("coordinates_out_of_range", bad.get(BadKind.COORDINATES_OUT_OF_RANGE));
        assertEquals(expected, reasons);

        int read = truth.lines();
        assertTrue(summary.contains(String.format("  read          %10d%n", read)), summary);
        assertTrue(summary.contains(String.format("  accepted      %10d%n", truth.validEvents())), summary);
        assertTrue(summary.contains(String.format("  duplicates    %10d%n", truth.duplicates())), summary);
        assertTrue(summary.contains(String.format("  dead letters  %10d%n", truth.badRecords())), summary);
        assertTrue(summary.contains(String.format("  empty lines   %10d%n", 2)), summary);
        assertEquals(40, Db.count(db, "SELECT count(*) FROM areas"));

        List<String> inputLines = Files.readAllLines(input, StandardCharsets.UTF_8);
        RecordIngestor ingestor = IngestSettings.of(LookoutConfig.defaults(), PseudonymKey.ephemeral())
                .newIngestor(AreaIndex.demoCity());
        for (String row : Db.query(db, "SELECT position, reason FROM dead_letters")) {
            String[] f = row.split("\\|");
            assertTrue(f[0].startsWith(input.toAbsolutePath() + ":"), f[0]);
            int line = Integer.parseInt(f[0].substring(f[0].lastIndexOf(':') + 1));
            DeadLetter again = ingestor.ingest(inputLines.get(line - 1).getBytes(StandardCharsets.UTF_8), f[0], 0L)
                    .getDeadLetter();
            assertEquals(f[1], again == null ? "accepted" : again.getReason(), "position " + f[0] + " names the refused line");
        }
    }

    @Test
    void theInjectedSpikeOpensACountAlertThatKeepsToTheAlertTier() throws Exception {
        Path db = dir.resolve("spikes.duckdb");
        backfill(db);
        List<String> spikes = Db.query(db, "SELECT area_id, signal, method, status FROM spikes ORDER BY ALL");
        assertTrue(spikes.stream().anyMatch(s -> s.startsWith("D12|paramedic|") || s.startsWith("D12|naloxone|")),
                "the D12 spike opened a count alert: " + spikes);
        assertEquals(0, Db.count(db, "SELECT count(*) FROM spikes WHERE observed < 5"
                + " OR epoch_ms(opened_at) % 3600000 <> 0 OR epoch_ms(window_start) % 3600000 <> 0"),
                "alerts never show a count below 5 nor a time finer than the hour");
        assertEquals(List.of("coroner", "drug_checking", "naloxone", "paramedic"),
                Db.query(db, "SELECT DISTINCT signal FROM detector_alarms ORDER BY 1"));
    }

    @Test
    void everyReportIsInItsSignalsReportingTriangleAndRecentDaysAreNowcast() throws Exception {
        Path db = dir.resolve("nowcast.duckdb");
        backfill(db);
        assertEquals(Db.query(db, "SELECT signal, sum(count) FROM area_counts WHERE granularity = 'day' GROUP BY 1 ORDER BY 1"),
                Db.query(db, "SELECT signal, sum(reports) FROM reporting_delays GROUP BY 1 ORDER BY 1"),
                "each counted event once, by the day it occurred and the day it was reported");
        assertEquals(List.of("14|56"), Db.query(db, "SELECT min(reported_day - occurred_day), max(reported_day - occurred_day)"
                + " FROM reporting_delays WHERE signal = 'coroner'"), "the generator's coroner reports come 14 to 56 days late");
        // The generator's sources end together at the end of 12 April, a whole day, but their reports keep coming:
        // naloxone reports for 3 days, coroner reports for 56. Every signal is nowcast to 12 April, and each day's
        // share counts the reports made since, so the paramedic calls' last day is not read as missing the calls
        // made late in its evening and reported after midnight, and the deaths of its last 8 weeks, all reported
        // by now, are final.
        assertEquals(List.of("combined|2026-04-15", "coroner|2026-06-07", "drug_checking|2026-04-12",
                        "naloxone|2026-04-15", "paramedic|2026-04-13"),
                Db.query(db, "SELECT signal, max(reported_day) FROM reporting_delays GROUP BY signal ORDER BY signal"));
        assertEquals(List.of("2026-04-12"), Db.query(db, "SELECT DISTINCT as_of FROM nowcasts"));
        assertEquals(0, Db.count(db, "SELECT count(*) FROM nowcasts n JOIN area_counts c ON c.granularity = 'day'"
                + " AND c.area_id = n.area_id AND c.signal = n.signal AND (c.bucket_start AT TIME ZONE 'America/Toronto')::DATE"
                + " = n.period_start WHERE n.granularity = 'day' AND n.reported <> c.count"), "the count so far is the day's count");
        assertEquals(Db.count(db, "SELECT 64 * count(DISTINCT (area_id, signal)) FROM area_counts"
                        + " WHERE granularity = 'day'"
                        + " AND (bucket_start AT TIME ZONE 'America/Toronto')::DATE > DATE '2026-04-12' - 56"),
                Db.count(db, "SELECT count(*) FROM nowcasts"), "56 days and 8 weeks for each area and signal with a recent count");
        assertEquals(List.of("coroner|true", "paramedic|true"), Db.query(db, "SELECT signal,"
                + " bool_and(share_reported = 1 AND expected = reported AND upper = reported) FROM nowcasts"
                + " WHERE signal IN ('coroner', 'paramedic') GROUP BY signal ORDER BY signal"),
                "every call and death of these days is reported by now");
        // Not upper >= expected: a 95th percentile may lie below the mean of a skewed count (5 calls in and 0.03 more
        // expected is "likely 5 to 5"), as in the paramedic calls' last week.
        assertEquals(List.of(), Db.query(db, "SELECT * FROM nowcasts WHERE expected < reported OR lower < reported"
                + " OR upper < lower OR share_reported > 1"));
    }

    @Test
    void runningTwiceGivesIdenticalTables() throws Exception {
        Path db = dir.resolve("twice.duckdb");
        backfill(db);
        List<String> first = dump(db);
        backfill(db);
        assertEquals(first, dump(db));
        assertTrue(first.size() > 1000, "the dump covers real content: " + first.size());
    }

    @Test
    void theSamePersonsCallAndNaloxoneReportCountOnceCombinedAndTwiceBySource() throws Exception {
        String a = "\"person\":{\"name\":\"Test Person A\",\"health_number\":\"HN-A\"}";
        String b = "\"person\":{\"name\":\"Test Person B\",\"date_of_birth\":\"1980-01-01\"}";
        Path in = Files.write(dir.resolve("linked.ndjson"), List.of(
                event("p1", "paramedic", "10:00", a, "\"outcome\":\"transported\""),
                event("n1", "naloxone", "10:20", a, "\"outcome\":\"survived\""),
                event("p2", "paramedic", "10:00", b, "\"outcome\":\"refused\""),
                event("n2", "naloxone", "15:00", b, "\"outcome\":\"survived\"")));
        Path db = dir.resolve("linked.duckdb");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"backfill", "--input", in.toString(), "--db", db.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("combined|3", "naloxone|2", "paramedic|2"), Db.query(db,
                "SELECT signal, sum(count) FROM area_counts WHERE granularity = 'day' GROUP BY signal ORDER BY signal"));
    }

    /**
     * Reports of one person in the same minute reach the linker in no fixed order, and the ephemeral key gives
     * other dedupe keys every run: the combined cells must not depend on either. Twelve people each have a call
     * in D07 and a naloxone report in D08 in the same minute; one more has calls in D09 and D10 and a naloxone
     * report in D11, all in one minute.
     */
    @Test
    void tiedReportsOfOnePersonGiveTheSameCombinedCellsInEitherLineOrder() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String person = "\"person\":{\"name\":\"Tied Person " + i + "\",\"health_number\":\"HN-T" + i + "\"}";
            lines.add(event("tp" + i, "paramedic", "10:00", "D07", person, "\"outcome\":\"transported\""));
            lines.add(event("tn" + i, "naloxone", "10:00", "D08", person, "\"outcome\":\"survived\""));
        }
        String three = "\"person\":{\"name\":\"Tied Person Three\",\"health_number\":\"HN-T3R\"}";
        lines.add(event("tp-x", "paramedic", "11:00", "D09", three, "\"outcome\":\"transported\""));
        lines.add(event("tn-x", "naloxone", "11:00", "D11", three, "\"outcome\":\"survived\""));
        lines.add(event("tp-y", "paramedic", "11:00", "D10", three, "\"outcome\":\"refused\""));
        List<String> reversed = new ArrayList<>(lines);
        Collections.reverse(reversed);

        List<String> forward = combinedCells(Files.write(dir.resolve("tied.ndjson"), lines), "tied.duckdb");
        List<String> backward = combinedCells(Files.write(dir.resolve("tied-reversed.ndjson"), reversed),
                "tied-reversed.duckdb");
        assertEquals(List.of(
                "day|2026-03-04T05:00Z|D07|12", "day|2026-03-04T05:00Z|D09|1", "day|2026-03-04T05:00Z|D10|1",
                "hour|2026-03-04T15:00Z|D07|12", "hour|2026-03-04T16:00Z|D09|1", "hour|2026-03-04T16:00Z|D10|1"),
                forward, "the lines in reverse order gave " + backward);
        assertEquals(forward, backward);
    }

    /**
     * A re-sent record may correct its area or outcome within the same minute; the copies reach the dedupe
     * operator in no fixed order, and the ephemeral key gives other dedupe keys every run. Twelve calls are each
     * sent three times: in D07 and in D08 at 10:00, and in D09 at 10:30. Each counts once, in D07 whatever the
     * line order: the earliest minute's copies are chosen by content.
     */
    @Test
    void duplicatesOfOneMinuteCountOnceInTheSameCellsInEitherLineOrder() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String person = "\"person\":{\"name\":\"Resent Person " + i + "\",\"health_number\":\"HN-R" + i + "\"}";
            lines.add(event("rp" + i, "paramedic", "10:00", "D07", person, "\"outcome\":\"transported\""));
            lines.add(event("rp" + i, "paramedic", "10:00", "D08", person, "\"outcome\":\"refused\""));
            lines.add(event("rp" + i, "paramedic", "10:30", "D09", person, "\"outcome\":\"transported\""));
        }
        List<String> reversed = new ArrayList<>(lines);
        Collections.reverse(reversed);

        List<String> forward = allCells(Files.write(dir.resolve("resent.ndjson"), lines), "resent.duckdb");
        List<String> backward = allCells(Files.write(dir.resolve("resent-reversed.ndjson"), reversed),
                "resent-reversed.duckdb");
        assertEquals(List.of(
                "combined|day|2026-03-04T05:00Z|D07|12", "combined|hour|2026-03-04T15:00Z|D07|12",
                "paramedic|day|2026-03-04T05:00Z|D07|12", "paramedic|hour|2026-03-04T15:00Z|D07|12"),
                forward, "the lines in reverse order gave " + backward);
        assertEquals(forward, backward);
    }

    /**
     * A new hotspot in a backfill: its data starts with one call in D01 on 5 January; D05 has no event until
     * five calls on the evening of 23 February. D05's history starts with the backfill's data, so seven weeks of
     * zeros lie behind those calls and the third (20:20) opens an alert, the only one.
     */
    @Test
    void theFirstEventsEverInAnAreaOpenAnAlertThatEveningInABackfill() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(eventAt("h0", "2026-01-05T10:00", "D01"));
        String[] evening = {"19:10", "19:40", "20:20", "21:00", "21:30"};
        for (int i = 0; i < evening.length; i++) {
            lines.add(eventAt("h" + (i + 1), "2026-02-23T" + evening[i], "D05"));
        }
        Path db = dir.resolve("hotspot.duckdb");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"backfill", "--input",
                Files.write(dir.resolve("hotspot.ndjson"), lines).toString(), "--db", db.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
        assertEquals(List.of("D05|paramedic|intraday_8h"), Db.query(db, "SELECT area_id, signal, method FROM spikes"));
        assertEquals(1, Db.count(db,
                "SELECT count(*) FROM spikes WHERE opened_at = TIMESTAMPTZ '2026-02-24 01:00:00+00'"),
                "opened at 20:00 Toronto time, the hour of the third call");
    }

    /** A paramedic call of its own person at a Toronto winter time (UTC-5), reported that night. */
    private static String eventAt(String id, String localTime, String area) {
        return "{\"event_id\":\"" + id + "\",\"source\":\"paramedic\",\"occurred_at\":\"" + localTime
                + ":00-05:00\",\"reported_at\":\"" + localTime.substring(0, 10) + "T23:30:00-05:00\","
                + "\"area_code\":\"" + area + "\",\"person\":{\"name\":\"Hotspot Person " + id
                + "\",\"health_number\":\"HN-" + id + "\"},\"outcome\":\"transported\"}";
    }

    private static List<String> allCells(Path in, String dbName) throws Exception {
        Path db = dir.resolve(dbName);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"backfill", "--input", in.toString(), "--db", db.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
        return Db.query(db, "SELECT signal, granularity, bucket_start, area_id, count FROM area_counts ORDER BY ALL");
    }

    private static List<String> combinedCells(Path in, String dbName) throws Exception {
        Path db = dir.resolve(dbName);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new String[] {"backfill", "--input", in.toString(), "--db", db.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)), err.toString(StandardCharsets.UTF_8));
        return Db.query(db, "SELECT granularity, bucket_start, area_id, count FROM area_counts"
                + " WHERE signal = 'combined' ORDER BY ALL");
    }

    private static String event(String id, String source, String time, String person, String extra) {
        return event(id, source, time, "D07", person, extra);
    }

    private static String event(String id, String source, String time, String area, String person, String extra) {
        return "{\"event_id\":\"" + id + "\",\"source\":\"" + source + "\",\"occurred_at\":\"2026-03-04T" + time
                + ":00-05:00\",\"reported_at\":\"2026-03-04T23:00:00-05:00\",\"area_code\":\"" + area + "\","
                + person + "," + extra + "}";
    }

    static List<String> dump(Path db) throws Exception {
        List<String> rows = new ArrayList<>();
        rows.addAll(Db.query(db, "SELECT * FROM areas ORDER BY ALL"));
        rows.addAll(Db.query(db, "SELECT * FROM area_counts ORDER BY ALL"));
        rows.addAll(Db.query(db, "SELECT * FROM dead_letters ORDER BY ALL"));
        rows.addAll(Db.query(db, "SELECT * EXCLUDE (updated_at) FROM substance_counts ORDER BY ALL"));
        rows.addAll(Db.query(db, "SELECT * EXCLUDE (updated_at) FROM drug_checking_samples ORDER BY ALL"));
        return rows;
    }

    static Map<CountKey, Integer> read(Path db, String granularity) throws Exception {
        Map<CountKey, Integer> counts = new HashMap<>();
        for (String row : Db.query(db, "SELECT signal, area_id, epoch(bucket_start)::BIGINT, count FROM area_counts"
                + " WHERE granularity = '" + granularity + "' AND signal <> 'combined'")) {
            String[] f = row.split("\\|");
            counts.put(new CountKey(lookout.ingest.Source.fromCode(f[0]).orElseThrow(), f[1],
                    Instant.ofEpochSecond(Long.parseLong(f[2]))), Integer.parseInt(f[3]));
        }
        return counts;
    }
}
