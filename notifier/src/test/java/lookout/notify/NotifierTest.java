package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.UsageException;
import lookout.schema.Alert;

/** What the notifier does with the alerts it reads, given to it as the poll does, without a broker. */
class NotifierTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private Notifier open(Receiver receiver) throws Exception {
        return open(receiver, "store", "www/feed");
    }

    private Notifier open(Receiver receiver, String store, String feedDir) throws Exception {
        return open(receiver, store, feedDir, Steps.clockAtTheAlerts());
    }

    /** A notifier with its store and feed directory at these paths under the test's directory. */
    private Notifier open(Receiver receiver, String store, String feedDir, Clock clock) throws Exception {
        Path subscribers = Files.writeString(dir.resolve("subscribers.json"), "{\"subscribers\": [{\"id\": \"desk\","
                + " \"name\": \"Desk\", \"channels\": [{\"webhook\": \"" + receiver.url("/hook") + "\"}],"
                + " \"areas\": \"ALL\"}]}");
        NotifierConfig config = NotifierConfig.fromMap(Map.of("kafka.bootstrap", "127.0.0.1:9",
                "subscriptions", subscribers.toString(), "store", dir.resolve(store).toString(),
                "feed.dir", dir.resolve(feedDir).toString()));
        return Notifier.open(config, clock, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                false);
    }

    /** The files under the test's directory, relative to it, but the store's and the feed directory's lock. */
    private List<String> files() throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .filter(p -> !p.startsWith("store/") && !p.equals("www/feed/.lock")).sorted().toList();
        }
    }

    @Test
    void anAlertWhoseSpikeIdIsAPathIsSkippedWithOneLineAndTheNotifierGoesOn() throws Exception {
        try (Receiver receiver = new Receiver()) {
            try (Notifier notifier = open(receiver)) {
                notifier.process(Steps.alert("../../escaped", "opened", "moderate", 9));
                notifier.process(Steps.alert("a/b", "opened", "moderate", 9));
                assertEquals("notify: skipped an alert whose spike_id is not an id the job makes\n".repeat(2),
                        out.toString(StandardCharsets.UTF_8));
                assertEquals(List.of("subscribers.json", "www/feed/alerts.atom"), files(),
                        "the feed, empty, and nothing of these alerts");
                assertEquals(0, receiver.requests().size());
                assertEquals(List.of(), notifier.store().steps());
                notifier.process(Steps.alert("0f1e2d3c-0000-4000-8000-000000000001", "opened", "moderate", 9));
                assertEquals(1, receiver.requests().size());
            }
            assertEquals(List.of("subscribers.json", "www/feed/alerts.atom",
                    "www/feed/cap/lookout-0f1e2d3c-0000-4000-8000-000000000001-opened.xml"), files());
        }
    }

    /**
     * A step older than {@code news.within} (48 hours) by the notifier's clock, from a job catching up on a backlog,
     * is journaled and published in the feeds but sent to nobody not told of its alert before; a step of the last 48
     * hours goes.
     */
    @Test
    void aStepOlderThanNewsWithinIsJournaledAndPublishedButSentToNobody() throws Exception {
        Clock twoDaysLater = Clock.offset(Steps.clockAtTheAlerts(), Duration.ofHours(48));
        try (Receiver receiver = new Receiver();
                Notifier notifier = open(receiver, "store", "www/feed", twoDaysLater)) {
            notifier.process(Steps.alert("old", "opened", "moderate", 9));
            assertEquals(0, receiver.requests().size(), "49 hours old: no news");
            assertEquals(List.of(Steps.opened("old")), notifier.store().steps());
            assertTrue(Files.exists(dir.resolve("www/feed/cap/lookout-old-opened.xml")), "in the public feed");
            assertEquals("notify: alert old opened (area 073, paramedic, moderate), at "
                    + Instant.ofEpochMilli(Steps.WINDOW_START + 6 * Steps.HOUR) + ", older than news.within: sent only"
                    + " to those told of it before\n", out.toString(StandardCharsets.UTF_8));
            Alert recent = Steps.alert("recent", "opened", "moderate", 9);
            recent.setUpdatedAt(recent.getUpdatedAt() + 2 * Steps.HOUR);
            notifier.process(recent);
            assertEquals(1, receiver.requests().size(), "47 hours old: news");
        }
    }

    @Test
    void aSecondNotifierOnTheSameStoreStopsWithOneLineAndOneMayStartOnceTheFirstHasStopped() throws Exception {
        try (Receiver receiver = new Receiver()) {
            try (Notifier first = open(receiver)) {
                UsageException refused = assertThrows(UsageException.class, () -> open(receiver));
                assertEquals("the notifier's store " + dir.resolve("store") + " is in use by another notifier; stop"
                        + " it first", refused.getMessage());
                first.process(Steps.alert("0f1e2d3c-0000-4000-8000-000000000001", "opened", "moderate", 9));
            }
            try (Notifier second = open(receiver)) {
                assertEquals(1, second.store().steps().size(), "the first one's journal, read by the next");
            }
            assertEquals(1, receiver.requests().size());
        }
    }

    @Test
    void aSecondNotifierOnTheSameFeedDirectoryStopsWithOneLineAndItsPrivateFilesMayNotBeInsideIt() throws Exception {
        try (Receiver receiver = new Receiver()) {
            try (Notifier first = open(receiver)) {
                UsageException refused = assertThrows(UsageException.class, () -> open(receiver, "other", "www/feed"));
                assertEquals("feed.dir " + dir.resolve("www/feed") + " is in use by another notifier; stop it first",
                        refused.getMessage());
                first.process(Steps.alert("0f1e2d3c-0000-4000-8000-000000000001", "opened", "moderate", 9));
            }
            try (Notifier second = open(receiver, "other", "www/feed")) {
                assertEquals(List.of(), second.store().steps(), "a store of its own, once the first has stopped");
            }
            UsageException inside = assertThrows(UsageException.class, () -> open(receiver, "www/store", "www"));
            assertEquals("config: store = '" + dir.resolve("www/store") + "' is inside feed.dir = '" + dir.resolve("www")
                    + "', which is published: put it elsewhere", inside.getMessage());
            assertFalse(Files.exists(dir.resolve("www/store")), "refused before the store was created");
            Files.createSymbolicLink(dir.resolve("linked"), dir.resolve("www"));
            UsageException linked = assertThrows(UsageException.class, () -> open(receiver, "linked/store", "www"));
            assertEquals("config: store = '" + dir.resolve("linked/store") + "' is inside feed.dir = '"
                    + dir.resolve("www") + "', which is published: put it elsewhere", linked.getMessage());
            UsageException subscribers = assertThrows(UsageException.class, () -> open(receiver, "other", ""));
            assertEquals("config: subscriptions = '" + dir.resolve("subscribers.json") + "' is inside feed.dir = '"
                    + dir + "', which is published: put it elsewhere", subscribers.getMessage());
        }
    }

    /** A journal written before ids were checked may hold such a step: the notifier still starts. */
    @Test
    void aJournaledStepWhoseSpikeIdIsAPathGetsNoFeedFileAndTheNotifierStarts() throws Exception {
        try (NotifierStore store = NotifierStore.open(dir.resolve("store"), Assertions::fail)) {
            store.addStep(Steps.opened("../../escaped"));
            store.addStep(Steps.opened("s1"));
        }
        try (Receiver receiver = new Receiver(); Notifier notifier = open(receiver)) {
            assertEquals(List.of("subscribers.json", "www/feed/alerts.atom", "www/feed/cap/lookout-s1-opened.xml"),
                    files());
            String atom = Files.readString(dir.resolve("www/feed/alerts.atom"));
            assertTrue(atom.contains("lookout-s1-opened.xml"), atom);
            assertFalse(atom.contains("escaped"), atom);
        }
    }
}
