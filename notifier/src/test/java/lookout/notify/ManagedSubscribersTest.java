package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.Severity;
import lookout.kernel.UsageException;

class ManagedSubscribersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("store").resolve(ManagedSubscribers.FILE);
    }

    @Test
    void anOwnersSubscriptionIsAddedChangedAndDeletedAndEveryChangeIsOnDiskAndSeenAtOnce() throws Exception {
        Path subscribersFile = Files.writeString(dir.resolve("subscribers.json"), SubscriptionsTest.EXAMPLE);
        ManagedSubscribers managed = ManagedSubscribers.open(dir.resolve("store"));
        Subscriptions subscriptions = Subscriptions.open(subscribersFile, managed);
        assertEquals(2, subscriptions.current().size());

        Subscriber otto = managed.putForOwner("otto", JSON.readTree("""
                {"name": "otto", "channels": [{"email": "otto@outreach.example.org"}, {"sms": "+14165550177"}],
                 "areas": ["073"], "min_severity": "high", "quiet_hours": {"from": "23:00", "to": "07:00"}}"""));
        assertTrue(otto.id().matches("sub-[0-9a-f]{12}"), otto.id());
        assertEquals(List.of(otto.id() + "/email1", otto.id() + "/sms1"), otto.channels().stream().map(Channel::id).toList());
        assertEquals(3, subscriptions.current().size(), "the dispatcher's next look sees the new subscriber");
        assertTrue(Files.readString(file()).contains("otto@outreach.example.org"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file())));

        Subscriber moved = managed.putForOwner("otto", JSON.readTree("""
                {"name": "otto", "channels": [{"email": "otto@outreach.example.org"}, {"sms": "+14165550177"}],
                 "areas": ["073", "074"], "min_severity": "high"}"""));
        assertEquals(otto.id(), moved.id(), "a change that keeps every address keeps the subscriber's id");
        Subscriber changed = managed.putForOwner("otto", JSON.readTree("""
                {"name": "otto", "language": "fr", "channels": [{"sms": "+14165550177"}], "areas": ["073", "074"]}"""));
        assertNotEquals(otto.id(), changed.id(), "one that takes an address away gives the subscriber a new id");
        assertEquals(3, subscriptions.current().size(), "under which it replaces the old");
        assertEquals("fr", subscriptions.current().get(2).language());
        assertFalse(Files.readString(file()).contains("otto@outreach.example.org"), "the replaced email is gone");

        ManagedSubscribers reopened = ManagedSubscribers.open(dir.resolve("store"));
        assertEquals(List.of(changed), reopened.list(), "the store reads back what it wrote");
        assertEquals(Set.of("073", "074"), reopened.ofOwner("otto").orElseThrow().areas());

        assertTrue(managed.deleteOwner("otto"));
        assertFalse(managed.deleteOwner("otto"));
        assertEquals(2, subscriptions.current().size());
        String left = Files.readString(file());
        assertFalse(left.contains("4165550177") || left.contains("otto"), left);
        assertEquals(List.of(ManagedSubscribers.FILE), List.of(dir.resolve("store").toFile().list()),
                "no copy of the old file is left beside it");
    }

    /** Only a dashboard account's subscriber has the notifications page to go to: not an SMS one, not the file's. */
    @Test
    void onlyAnOwnersSubscriberIsKeptByAnAccount() throws Exception {
        ManagedSubscribers managed = ManagedSubscribers.open(dir.resolve("store"));
        Subscriber otto = managed.putForOwner("otto", JSON.readTree("""
                {"name": "otto", "channels": [{"email": "otto@outreach.example.org"}], "areas": ["073"]}"""));
        Subscriber texted = managed.joinSms("+14165550177", "073", "en");
        assertTrue(managed.keptByAccount(otto.id()));
        assertFalse(managed.keptByAccount(texted.id()));
        assertFalse(managed.keptByAccount("moss-park-outreach"), "an id of the subscribers file");
        assertTrue(ManagedSubscribers.open(dir.resolve("store")).keptByAccount(otto.id()), "the owner is kept on disk");
        assertTrue(managed.deleteOwner("otto"));
        assertFalse(managed.keptByAccount(otto.id()));
    }

    /**
     * The delivery log knows a channel by its id: a new address under the id of one told of an open alert would never
     * be told of it, yet would get its all-clear. A new address therefore comes under a new subscriber id, and an added
     * one under the same unless it takes the place of another.
     */
    @Test
    void aChangedAddressComesUnderANewIdAndAnAddedOneUnderTheSame() throws Exception {
        ManagedSubscribers managed = ManagedSubscribers.open(dir.resolve("store"));
        Subscriber first = managed.putForOwner("otto", JSON.readTree("""
                {"name": "otto", "channels": [{"email": "otto@outreach.example.org"}], "areas": ["073"]}"""));
        Subscriber added = managed.putForOwner("otto", JSON.readTree("""
                {"name": "otto", "channels": [{"email": "otto@outreach.example.org"}, {"sms": "+14165550177"}],
                 "areas": ["073"]}"""));
        assertEquals(List.of(first.id() + "/email1", first.id() + "/sms1"), added.channels().stream().map(Channel::id)
                .toList(), "the new phone is a channel the log has no record of; the email keeps its record");
        Subscriber readdressed = managed.putForOwner("otto", JSON.readTree("""
                {"name": "otto", "channels": [{"email": "otto@harm-reduction.example.org"}, {"sms": "+14165550177"}],
                 "areas": ["073"]}"""));
        assertNotEquals(first.id(), readdressed.id());
        assertEquals(List.of(readdressed), managed.list(), "the old id is gone with the old address");
        assertEquals(readdressed, managed.ofOwner("otto").orElseThrow());
        Subscriber putFirst = managed.putForOwner("otto", JSON.readTree("""
                {"name": "otto", "channels": [{"email": "otto@new.example.org"},
                 {"email": "otto@harm-reduction.example.org"}, {"sms": "+14165550177"}], "areas": ["073"]}"""));
        assertNotEquals(readdressed.id(), putFirst.id(), "a new address before one of its kind takes its email1");
    }

    @Test
    void aBadSubscriptionIsRefusedNamingTheFieldAndChangesNothing() throws Exception {
        ManagedSubscribers managed = ManagedSubscribers.open(dir.resolve("store"));
        UsageException e = assertThrows(UsageException.class, () -> managed.putForOwner("otto", JSON.readTree("""
                {"name": "otto", "channels": [{"sms": "4165550177"}], "areas": ["073"]}""")));
        assertTrue(e.getMessage().endsWith("channel 1: sms must be a number in international form, like +14165550100"),
                e.getMessage());
        assertFalse(e.getMessage().contains("4165550177"));
        assertEquals("the subscription's id is given by the notifier, not the request", assertThrows(UsageException.class,
                () -> managed.putForOwner("otto", JSON.readTree("{\"id\": \"x\"}"))).getMessage());
        assertEquals(List.of(), managed.list());
        assertFalse(Files.exists(file()));
    }

    @Test
    void smsJoinsAddAreasAndStopDeletesTheNumberFromTheStoreAndStopsTheFilesChannel() throws Exception {
        Path subscribersFile = Files.writeString(dir.resolve("subscribers.json"), SubscriptionsTest.EXAMPLE);
        ManagedSubscribers managed = ManagedSubscribers.open(dir.resolve("store"));
        Subscriptions subscriptions = Subscriptions.open(subscribersFile, managed);

        Subscriber joined = managed.joinSms("+14165550123", "073", "en");
        assertEquals(Set.of("073"), joined.areas());
        Subscriber again = managed.joinSms("+14165550123", "074", "fr");
        assertEquals(joined.id(), again.id());
        assertEquals(Set.of("073", "074"), again.areas());
        assertEquals("fr", again.language());
        assertTrue(again.wants("074", "naloxone", Severity.LOW));
        assertTrue(managed.joinSms("+14165550123", null, "fr").allAreas(), "JOIN ALL makes it every area");
        assertTrue(managed.joinSms("+14165550123", "073", "fr").allAreas(), "an area after ALL keeps ALL");
        managed.putForOwner("otto", JSON.readTree("""
                {"name": "otto", "channels": [{"email": "otto@outreach.example.org"}, {"sms": "+14165550123"}],
                 "areas": ["073"]}"""));
        assertEquals(4, subscriptions.current().size());

        assertEquals(2, managed.stopSms("+14165550123", subscriptions.fileSubscribers()));
        String left = Files.readString(file());
        assertFalse(left.contains("4165550123"), left);
        assertEquals(List.of("otto"), List.of(managed.ofOwner("otto").orElseThrow().name()),
                "otto keeps the email channel");
        assertEquals(1, managed.list().size());

        // The file's subscriber with +14165550100 texts STOP: their SMS channel gets nothing more, the rest stays.
        assertEquals(1, managed.stopSms("+14165550100", subscriptions.fileSubscribers()));
        Subscriber mossPark = subscriptions.current().get(0);
        assertEquals(List.of("moss-park-outreach/email1", "moss-park-outreach/webhook1", "moss-park-outreach/email2"),
                mossPark.channels().stream().map(Channel::id).toList());
        assertEquals(List.of("+14165550100"), stoppedNumbers());
        assertEquals(0, managed.stopSms("+14165550100", subscriptions.fileSubscribers()), "a second STOP changes nothing");

        // The operator removes the number from the file: the stop is done and forgotten.
        Files.writeString(subscribersFile, SubscriptionsTest.EXAMPLE.replace("{\"sms\": \"+14165550100\"}, ", ""));
        Files.setLastModifiedTime(subscribersFile, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        managed.stopSms("+19999999999", subscriptions.fileSubscribers());
        assertEquals(List.of(), stoppedNumbers());
    }

    private List<String> stoppedNumbers() throws Exception {
        List<String> numbers = new ArrayList<>();
        JSON.readTree(file().toFile()).path("stopped_numbers").forEach(n -> numbers.add(n.asText()));
        return numbers;
    }

    /**
     * A STOP sticks to the number: the operator adds a colleague's number before it in the file, so the channel's
     * position (its id) now belongs to the colleague, who still gets alerts, and the stopped number gets none.
     */
    @Test
    void aStopSticksToTheNumberWhenTheOperatorEditsTheFile() throws Exception {
        Path subscribersFile = Files.writeString(dir.resolve("subscribers.json"), SubscriptionsTest.EXAMPLE);
        ManagedSubscribers managed = ManagedSubscribers.open(dir.resolve("store"));
        Subscriptions subscriptions = Subscriptions.open(subscribersFile, managed);
        assertEquals(1, managed.stopSms("+14165550100", subscriptions.fileSubscribers()));
        Files.writeString(subscribersFile, SubscriptionsTest.EXAMPLE.replace("{\"sms\": \"+14165550100\"}",
                "{\"sms\": \"+14165550177\"}, {\"sms\": \"+14165550100\"}"));
        Files.setLastModifiedTime(subscribersFile, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Subscriber mossPark = subscriptions.current().get(0);
        assertEquals(List.of("moss-park-outreach/email1", "moss-park-outreach/webhook1", "moss-park-outreach/sms1",
                "moss-park-outreach/email2"), mossPark.channels().stream().map(Channel::id).toList());
        assertEquals("+14165550177", mossPark.channels().get(2).address(), "the new colleague is not silenced");
        ManagedSubscribers reopened = ManagedSubscribers.open(dir.resolve("store"));
        assertEquals(List.of("moss-park-outreach/email1", "moss-park-outreach/webhook1", "moss-park-outreach/sms1",
                "moss-park-outreach/email2"), Subscriptions.open(subscribersFile, reopened).current().get(0).channels()
                .stream().map(Channel::id).toList(), "the stop is kept across a restart");
    }

    /** A store written when stops were kept as channel ids: each becomes the number the channel has. */
    @Test
    void aStopKeptAsAChannelIdByAnEarlierVersionBecomesItsNumber() throws Exception {
        Path subscribersFile = Files.writeString(dir.resolve("subscribers.json"), SubscriptionsTest.EXAMPLE);
        Files.createDirectories(dir.resolve("store"));
        Files.writeString(file(), "{\"subscribers\": [], \"stopped_channels\": [\"moss-park-outreach/sms1\"]}");
        ManagedSubscribers managed = ManagedSubscribers.open(dir.resolve("store"));
        Subscriptions subscriptions = Subscriptions.open(subscribersFile, managed);
        assertEquals(3, subscriptions.current().get(0).channels().size());
        managed.joinSms("+14165550123", "073", "en");
        assertEquals(List.of("+14165550100"), stoppedNumbers());
    }
}
