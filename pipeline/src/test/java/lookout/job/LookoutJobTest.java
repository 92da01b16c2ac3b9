package lookout.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.testutils.junit.SharedObjectsExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import lookout.config.LookoutConfig;
import lookout.geo.AreaIndex;
import lookout.schema.Alert;
import lookout.schema.CountDelta;
import lookout.schema.DeadLetter;
import lookout.schema.DetectorAlarm;
import lookout.schema.SubstanceDelta;
import lookout.schema.TableRow;
import lookout.sink.PublishedAreas;
import lookout.testing.CollectingSink;

/**
 * The whole job graph on a local cluster through the seam every mode plugs into: records from memory, results
 * into collecting sinks, no files, Kafka or DuckDB. BackfillTest and KafkaEndToEndTest cover those ends.
 */
class LookoutJobTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = MemoryInput.cluster();

    @RegisterExtension
    final SharedObjectsExtension shared = SharedObjectsExtension.create();

    private static final String PERSON_A = "\"person\":{\"name\":\"Person A\",\"health_number\":\"HN-A\"}";
    private static final String NOT_JSON = "{\"event_id\":\"x\",\"source\":";
    private static final int NOT_JSON_LINE = 7;

    private static final List<String> LINES = List.of(
            // a week before the spike: the history the intraday warning needs before it judges D12
            event("p0", "paramedic", "2026-02-02T09:00", "D12", "\"person\":{\"name\":\"Person C\"}"),
            // the same person's call and naloxone report: one overdose in the combined signal
            event("p1", "paramedic", "2026-02-04T10:00", "D07", PERSON_A + ",\"outcome\":\"transported\""),
            event("n1", "naloxone", "2026-02-04T10:20", "D07", PERSON_A + ",\"outcome\":\"survived\""),
            event("p1", "paramedic", "2026-02-04T10:00", "D07", PERSON_A + ",\"outcome\":\"transported\""),
            event("c1", "coroner", "2026-02-04T12:00", "D07", "\"manner\":\"accident\""),
            event("d1", "drug_checking", "2026-02-04T14:00", "D07", "\"site_id\":\"S1\",\"detected\":[{\"substance\":\"fentanyl\"}]"),
            NOT_JSON,
            // six calls in six hours where there was one in the week before
            event("s1", "paramedic", "2026-02-10T08:00", "D12", ""),
            event("s2", "paramedic", "2026-02-10T09:00", "D12", ""),
            event("s3", "paramedic", "2026-02-10T10:00", "D12", ""),
            event("s4", "paramedic", "2026-02-10T11:00", "D12", ""),
            event("s5", "paramedic", "2026-02-10T12:00", "D12", ""),
            event("s6", "paramedic", "2026-02-10T13:00", "D12", ""));

    /** Hours and days start at UTC instants: the days at midnight in Toronto (UTC-5 in February). */
    private static final String COUNTS = """
            day 2026-02-02T05:00:00Z D12 combined 1
            day 2026-02-02T05:00:00Z D12 paramedic 1
            day 2026-02-04T05:00:00Z D07 combined 1
            day 2026-02-04T05:00:00Z D07 coroner 1
            day 2026-02-04T05:00:00Z D07 drug_checking 1
            day 2026-02-04T05:00:00Z D07 naloxone 1
            day 2026-02-04T05:00:00Z D07 paramedic 1
            day 2026-02-10T05:00:00Z D12 combined 6
            day 2026-02-10T05:00:00Z D12 paramedic 6
            hour 2026-02-02T14:00:00Z D12 combined 1
            hour 2026-02-02T14:00:00Z D12 paramedic 1
            hour 2026-02-04T15:00:00Z D07 combined 1
            hour 2026-02-04T15:00:00Z D07 naloxone 1
            hour 2026-02-04T15:00:00Z D07 paramedic 1
            hour 2026-02-04T17:00:00Z D07 coroner 1
            hour 2026-02-04T19:00:00Z D07 drug_checking 1
            hour 2026-02-10T13:00:00Z D12 combined 1
            hour 2026-02-10T13:00:00Z D12 paramedic 1
            hour 2026-02-10T14:00:00Z D12 combined 1
            hour 2026-02-10T14:00:00Z D12 paramedic 1
            hour 2026-02-10T15:00:00Z D12 combined 1
            hour 2026-02-10T15:00:00Z D12 paramedic 1
            hour 2026-02-10T16:00:00Z D12 combined 1
            hour 2026-02-10T16:00:00Z D12 paramedic 1
            hour 2026-02-10T17:00:00Z D12 combined 1
            hour 2026-02-10T17:00:00Z D12 paramedic 1
            hour 2026-02-10T18:00:00Z D12 combined 1
            hour 2026-02-10T18:00:00Z D12 paramedic 1
            """;

    private static String event(String id, String source, String localTime, String area, String extra) {
        return "{\"event_id\":\"" + id + "\",\"source\":\"" + source + "\",\"occurred_at\":\"" + localTime
                + ":00-05:00\",\"reported_at\":\"" + localTime.substring(0, 10) + "T23:00:00-05:00\",\"area_code\":\""
                + area + "\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    /**
     * BATCH sorts each key's records by time, as a backfill does. STREAMING takes them in arrival order, which
     * over parallel channels differs from run to run; one channel keeps the input's order, as one Kafka
     * partition does.
     */
    @ParameterizedTest
    @EnumSource(value = RuntimeExecutionMode.class, names = {"STREAMING", "BATCH"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void countsRefusesAndAlertsExactlyAsTheInputSays(RuntimeExecutionMode mode) throws Exception {
        LookoutConfig config = LookoutConfig.defaults();
        StreamExecutionEnvironment env = MemoryInput.environment(mode, mode == RuntimeExecutionMode.BATCH ? 2 : 1);
        CollectingSink<TableRow> tables = new CollectingSink<>(shared);
        CollectingSink<DeadLetter> restricted = new CollectingSink<>(shared);
        CollectingSink<Alert> alerts = new CollectingSink<>(shared);
        List<PublishedAreas> published = new ArrayList<>();
        LookoutJob.build(MemoryInput.ingested(env, config, LINES), config,
                new LookoutJob.Outputs(areas -> {
                    published.add(areas);
                    return stream -> stream.sinkTo(tables);
                }, stream -> stream.sinkTo(restricted), stream -> stream.sinkTo(alerts)));
        env.execute();

        assertEquals(List.of(PublishedAreas.of(AreaIndex.demoCity())), published, "the tables get the areas once");
        assertEquals(List.copyOf(AreaIndex.demoCity().names().entrySet()), List.copyOf(published.get(0).names().entrySet()),
                "in file order");
        assertEquals(List.copyOf(AreaIndex.demoCity().names().keySet()), List.copyOf(published.get(0).shapes().keySet()),
                "a shape for every area, in file order");

        List<TableRow> rows = tables.received();
        assertEquals(COUNTS, counts(rows), "each event once in its area, signal, hour and day; the linked pair once"
                + " in combined; the duplicate not at all");

        DeadLetter refused = restricted.received().get(0);
        assertEquals(1, restricted.received().size());
        assertEquals("not_json_or_avro", refused.getReason());
        assertEquals("memory:" + NOT_JSON_LINE, refused.getPosition());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(NOT_JSON.getBytes(StandardCharsets.UTF_8))), refused.getSha256());
        assertArrayEquals(NOT_JSON.getBytes(StandardCharsets.UTF_8), bytes(refused.getRaw()),
                "the restricted output has the raw record");
        List<DeadLetter> deadLetterRows = rows.stream().map(TableRow::getDeadLetter).filter(d -> d != null).toList();
        assertEquals(List.of(DeadLetter.newBuilder(refused).setRaw(null).build()), deadLetterRows,
                "the table row has the same dead letter without its raw bytes");
        assertFalse(rows.toString().contains("HN-A") || rows.toString().contains("Person"), "no identifier in a table row");

        List<String> snapshots = alerts.received().stream().sorted(Comparator.comparingLong(Alert::getUpdatedAt))
                .map(LookoutJobTest::snapshot).toList();
        assertEquals(List.of(
                "D12 paramedic intraday_8h opened: opened 2026-02-10T16:00:00Z, updated 2026-02-10T16:00:00Z, observed null, closed null",
                "D12 paramedic intraday_8h updated: opened 2026-02-10T16:00:00Z, updated 2026-02-10T17:00:00Z, observed 5, closed null",
                "D12 paramedic intraday_8h updated: opened 2026-02-10T16:00:00Z, updated 2026-02-10T18:00:00Z, observed 6, closed null"),
                snapshots, "the fourth call in eight hours opens one alert (below 5 it shows no count); the data ends that"
                        + " evening, and the days after it are not in the data, so nothing closes the alert");
        assertEquals(1, alerts.received().stream().map(Alert::getSpikeId).distinct().count());
        assertEquals(sorted(alerts.received()), sorted(rows.stream().map(TableRow::getAlert).filter(a -> a != null).toList()),
                "every alert snapshot is also a spikes row");

        assertEquals("""
                D07 paramedic earsC_C1 2
                D12 paramedic earsC_C1 2
                """, alarmDays(rows), "days each daily method judged: from a week of its signal's history up to the"
                + " last day of the data, never the days after it; the coroner's, drug checking's and naloxone's"
                + " history starts at their first reports, on February 4, too late for a week before the data ends");
        assertEquals(List.of("D12 paramedic earsC_C1 2026-02-10 observed 6 expected 0.0 upper bound 0.0"),
                rows.stream().map(TableRow::getAlarm).filter(a -> a != null && a.getAlarm())
                        .map(a -> a.getAreaId() + " " + a.getSignal() + " " + a.getMethod() + " " + a.getDay() + " observed "
                                + a.getObserved() + " expected " + a.getExpected() + " upper bound " + a.getUpperbound())
                        .toList());
        assertEquals(Stream.of(new SubstanceDelta("D07", "2026-02-02", null, null, 1L),
                        new SubstanceDelta("D07", "2026-02-02", "fentanyl", null, 1L)).map(String::valueOf).sorted().toList(),
                rows.stream().map(TableRow::getSubstance).filter(d -> d != null).map(String::valueOf).sorted().toList(),
                "the sample checked in its area and Monday-started week, and the substance found in it, in any order");
    }

    /** What the DuckDB sink would hold: the increments added up per cell. */
    private static String counts(List<TableRow> rows) {
        Map<String, Long> cells = new TreeMap<>();
        for (TableRow r : rows) {
            CountDelta c = r.getCount();
            if (c != null) {
                cells.merge(c.getGranularity() + " " + Instant.ofEpochSecond(c.getBucketStart()) + " " + c.getAreaId()
                        + " " + c.getSignal(), c.getDelta(), Long::sum);
            }
        }
        StringBuilder s = new StringBuilder();
        cells.forEach((cell, n) -> s.append(cell).append(' ').append(n).append('\n'));
        return s.toString();
    }

    private static String alarmDays(List<TableRow> rows) {
        Map<String, Integer> days = new TreeMap<>();
        for (TableRow r : rows) {
            DetectorAlarm a = r.getAlarm();
            if (a != null) {
                days.merge(a.getAreaId() + " " + a.getSignal() + " " + a.getMethod(), 1, Integer::sum);
            }
        }
        StringBuilder s = new StringBuilder();
        days.forEach((key, n) -> s.append(key).append(' ').append(n).append('\n'));
        return s.toString();
    }

    private static String snapshot(Alert a) {
        return a.getAreaId() + " " + a.getSignal() + " " + a.getMethod() + " " + a.getStatus() + ": opened "
                + Instant.ofEpochMilli(a.getOpenedAt()) + ", updated " + Instant.ofEpochMilli(a.getUpdatedAt())
                + ", observed " + a.getObserved() + ", closed "
                + (a.getClosedAt() == null ? "null" : Instant.ofEpochMilli(a.getClosedAt()));
    }

    private static List<String> sorted(List<Alert> alerts) {
        return alerts.stream().map(Alert::toString).sorted().toList();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
