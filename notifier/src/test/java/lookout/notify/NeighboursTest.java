package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.UsageException;

/** "This area and its neighbours": adjacency read from the published snapshot's {@code area_neighbours}. */
class NeighboursTest {
    private static final Map<String, String> NAMES = Map.of("073", "Moss Park", "074", "North St.James Town",
            "075", "Church-Wellesley");

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private NotifierStore store;

    @AfterEach
    void close() {
        pool.shutdownNow();
        if (store != null) {
            store.close();
        }
    }

    @Test
    void neighboursComeFromTheSnapshotAndASnapshotWithoutTheTableIsToldOnceUntilOneWithItReplacesIt() throws Exception {
        Path published = PublishedDb.withAreas(dir.resolve("lookout.duckdb"), NAMES);
        List<String> warnings = new ArrayList<>();
        AreaNeighbours neighbours = AreaNeighbours.fromSnapshot(published, warnings::add);
        assertEquals(Set.of(), neighbours.of("074"));
        assertEquals(Set.of(), neighbours.of("073"));
        assertEquals(List.of("the snapshot " + published + " has no area_neighbours table yet: subscriptions to an area"
                + " and its neighbours are told of the area itself until the job publishes it"), warnings);

        Path next = PublishedDb.withNeighbours(dir.resolve("next.duckdb"), NAMES, List.of("073-074", "074-075"));
        Files.move(next, published, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals(Set.of("073", "075"), neighbours.of("074"));
        assertEquals(Set.of("074"), neighbours.of("073"));
        assertEquals(1, warnings.size());
    }

    @Test
    void aSubscriptionToAnAreaAndItsNeighboursIsToldOfAnAlertNextDoorAndOneToTheAreaAloneIsNot() throws Exception {
        try (Receiver withNeighbours = new Receiver(); Receiver alone = new Receiver()) {
            Path subscribers = Files.writeString(dir.resolve("subscribers.json"), "{\"subscribers\": ["
                    + "{\"id\": \"north\", \"name\": \"N\", \"channels\": [{\"webhook\": \"" + withNeighbours.url("/n")
                    + "\"}], \"areas\": [{\"area\": \"074\", \"neighbours\": true}]},"
                    + "{\"id\": \"alone\", \"name\": \"A\", \"channels\": [{\"webhook\": \"" + alone.url("/a")
                    + "\"}], \"areas\": [\"074\", {\"area\": \"075\", \"neighbours\": false}]}]}");
            store = NotifierStore.open(dir.resolve("store"), Assertions::fail);
            AreaNeighbours neighbours = AreaNeighbours.fromSnapshot(
                    PublishedDb.withNeighbours(dir.resolve("lookout.duckdb"), NAMES, List.of("073-074")), w -> {});
            Messages messages = Steps.messages();
            Dispatcher d = new Dispatcher(Subscriptions.open(subscribers), store, messages, Steps.NAMES,
                    Map.of(Channel.Kind.WEBHOOK, new WebhookSender(messages, Steps.NAMES)), pool,
                    Clock.fixed(Instant.parse("2026-11-03T17:00:00Z"), ZoneOffset.UTC), Steps.TORONTO, 3,
                    Duration.ofMillis(10), 6, neighbours, NotifierConfig.DEFAULT_DIGEST_TIME);
            d.dispatch(Steps.opened("s1"));
            assertEquals(1, withNeighbours.requests().size(), "Moss Park (073) borders North St.James Town (074)");
            assertEquals(0, alone.requests().size());
        }
    }

    @Test
    void neighboursWithoutASnapshotStopTheNotifierWithOneLine() throws Exception {
        Path subscribers = Files.writeString(dir.resolve("subscribers.json"), "{\"subscribers\": [{\"id\": \"north\","
                + " \"name\": \"N\", \"channels\": [{\"sms\": \"+14165550100\"}], \"areas\": [{\"area\": \"074\","
                + " \"neighbours\": true}]}]}");
        NotifierConfig config = NotifierConfig.fromMap(Map.of("kafka.bootstrap", "127.0.0.1:9",
                "subscriptions", subscribers.toString(), "store", dir.resolve("store").toString()));
        String message = assertThrows(UsageException.class,
                () -> Notifier.start(config, Clock.systemUTC(), System.out)).getMessage();
        assertEquals("subscriber north asks for the neighbours of an area, but no snapshot is configured to read them"
                + " from (set `snapshot` to the job's published db)", message);
    }

    @Test
    void anAreaObjectNeedsAnAreaIdAndATrueOrFalseNeighbours() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.json"), "{\"subscribers\": [{\"id\": \"a\", \"name\": \"A\","
                + " \"channels\": [{\"sms\": \"+14165550100\"}], \"areas\": [{\"area\": \"074\", \"neighbours\": \"yes\"}]}]}");
        assertEquals("subscriptions file " + file + ": subscriber 1 (a): an area with its neighbours is {\"area\": ID,"
                + " \"neighbours\": true}", assertThrows(UsageException.class, () -> Subscriptions.parse(file)).getMessage());
        Files.writeString(file, "{\"subscribers\": [{\"id\": \"a\", \"name\": \"A\", \"channels\": [{\"sms\":"
                + " \"+14165550100\"}], \"areas\": [{\"area\": \"074\", \"radius\": 2}]}]}");
        assertEquals("subscriptions file " + file + ": subscriber 1 (a): unknown field \"radius\" in an area (known:"
                + " area, neighbours)", assertThrows(UsageException.class, () -> Subscriptions.parse(file)).getMessage());
    }
}
