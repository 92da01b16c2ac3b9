package lookout.dashboards;

import static lookout.dashboards.EventStream.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live alert streams over HTTP: a snapshot renamed over the published file reaches each open stream with
 * exactly the alerts new or changed in it that its caller may see; the cap, the refusals and the audit.
 */
@Timeout(60)
class AlertStreamTest {
    static final int CAP = 3;
    static final int RESTRICTED_CAP = 2;
    static final Duration SOON = Duration.ofSeconds(5);
    static final String S5 = "INSERT INTO spikes VALUES ('S5', 'A2', 'paramedic', 'intraday_6h', '2026-03-02 06:00:00+00',"
            + " '2026-03-02 07:00:00+00', NULL, '2026-03-02 01:00:00+00', '2026-03-02 07:00:00+00', 8, 1.5, 5.0, 3.2,"
            + " 'high', 'opened', '{\"method\":\"intraday_6h\",\"firings\":1,\"period\":\"6h\",\"expected\":1.5}',"
            + " 'More paramedic calls than usual in area A2')";
    static final String S6 = "INSERT INTO spikes VALUES ('S6', 'A3', 'combined', 'earsC_C2', '2026-03-02 08:00:00+00',"
            + " '2026-03-02 08:00:00+00', NULL, '2026-03-02 00:00:00+00', '2026-03-03 00:00:00+00', 11, 3.0, 8.0, 2.0,"
            + " 'moderate', 'opened', NULL, 'More overdoses than usual in area A3')";
    static final String S7 = "INSERT INTO spikes VALUES ('S7', 'A2', 'naloxone', 'intraday_6h', '2026-03-02 09:00:00+00',"
            + " '2026-03-02 09:00:00+00', NULL, '2026-03-02 04:00:00+00', '2026-03-02 10:00:00+00', 5, 0.4, 2.0, 2.1,"
            + " 'low', 'opened', NULL, 'More naloxone kits used than usual in area A2')";
    /** What coroner reports do to a closed alert: new evidence and explanation, the same update time. */
    static final String S2_CONFIRMED = "UPDATE spikes SET evidence = '{\"method\":\"farrington\",\"firings\":2,"
            + "\"coroner_deaths\":\"fewer than 5\"}', explanation = explanation || '. Coroner reports support it.'"
            + " WHERE spike_id = 'S2'";

    @TempDir
    Path dir;
    ApiServer api;
    final List<EventStream> streams = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        api = new ApiServer(dir, new AlertStreams.Limits(CAP, RESTRICTED_CAP, Duration.ofMillis(200),
                Duration.ofMillis(100)));
    }

    @AfterEach
    void stop() throws Exception {
        for (EventStream s : streams) {
            s.close();
        }
        api.close();
    }

    private EventStream open(String path, String... headers) throws Exception {
        EventStream s = EventStream.open(api, path, headers);
        streams.add(s);
        return s;
    }

    @Test
    void aNewSnapshotReachesEachStreamWithExactlyTheChangesItsCallerMaySee() throws Exception {
        EventStream analyst = open(Alerts.STREAM, "Authorization", bearer(api.analyst));
        EventStream outreach = open(Alerts.STREAM, "Authorization", bearer(api.outreach));
        EventStream everyone = open(Alerts.PUBLIC_STREAM);
        for (EventStream s : List.of(analyst, outreach, everyone)) {
            assertEquals(200, s.response.statusCode());
            assertEquals("text/event-stream;charset=utf-8", s.headers().get("content-type").get(0).toLowerCase().replace(" ", ""));
        }
        EventStream.Event first = analyst.next(SOON);
        assertEquals("current", first.name());
        assertEquals(List.of("S1", "S3", "S2"), first.spikeIds());
        assertEquals(List.of("S2"), outreach.next(SOON).spikeIds());
        assertEquals(List.of("S1", "S2"), everyone.next(SOON).spikeIds());

        PublishedDb.republish(api.db, S5);
        long renamed = System.nanoTime();
        EventStream.Event s5 = analyst.next(SOON);
        long millis = (System.nanoTime() - renamed) / 1_000_000;
        assertEquals("changed", s5.name());
        assertNotEquals(first.id(), s5.id());
        assertEquals(List.of("S5"), s5.spikeIds());
        assertEquals(ApiServer.json("""
                [{"fact":"method","label":"How it was found","value":"the last 6 hours against the same hours on recent days"},
                 {"fact":"firings","label":"Times the detector fired","value":"1"},
                 {"fact":"period","label":"Period counted","value":"the last 6 hours"},
                 {"fact":"expected","label":"Usual for this area","value":"about 2"}]"""), s5.json().get(0).get("evidence"));
        assertTrue(millis < 3000, "the new alert arrived " + millis + " ms after the rename");
        System.out.println("AlertStreamTest: a new alert reached the stream " + millis + " ms after the rename");
        assertEquals(s5.data(), outreach.next(SOON).data(), "A2 is in the outreach profile");
        assertEquals(ApiServer.json("""
                [{"spike_id":"S5","area_id":"A2","area_name":"Beta","signal":"paramedic",
                  "signal_name":"paramedic overdose calls","opened_at":"2026-03-02T06:00:00Z","closed_at":null,
                  "severity":"high"}]"""), everyone.next(SOON).json());

        PublishedDb.republish(api.db, S6);
        assertEquals(List.of("S6"), analyst.next(SOON).spikeIds());
        PublishedDb.republish(api.db, S7, S2_CONFIRMED);
        assertEquals(List.of("S7", "S2"), analyst.next(SOON).spikeIds());
        EventStream.Event otto = outreach.next(SOON);
        assertEquals(List.of("S7", "S2"), otto.spikeIds(), "nothing of S6 (A3) before it");
        assertEquals("fewer than 5", otto.json().get(1).get("evidence").get(2).get("value").asText());
        EventStream.Event pub = everyone.next(SOON);
        assertEquals(List.of("S7"), pub.spikeIds(), "nothing of S6 (a restricted signal) nor of S2's evidence");
        assertFalse(pub.data().contains("explanation") || pub.data().contains("evidence")
                || pub.data().contains("observed"));
    }

    @Test
    void aClientHoldingTheNewestListsIsSentOnlyHeartbeatsUntilSomethingChanges() throws Exception {
        EventStream first = open(Alerts.PUBLIC_STREAM);
        String version = first.next(SOON).id();
        first.close();
        EventStream caughtUp = open(Alerts.PUBLIC_STREAM + "?since=" + version);
        EventStream reconnected = open(Alerts.PUBLIC_STREAM + "?since=1", "Last-Event-ID", version);
        assertTrue(caughtUp.poll(Duration.ofMillis(1000)).isEmpty());
        assertTrue(reconnected.poll(Duration.ofMillis(10)).isEmpty(), "Last-Event-ID outranks since");
        assertTrue(caughtUp.comments() >= 2, "heartbeats every 200 ms: " + caughtUp.comments());
        PublishedDb.republish(api.db, S5);
        assertEquals(List.of("S5"), caughtUp.next(SOON).spikeIds());
        assertEquals(List.of("S5"), reconnected.next(SOON).spikeIds());
    }

    @Test
    void thePublicStreamKeepsItsIdAndContentWhenOnlyRestrictedFieldsChange() throws Exception {
        EventStream analyst = open(Alerts.STREAM, "Authorization", bearer(api.analyst));
        EventStream everyone = open(Alerts.PUBLIC_STREAM);
        String restricted = analyst.next(SOON).id();
        EventStream.Event before = everyone.next(SOON);
        PublishedDb.republish(api.db, S2_CONFIRMED, "UPDATE spikes SET score = 9.9, updated_at = updated_at"
                + " + INTERVAL 1 HOUR WHERE spike_id = 'S1'");
        EventStream.Event confirmed = analyst.next(SOON);
        assertEquals(List.of("S1", "S2"), confirmed.spikeIds());
        assertNotEquals(restricted, confirmed.id());
        assertTrue(everyone.poll(Duration.ofMillis(500)).isEmpty(), "the public view did not change");
        EventStream caughtUp = open(Alerts.PUBLIC_STREAM + "?since=" + before.id());
        assertTrue(caughtUp.poll(Duration.ofMillis(300)).isEmpty(), "the public version is still " + before.id());

        PublishedDb.republish(api.db, S5);
        EventStream.Event s5 = everyone.next(SOON);
        assertEquals(List.of("S5"), s5.spikeIds());
        assertNotEquals(before.id(), s5.id());
        EventStream rendered = open(Alerts.PUBLIC_STREAM + "?since=" + s5.id());
        assertTrue(rendered.poll(Duration.ofMillis(300)).isEmpty(), "the id of a change is the version after it");
        assertEquals(s5, caughtUp.next(SOON));
        assertNotEquals(confirmed.id(), analyst.next(SOON).id());
    }

    @Test
    void theStreamsAreCappedAndTheClientsThatLeaveFreeTheirPlaces() throws Exception {
        List<EventStream> held = new ArrayList<>();
        for (int i = 0; i < CAP; i++) {
            held.add(open(Alerts.PUBLIC_STREAM));
            assertEquals(200, held.get(i).response.statusCode());
        }
        EventStream refused = open(Alerts.PUBLIC_STREAM);
        assertEquals(503, refused.response.statusCode());
        assertEquals("too many live alert streams are open (3); try again in a minute", refused.error());
        held.get(0).close();
        long deadline = System.nanoTime() + SOON.toNanos();
        EventStream again;
        do {
            Thread.sleep(100);
            again = open(Alerts.PUBLIC_STREAM);
        } while (again.response.statusCode() == 503 && System.nanoTime() < deadline);
        assertEquals(200, again.response.statusCode(), "a heartbeat found the closed stream and freed its place");
    }

    @Test
    void thePublicHoldingEveryPublicPlaceLeavesTheSignedInTheirOwn() throws Exception {
        for (int i = 0; i < CAP; i++) {
            assertEquals(200, open(Alerts.PUBLIC_STREAM).response.statusCode());
        }
        assertEquals(503, open(Alerts.PUBLIC_STREAM).response.statusCode());
        EventStream outreach = open(Alerts.STREAM, "Authorization", bearer(api.outreach));
        EventStream analyst = open(Alerts.STREAM, "Authorization", bearer(api.analyst));
        assertEquals(200, outreach.response.statusCode());
        assertEquals(List.of("S2"), outreach.next(SOON).spikeIds());
        assertEquals(200, analyst.response.statusCode());
        EventStream third = open(Alerts.STREAM, "Authorization", bearer(api.analyst));
        assertEquals(503, third.response.statusCode());
        assertEquals("too many live alert streams are open (2); try again in a minute", third.error());
    }

    @Test
    void theRestrictedStreamRefusesThePublicAndIsAuditedOncePerConnection() throws Exception {
        EventStream nobody = open(Alerts.STREAM);
        assertEquals(401, nobody.response.statusCode());
        assertEquals("sign in or send a bearer token to see this", nobody.error());
        EventStream stranger = open(Alerts.STREAM, "Authorization", bearer("not-a-token"));
        assertEquals(401, stranger.response.statusCode());
        assertEquals("unknown token", stranger.error());
        assertFalse(Files.exists(api.audit), "nobody was identified, so nothing was audited");

        EventStream analyst = open(Alerts.STREAM, "Authorization", bearer(api.analyst));
        analyst.next(SOON);
        PublishedDb.republish(api.db, S5);
        analyst.next(SOON);
        assertEquals(List.of("2026-03-03T00:00:00Z\tana\tanalyst\tgranted\tGET /api/alerts/stream\t"),
                Files.readAllLines(api.audit));
    }

    @Test
    void aStreamAsksForEventsAndANumberedVersion() throws Exception {
        var plain = api.get(Alerts.PUBLIC_STREAM, null);
        assertEquals(406, plain.statusCode());
        assertEquals("this is an event stream: send 'Accept: text/event-stream'", ApiServer.json(plain.body()).get("error").asText());
        for (String since : List.of("yesterday", "-1", "9223372036854775808")) {
            EventStream word = open(Alerts.PUBLIC_STREAM + "?since=" + since);
            assertEquals(400, word.response.statusCode(), since);
            assertEquals("since must be a whole number: the id of the last event received", word.error());
        }
        EventStream largest = open(Alerts.PUBLIC_STREAM + "?since=9223372036854775807");
        assertEquals(200, largest.response.statusCode());
        assertEquals(List.of("S1", "S2"), largest.next(SOON).spikeIds(), "an unknown version gets the whole list");
    }

    @Test
    void stoppingTheServerEndsItsStreams() throws Exception {
        EventStream s = open(Alerts.PUBLIC_STREAM);
        s.next(SOON);
        long start = System.nanoTime();
        api.close();
        assertTrue(s.ended(SOON), "the stream ended with the server");
        assertTrue(System.nanoTime() - start < SOON.toNanos(), "the server stopped without waiting for its streams");
    }

    @Test
    void gzipDoesNotHoldBackTheStream() throws Exception {
        EventStream gzipped = open(Alerts.PUBLIC_STREAM, "Accept-Encoding", "gzip");
        assertEquals(200, gzipped.response.statusCode());
        assertFalse(gzipped.headers().containsKey("content-encoding"), gzipped.headers().toString());
        assertEquals(List.of("S1", "S2"), gzipped.next(SOON).spikeIds());
        PublishedDb.republish(api.db, S5);
        assertEquals(List.of("S5"), gzipped.next(SOON).spikeIds());
    }
}
