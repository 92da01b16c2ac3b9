package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.Severity;
import lookout.schema.Alert;

/**
 * A number that texted JOIN is anybody: it is told what the public feeds tell and no more, while a subscriber the
 * operator or an account vouches for keeps the alert tier's counts and signals, except a cluster's count where the
 * subscriber is not told of every area of its zone.
 */
class PublicSubscriberTest {
    private static final String JOINED = "+14165550199";
    private static final String VOUCHED = "+14165550100";

    @TempDir
    Path dir;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final List<String> texts = new CopyOnWriteArrayList<>();
    private final DispatcherTest.MovableClock clock = new DispatcherTest.MovableClock(
            Instant.ofEpochMilli(Steps.WINDOW_START + 7 * Steps.HOUR));
    private final SmsSender sms = new SmsSender((to, text) -> texts.add(to + " " + text));
    private NotifierStore store;

    @AfterEach
    void close() {
        store.close();
        pool.shutdownNow();
    }

    @Test
    void aNumberThatTextedJoinIsToldOnlyPublicAlertsOfAtLeastKAndNoCount() throws Exception {
        Dispatcher d = dispatcher("""
                {"subscribers": [{"id": "team", "name": "Team", "areas": ["073"],
                  "channels": [{"sms": "%s"}]}]}""".formatted(VOUCHED), joined(), sms, 60);

        Alert small = Steps.alert("s1", "opened", "moderate", null);
        d.dispatch(AlertStep.of(small, AlertStep.Kind.OPENED, Severity.MODERATE));
        Alert combined = Alert.newBuilder(Steps.alert("s2", "opened", "high", 7)).setSignal("combined").build();
        d.dispatch(AlertStep.of(combined, AlertStep.Kind.OPENED, Severity.HIGH));
        assertEquals(List.of(
                VOUCHED + " Lookout moderate alert: paramedic calls for overdoses up in Moss Park (fewer than 5 in 6"
                        + " hours). Don't use alone. http://localhost:8080/alerts",
                VOUCHED + " Lookout high alert: more overdoses than usual in Moss Park since Mon. 2 Nov., 8 p.m. (7 in"
                        + " 6 hours). Don't use alone. http://localhost:8080/alerts"), texts,
                "an alert of fewer than k events and one of the combined signal reach the vouched-for number alone");

        texts.clear();
        d.dispatch(AlertStep.of(Steps.alert("s1", "opened", "moderate", 5), AlertStep.Kind.COUNTED, Severity.MODERATE));
        d.dispatch(AlertStep.of(Steps.alert("s3", "opened", "moderate", 6), AlertStep.Kind.OPENED, Severity.MODERATE));
        String opening = JOINED + " Lookout moderate alert since Mon. 2 Nov., 8 p.m.: more paramedic calls for"
                + " overdoses than usual in Moss Park. Don't use alone. http://localhost:8080/alerts";
        assertEquals(List.of(
                VOUCHED + " Lookout moderate alert: paramedic calls for overdoses up in Moss Park (6 in 6 hours)."
                        + " Don't use alone. http://localhost:8080/alerts", opening, opening), sorted(texts),
                "once it counts k the alert reaches the joined number as an opening without its count");

        texts.clear();
        for (String spike : List.of("s1", "s2", "s3")) {
            Alert closed = Steps.alert(spike, "closed", "moderate", 5);
            d.dispatch(AlertStep.of(spike.equals("s2") ? Alert.newBuilder(closed).setSignal("combined").build()
                    : closed, AlertStep.Kind.CLOSED, Severity.MODERATE));
        }
        assertEquals(5, texts.size(), String.join("\n", texts));
        assertEquals(2, texts.stream().filter(t -> t.startsWith(JOINED + " Lookout all-clear")).count(), "s1 and s3");
    }

    @Test
    void aSubscriberToPartOfAClustersZoneIsToldItWithoutTheCount() throws Exception {
        Map<String, Integer> countsGiven = new java.util.concurrent.ConcurrentHashMap<>();
        Sender recording = (channel, message, step, subscriber) -> {
            // What a webhook's fields would carry beside the words.
            countsGiven.put(channel.address(), step.observed() == null ? -1 : step.observed());
            sms.send(channel, message, step, subscriber);
        };
        Dispatcher d = dispatcher("""
                {"subscribers": [{"id": "part", "name": "Part", "areas": ["073"], "channels": [{"sms": "%s"}]},
                  {"id": "whole", "name": "Whole", "areas": ["073", "074"], "channels": [{"sms": "%s"}]}]}"""
                .formatted(JOINED, VOUCHED), ManagedSubscribers.open(dir.resolve("managed")), recording, 60);
        Alert cluster = Alert.newBuilder(Steps.alert("c1", "opened", "high", 14)).setMethod(AlertStep.CLUSTER_METHOD)
                .setEvidence("{\"areas\":[\"073\",\"074\"]}").build();
        d.dispatch(AlertStep.of(cluster, AlertStep.Kind.OPENED, Severity.HIGH));
        assertEquals(2, texts.size(), String.join("\n", texts));
        for (String text : texts) {
            assertEquals(text.startsWith(VOUCHED), text.contains("(14 in 6 hours)"), text);
        }
        assertEquals(Map.of(VOUCHED, 14, JOINED, -1), countsGiven, "the step handed to the sender has no count either");
    }

    /**
     * An opening held by the rate limit when its alert closes is dropped, for a number that texted JOIN too: sent
     * later, it would tell of an alert already over, whose all-clear the number never gets.
     */
    @Test
    void anOpeningHeldWhenItsAlertClosesIsNeverSentToAJoinedNumber() throws Exception {
        Dispatcher d = dispatcher("{\"subscribers\": []}", joined(), sms, 1);
        d.dispatch(AlertStep.of(Steps.alert("s1", "opened", "moderate", 6), AlertStep.Kind.OPENED, Severity.MODERATE));
        AlertStep second = AlertStep.of(Steps.alert("s2", "opened", "moderate", 7), AlertStep.Kind.OPENED,
                Severity.MODERATE);
        d.dispatch(second);
        assertEquals(1, texts.size(), "the second opening is held by the rate limit of 1 an hour");
        AlertStep closed = AlertStep.of(Steps.alert("s2", "closed", "moderate", 7), AlertStep.Kind.CLOSED,
                Severity.MODERATE);
        d.dispatch(closed);
        clock.advance(Duration.ofHours(2));
        d.releaseDue(List.of(second, closed));
        assertEquals(1, texts.size(), String.join("\n", texts));
    }

    /** A dispatcher to the subscribers file {@code subscribers} (JSON) and {@code managed}, sending by {@code sms}. */
    private Dispatcher dispatcher(String subscribers, ManagedSubscribers managed, Sender sms, int ratePerHour)
            throws Exception {
        Path file = Files.writeString(dir.resolve("subscribers.json"), subscribers);
        store = NotifierStore.open(dir.resolve("store"), Assertions::fail);
        return new Dispatcher(Subscriptions.open(file, managed), store, Steps.messages(), Steps.NAMES,
                Map.of(Channel.Kind.SMS, sms), pool, clock, Steps.TORONTO, 5, Duration.ofMillis(20), ratePerHour);
    }

    private ManagedSubscribers joined() {
        ManagedSubscribers managed = ManagedSubscribers.open(dir.resolve("managed"));
        managed.joinSms(JOINED, "073", "en");
        return managed;
    }

    private static List<String> sorted(List<String> texts) {
        return texts.stream().sorted().toList();
    }
}
