package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.Severity;
import lookout.schema.Alert;

class DispatcherTest {
    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-03T17:00:00Z"));
    private final List<AlertStep> steps = new ArrayList<>();
    private NotifierStore store;

    @AfterEach
    void close() {
        pool.shutdownNow();
        if (store != null) {
            store.close();
        }
    }

    /** A clock the test moves by hand. */
    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private Dispatcher dispatcher(String subscribersJson, int attempts, int ratePerHour) throws Exception {
        return dispatcher(subscribersJson, attempts, ratePerHour, Duration.ofSeconds(10));
    }

    /** @param exchangeTimeout the longest one exchange with a webhook receiver may take */
    private Dispatcher dispatcher(String subscribersJson, int attempts, int ratePerHour, Duration exchangeTimeout)
            throws Exception {
        Path file = Files.writeString(dir.resolve("subscribers.json"), subscribersJson);
        if (store != null) {
            store.close();
        }
        store = NotifierStore.open(dir.resolve("store"), Assertions::fail);
        Messages messages = Steps.messages();
        Map<Channel.Kind, Sender> senders = Map.of(Channel.Kind.WEBHOOK,
                new WebhookSender(messages, Steps.NAMES, exchangeTimeout));
        return new Dispatcher(Subscriptions.open(file), store, messages, Steps.NAMES, senders, pool, clock,
                Steps.TORONTO, attempts, Duration.ofMillis(20), ratePerHour);
    }

    private static String oneWebhook(String url, String extra) {
        return "{\"subscribers\": [{\"id\": \"desk\", \"name\": \"Desk\", \"channels\": [{\"webhook\": \"" + url
                + "\"}], \"areas\": [\"073\"]" + extra + "}]}";
    }

    /** Dispatches and journals a step as the notifier does. */
    private void take(Dispatcher d, AlertStep step) {
        d.dispatch(step);
        store.addStep(step);
        steps.add(step);
    }

    private List<String> outcomes() {
        return store.log().stream().map(d -> d.step() + ":" + d.outcome().code()
                + (d.reason() == null ? "" : ":" + d.reason())).toList();
    }

    /**
     * A cluster alert of the job's space-time scan is keyed by its centre area (073, Moss Park) and lists its zone
     * in its evidence: it reaches the subscribers of every area of the zone, names the zone, and its zone survives a
     * restart in the journal. An ordinary alert in Moss Park does not reach a subscriber of a neighbouring area.
     */
    @Test
    void aClusterAlertReachesTheSubscribersOfEveryAreaOfItsZoneAndNamesIt() throws Exception {
        try (Receiver receiver = new Receiver()) {
            String subscribers = "{\"subscribers\": [{\"id\": \"next-door\", \"name\": \"N\", \"channels\": [{\"webhook\": \""
                    + receiver.url("/hook") + "\"}], \"areas\": [\"074\"]}]}";
            Dispatcher d = dispatcher(subscribers, 5, 6);
            take(d, Steps.opened("single"));
            assertEquals(0, receiver.requests().size(), "Moss Park's own alert is not for North St.James Town");
            AlertStep cluster = AlertStep.of(Alert.newBuilder(Steps.alert("cluster", "opened", "moderate", 6))
                    .setMethod("scan_cluster").setEvidence("{\"method\":\"scan_cluster\",\"firings\":1,"
                            + "\"period\":\"1d\",\"areas\":[\"073\",\"074\",\"072\"],\"expected_together\":0.3}")
                    .build(), AlertStep.Kind.OPENED, Severity.MODERATE);
            assertEquals(List.of("073", "074", "072"), cluster.zone());
            take(d, cluster);
            assertEquals(1, receiver.requests().size(), "the cluster covers North St.James Town");
            String body = receiver.requests().get(0).body();
            assertTrue(body.contains("\"headline\":\"More paramedic calls for overdoses than usual in Moss Park and 2"
                    + " neighbouring areas\""), body);
            store.close();
            store = NotifierStore.open(dir.resolve("store"), Assertions::fail);
            assertEquals(List.of("073", "074", "072"), store.steps().get(1).zone(), "the journal keeps the zone");
            assertEquals(List.of(), store.steps().get(0).zone());
        }
    }

    @Test
    void theSameStepTwiceAndAgainAfterARestartIsSentOnce() throws Exception {
        try (Receiver receiver = new Receiver()) {
            String subscribers = oneWebhook(receiver.url("/hook"), "");
            Dispatcher d = dispatcher(subscribers, 5, 6);
            d.dispatch(Steps.opened("s1"));
            d.dispatch(Steps.opened("s1"));
            Dispatcher restarted = dispatcher(subscribers, 5, 6);
            restarted.dispatch(Steps.opened("s1"));
            assertEquals(1, receiver.requests().size());
            assertEquals(List.of("opened:delivered"), outcomes());
        }
    }

    @Test
    void aWebhookThatFailsThenRecoversGetsTheMessageExactlyOnce() throws Exception {
        try (Receiver receiver = new Receiver(2, 503)) {
            Dispatcher d = dispatcher(oneWebhook(receiver.url("/hook"), ""), 5, 6);
            take(d, Steps.opened("s1"));
            assertEquals(1, receiver.requests().size());
            clock.advance(Duration.ofMillis(19));
            d.releaseDue(steps);
            assertEquals(1, receiver.requests().size());
            clock.advance(Duration.ofMillis(1));
            d.releaseDue(steps);
            assertEquals(2, receiver.requests().size());
            clock.advance(Duration.ofMillis(40));
            d.releaseDue(steps);
            d.releaseDue(steps);
            d.dispatch(Steps.opened("s1"));
            assertEquals(3, receiver.requests().size());
            assertEquals(1, receiver.requests().stream().map(Receiver.Request::body).distinct().count());
            assertEquals(List.of("opened:held:http_503", "opened:held:http_503", "opened:delivered"), outcomes());
            Delivery delivered = store.log().get(2);
            assertEquals(3, delivered.attempts());
            assertEquals("s1/opened/desk/webhook1", delivered.key());
        }
    }

    @Test
    void aReceiverThatIsDownDelaysOnlyItsOwnMessagesAndGetsTheLatestStepWhenItRecovers() throws Exception {
        try (Receiver down = new Receiver(1, 502); Receiver up = new Receiver()) {
            Dispatcher d = dispatcher("{\"subscribers\": ["
                    + "{\"id\": \"down\", \"name\": \"D\", \"channels\": [{\"webhook\": \"" + down.url("/d") + "\"}], \"areas\": \"ALL\"},"
                    + "{\"id\": \"up\", \"name\": \"U\", \"channels\": [{\"webhook\": \"" + up.url("/u") + "\"}], \"areas\": \"ALL\"}]}",
                    5, 6);
            take(d, Steps.opened("s1"));
            take(d, Steps.worsened("s1"));
            assertEquals(2, up.requests().size());
            assertEquals(1, down.requests().size());
            clock.advance(Duration.ofMillis(20));
            d.releaseDue(steps);
            assertEquals(2, down.requests().size());
            assertEquals("worsened", step(down.requests().get(1).body()));
            assertEquals(List.of("opened:held:http_502", "worsened-high:held:http_502", "opened:merged",
                    "worsened-high:delivered"), outcomesOf("down/webhook1"));
            assertEquals(List.of("opened:delivered", "worsened-high:delivered"), outcomesOf("up/webhook1"));
        }
    }

    /**
     * A receiver that answers with headers and then never sends the body costs only its own message: the exchange
     * has a deadline, the other subscriber is served, and the stalled one is held for a retry.
     */
    @Test
    void aWebhookThatSendsHeadersAndThenStallsDelaysOnlyItsOwnMessage() throws Exception {
        try (Receiver stalled = Receiver.stallingBody(); Receiver up = new Receiver()) {
            Dispatcher d = dispatcher("{\"subscribers\": ["
                    + "{\"id\": \"stalled\", \"name\": \"S\", \"channels\": [{\"webhook\": \"" + stalled.url("/s")
                    + "\"}], \"areas\": \"ALL\"},"
                    + "{\"id\": \"up\", \"name\": \"U\", \"channels\": [{\"webhook\": \"" + up.url("/u")
                    + "\"}], \"areas\": \"ALL\"}]}", 5, 6, Duration.ofMillis(300));
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> take(d, Steps.opened("s1")));
            assertEquals(1, up.requests().size());
            assertEquals(1, stalled.requests().size());
            assertEquals(List.of("opened:held:timeout"), outcomesOf("stalled/webhook1"));
            assertEquals(List.of("opened:delivered"), outcomesOf("up/webhook1"));
        }
    }

    private List<String> outcomesOf(String channel) {
        return store.log().stream().filter(d -> d.channel().equals(channel))
                .map(d -> d.step() + ":" + d.outcome().code() + (d.reason() == null ? "" : ":" + d.reason())).toList();
    }

    @Test
    void undeliverableMessagesAreRecordedWithTheirReasonAndNoAddress() throws Exception {
        try (Receiver down = new Receiver(100, 503); Receiver gone = new Receiver(100, 404)) {
            Dispatcher d = dispatcher("{\"subscribers\": ["
                    + "{\"id\": \"a\", \"name\": \"A\", \"channels\": [{\"webhook\": \"" + down.url("/a") + "\"}], \"areas\": \"ALL\"},"
                    + "{\"id\": \"b\", \"name\": \"B\", \"channels\": [{\"webhook\": \"" + gone.url("/b") + "\"}], \"areas\": \"ALL\"},"
                    + "{\"id\": \"c\", \"name\": \"C\", \"channels\": [{\"sms\": \"+14165550100\"}, {\"email\": \"c@example.org\"}], \"areas\": \"ALL\"}]}",
                    3, 6);
            take(d, Steps.opened("s1"));
            for (int i = 0; i < 5; i++) {
                clock.advance(Duration.ofSeconds(1));
                d.releaseDue(steps);
            }
            assertEquals(3, down.requests().size());
            assertEquals(1, gone.requests().size());
            Map<String, String> byChannel = new java.util.TreeMap<>();
            for (Delivery x : store.log().stream().filter(x -> x.outcome().isFinal()).toList()) {
                byChannel.put(x.channel(), x.outcome().code() + ":" + x.reason() + ":" + x.attempts());
            }
            assertEquals(Map.of("a/webhook1", "undeliverable:http_503:3", "b/webhook1", "undeliverable:http_404:1",
                    "c/sms1", "undeliverable:channel_not_configured:0",
                    "c/email1", "undeliverable:channel_not_configured:0"), byChannel);
            String log = Files.readString(dir.resolve("store/deliveries.ndjson"));
            assertFalse(log.contains("127.0.0.1"));
            assertFalse(log.contains("@"));
            assertFalse(log.contains("4165550100"));
        }
    }

    @Test
    void theAllClearGoesOnlyToThoseToldOfTheAlert() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Dispatcher d = dispatcher("{\"subscribers\": ["
                    + "{\"id\": \"all\", \"name\": \"All\", \"channels\": [{\"webhook\": \"" + receiver.url("/all") + "\"}], \"areas\": \"ALL\"},"
                    + "{\"id\": \"severe\", \"name\": \"Severe\", \"channels\": [{\"webhook\": \"" + receiver.url("/severe") + "\"}], \"areas\": \"ALL\", \"min_severity\": \"high\"},"
                    + "{\"id\": \"other\", \"name\": \"Other\", \"channels\": [{\"webhook\": \"" + receiver.url("/other") + "\"}], \"areas\": [\"074\"]},"
                    + "{\"id\": \"tox\", \"name\": \"Tox\", \"channels\": [{\"webhook\": \"" + receiver.url("/tox") + "\"}], \"areas\": \"ALL\", \"signals\": [\"multi\"]}]}",
                    5, 6);
            take(d, Steps.opened("s1"));
            take(d, Steps.worsened("s1"));
            take(d, Steps.closed("s1"));
            assertEquals(List.of("/all opened", "/all worsened", "/severe worsened", "/all closed", "/severe closed"),
                    receiver.requests().stream().map(r -> r.path() + " " + step(r.body())).sorted(
                            java.util.Comparator.comparing((String s) -> order(s.split(" ")[1])).thenComparing(s -> s))
                            .toList());
        }
    }

    /**
     * A subscriber added while an alert is open hears of it at once, at its latest step, and then gets its all-clear;
     * those told of it already, those it does not concern and closed alerts send nothing.
     */
    @Test
    void aSubscriberAddedWhileAnAlertIsOpenIsToldOfItOnceAndThenOfItsAllClear() throws Exception {
        String all = "{\"id\": \"all\", \"name\": \"All\", \"channels\": [{\"webhook\": \"%s\"}], \"areas\": \"ALL\"}";
        String late = "{\"id\": \"late\", \"name\": \"Late\", \"channels\": [{\"webhook\": \"%s\"}],"
                + " \"areas\": \"ALL\"}, {\"id\": \"other\", \"name\": \"Other\", \"channels\": [{\"webhook\": \"%s\"}],"
                + " \"areas\": [\"074\"]}";
        try (Receiver receiver = new Receiver()) {
            Dispatcher d = dispatcher("{\"subscribers\": [" + all.formatted(receiver.url("/all")) + "]}", 5, 6);
            take(d, Steps.opened("s1"));
            take(d, Steps.worsened("s1"));
            take(d, Steps.opened("s2"));
            take(d, Steps.closed("s2"));
            Lifecycle lifecycle = new Lifecycle();
            steps.forEach(lifecycle::take);
            assertEquals(List.of(Steps.worsened("s1")), lifecycle.openSteps(0));
            assertEquals(4, receiver.requests().size());

            d = dispatcher("{\"subscribers\": [" + all.formatted(receiver.url("/all")) + ","
                    + late.formatted(receiver.url("/late"), receiver.url("/other")) + "]}", 5, 6);
            assertEquals(Map.of(Steps.worsened("s1"), 1), d.tellOpen(lifecycle.openSteps(0)));
            assertEquals(List.of("/late worsened"), receiver.requests().subList(4, 5).stream()
                    .map(r -> r.path() + " " + step(r.body())).toList());
            assertEquals(Map.of(), d.tellOpen(lifecycle.openSteps(0)), "told once");

            take(d, AlertStep.of(Steps.alert("s1", "updated", "high", 14), AlertStep.Kind.COUNTED, Severity.HIGH));
            assertEquals(5, receiver.requests().size(), "a counted step goes to the public feeds only");
            take(d, Steps.closed("s1"));
            assertEquals(List.of("/all closed", "/late closed"), receiver.requests().subList(5, 7).stream()
                    .map(r -> r.path() + " " + step(r.body())).sorted().toList());
            assertEquals(7, receiver.requests().size());
        }
    }

    /** Held steps of one alert go in lifecycle order: a counted step held before a worsening gives way to it. */
    @Test
    void heldStepsOfAnAlertComeDueInLifecycleOrderSoItsLatestIsSent() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Dispatcher d = dispatcher(oneWebhook(receiver.url("/hook"),
                    ", \"quiet_hours\": {\"from\": \"11:00\", \"to\": \"13:00\"}"), 5, 6);
            AlertStep counted = AlertStep.of(Steps.alert("s1", "updated", "moderate", 5), AlertStep.Kind.COUNTED,
                    Severity.MODERATE);
            store.addStep(counted);
            steps.add(counted);
            d.tellOpen(List.of(counted));
            take(d, Steps.worsened("s1"));
            assertEquals(List.of("counted:held:quiet_hours", "worsened-high:held:quiet_hours"), outcomes());
            clock.advance(Duration.ofMinutes(61));
            d.releaseDue(steps);
            assertEquals(List.of("worsened"), receiver.requests().stream().map(r -> step(r.body())).toList());
        }
    }

    private static String step(String body) {
        return body.replaceAll(".*\"step\":\"([a-z]+)\".*", "$1");
    }

    private static int order(String step) {
        return List.of("opened", "worsened", "closed").indexOf(step);
    }

    @Test
    void beyondTheRateLimitMessagesAreHeldThenTheLatestStepOfEachAlertIsSent() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Dispatcher d = dispatcher(oneWebhook(receiver.url("/hook"), ""), 5, 2);
            take(d, Steps.opened("s1"));
            clock.advance(Duration.ofMinutes(10));
            take(d, Steps.opened("s2"));
            clock.advance(Duration.ofMinutes(10));
            take(d, Steps.opened("s3"));
            take(d, Steps.worsened("s3"));
            assertEquals(2, receiver.requests().size());
            assertEquals(List.of("opened:delivered", "opened:delivered", "opened:held:rate_limit",
                    "worsened-high:held:rate_limit"), outcomes());
            assertEquals(Instant.parse("2026-11-03T18:00:00Z").toEpochMilli(), store.held().get(0).until());

            clock.advance(Duration.ofMinutes(39));
            d.releaseDue(steps);
            assertEquals(2, receiver.requests().size());
            clock.advance(Duration.ofMinutes(1));
            d.releaseDue(steps);
            assertEquals(3, receiver.requests().size());
            assertEquals("worsened", step(receiver.requests().get(2).body()));
            assertEquals(List.of("opened:delivered", "opened:delivered", "opened:held:rate_limit",
                    "worsened-high:held:rate_limit", "opened:merged", "worsened-high:delivered"), outcomes());
            // The all-clear of a delivered alert is never held by the rate limit.
            take(d, Steps.closed("s3"));
            assertEquals(4, receiver.requests().size());
        }
    }

    @Test
    void aLaterStepOfAnAlertNeverOvertakesAnEarlierOneThatIsHeld() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Dispatcher d = dispatcher(oneWebhook(receiver.url("/hook"), ""), 5, 1);
            take(d, Steps.opened("s1"));
            take(d, Steps.opened("s2"));
            clock.advance(Duration.ofMinutes(30));
            take(d, Steps.worsened("s2"));
            assertEquals(1, receiver.requests().size());
            assertEquals(Instant.parse("2026-11-03T18:00:00Z").toEpochMilli(), store.held().get(1).until());
            clock.advance(Duration.ofMinutes(30));
            d.releaseDue(steps);
            assertEquals(2, receiver.requests().size());
            assertEquals("worsened", step(receiver.requests().get(1).body()));
            assertEquals(List.of("opened:delivered", "opened:held:rate_limit", "worsened-high:held:rate_limit",
                    "opened:merged", "worsened-high:delivered"), outcomes());
        }
    }

    @Test
    void aHeldStepThatIsDueIsReplacedByALaterStepOfTheSameAlert() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Dispatcher d = dispatcher(oneWebhook(receiver.url("/hook"), ""), 5, 1);
            take(d, Steps.opened("s1"));
            take(d, Steps.opened("s2"));
            clock.advance(Duration.ofHours(1));
            take(d, Steps.worsened("s2"));
            assertEquals(2, receiver.requests().size());
            assertEquals("worsened", step(receiver.requests().get(1).body()));
            assertEquals(List.of("opened:delivered", "opened:held:rate_limit", "opened:merged",
                    "worsened-high:delivered"), outcomes());
        }
    }

    @Test
    void anAlertThatOpensAndClosesInQuietHoursSendsNothingAndOneStillOpenIsSentWhenTheyEnd() throws Exception {
        clock.advance(Duration.ofHours(11).plusMinutes(30)); // 23:30 in Toronto
        try (Receiver receiver = new Receiver()) {
            Dispatcher d = dispatcher(oneWebhook(receiver.url("/hook"),
                    ", \"quiet_hours\": {\"from\": \"23:00\", \"to\": \"07:00\"}"), 5, 6);
            take(d, Steps.opened("s1"));
            take(d, Steps.opened("s2"));
            clock.advance(Duration.ofHours(1));
            take(d, Steps.closed("s1"));
            assertEquals(List.of("opened:held:quiet_hours", "opened:held:quiet_hours", "opened:merged", "closed:merged"),
                    outcomes());
            clock.advance(Duration.ofHours(6).plusMinutes(30)); // 07:00
            d.releaseDue(steps);
            assertEquals(1, receiver.requests().size());
            assertTrue(receiver.requests().get(0).body().contains("\"spike_id\":\"s2\""));
            d.releaseDue(steps);
            assertEquals(1, receiver.requests().size());
        }
    }

    @Test
    void aDigestSubscriberGetsNoImmediateMessage() throws Exception {
        try (Receiver receiver = new Receiver()) {
            Dispatcher d = dispatcher(oneWebhook(receiver.url("/hook"), ", \"immediate\": false"), 5, 6);
            take(d, Steps.opened("s1"));
            assertEquals(0, receiver.requests().size());
            assertEquals(List.of("opened:digest"), outcomes());
        }
    }
}
