package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.Severity;
import lookout.kernel.UsageException;

class SubscriptionsTest {
    @TempDir
    Path dir;

    static final String EXAMPLE = """
            {"subscribers": [
              {"id": "moss-park-outreach", "name": "Moss Park outreach", "language": "fr",
               "channels": [{"email": "lead@example.org"}, {"webhook": "https://chat.example.org/hooks/x", "kind": "slack"},
                            {"sms": "+14165550100"}, {"email": "second@example.org"}],
               "areas": ["073", "074"], "signals": ["paramedic", "multi"], "min_severity": "moderate",
               "immediate": true, "quiet_hours": {"from": "23:00", "to": "07:00"}},
              {"id": "city-desk", "name": "City desk", "channels": [{"webhook": "http://127.0.0.1:9/x"}], "areas": "ALL"}
            ]}
            """;

    private Path write(String json) throws Exception {
        return Files.writeString(dir.resolve("subscribers.json"), json);
    }

    @Test
    void theDocumentedFormatReadsWithDefaultsForWhatIsLeftOut() throws Exception {
        List<Subscriber> list = Subscriptions.parse(write(EXAMPLE));
        Subscriber s = list.get(0);
        assertEquals("moss-park-outreach", s.id());
        assertEquals("fr", s.language());
        assertEquals(List.of("moss-park-outreach/email1", "moss-park-outreach/webhook1", "moss-park-outreach/sms1",
                "moss-park-outreach/email2"), s.channels().stream().map(Channel::id).toList());
        assertEquals(Channel.WebhookKind.SLACK, s.channels().get(1).webhookKind());
        assertEquals(Set.of("073", "074"), s.areas());
        assertEquals(new QuietHours(LocalTime.of(23, 0), LocalTime.of(7, 0)), s.quietHours());
        assertTrue(s.wants("073", "paramedic", Severity.MODERATE));
        assertFalse(s.wants("073", "paramedic", Severity.LOW));
        assertFalse(s.wants("073", "naloxone", Severity.HIGH));
        assertFalse(s.wants("075", "paramedic", Severity.HIGH));

        Subscriber all = list.get(1);
        assertEquals("en", all.language());
        assertTrue(all.allAreas());
        assertTrue(all.immediate());
        assertNull(all.quietHours());
        assertEquals(Channel.WebhookKind.GENERIC, all.channels().get(0).webhookKind());
        assertTrue(all.wants("999", "naloxone", Severity.LOW));
    }

    @Test
    void aSubscriberNeverPrintsAnAddress() throws Exception {
        Subscriber s = Subscriptions.parse(write(EXAMPLE)).get(0);
        assertFalse(s.toString().contains("@"));
        assertEquals("moss-park-outreach/email1", s.channels().get(0).toString());
    }

    @Test
    void badFilesStopWithOneLineThatNamesTheSubscriberAndFieldButNoAddress() throws Exception {
        assertEquals("subscriptions file " + dir.resolve("subscribers.json") + ": subscriber 1 (a), channel 1: email is"
                + " not an address like name@example.org", error("""
                {"subscribers": [{"id": "a", "name": "A", "channels": [{"email": "secret-but-bad"}], "areas": "ALL"}]}"""));
        assertTrue(error("""
                {"subscribers": [{"id": "a", "name": "A", "channels": [{"sms": "6475550199"}], "areas": "ALL"}]}""")
                .endsWith("subscriber 1 (a), channel 1: sms must be a number in international form, like +14165550100"));
        assertTrue(error("""
                {"subscribers": [{"id": "a", "name": "A", "channels": [{"webhook": "ftp://secret"}], "areas": "ALL"}]}""")
                .endsWith("channel 1: webhook is not an http(s) URL"));
        assertTrue(error("""
                {"subscribers": [{"id": "a", "name": "A", "channels": [{"webhook": "http://h/x", "kind": "discord"}], "areas": "ALL"}]}""")
                .endsWith("channel 1: kind must be generic, slack or teams"));
        assertTrue(error("""
                {"subscribers": [{"id": "Jane Doe", "name": "A", "channels": [{"sms": "+14165550100"}], "areas": "ALL"}]}""")
                .endsWith("subscriber 1: id must be 1 to 64 lower-case letters, digits, - or _ (a code, not a name: it appears in the delivery log)"));
        assertTrue(error("""
                {"subscribers": [{"id": "a", "name": "A", "channels": [{"sms": "+14165550100"}], "areas": "073"}]}""")
                .endsWith("subscriber 1 (a): areas must be \"ALL\" or a non-empty array of area ids"));
        assertTrue(error("""
                {"subscribers": [{"id": "a", "name": "A", "channels": [{"sms": "+14165550100"}], "areas": "ALL", "signals": ["fentanyl"]}]}""")
                .endsWith("unknown signal 'fentanyl' (known: paramedic, coroner, naloxone, drug_checking, combined, multi)"));
        assertTrue(error("""
                {"subscribers": [{"id": "a", "name": "A", "channels": [{"sms": "+14165550100"}], "areas": "ALL", "language": "de"}]}""")
                .endsWith("language must be one of en, fr"));
        assertTrue(error("""
                {"subscribers": [{"id": "a", "name": "A", "channels": [{"sms": "+14165550100"}], "areas": "ALL", "quiet_hours": {"from": "7pm"}}]}""")
                .endsWith("quiet_hours must be {\"from\": \"HH:MM\", \"to\": \"HH:MM\"} with two different times"));
        assertTrue(error("""
                {"subscribers": [{"id": "a", "name": "A", "channels": [{"sms": "+14165550100"}], "areas": "ALL", "neighbours": true}]}""")
                .contains("unknown field \"neighbours\""));
        assertTrue(error("""
                {"subscribers": [{"id": "a", "name": "A", "channels": [{"sms": "+14165550100"}], "areas": "ALL"},
                                 {"id": "a", "name": "B", "channels": [{"sms": "+14165550101"}], "areas": "ALL"}]}""")
                .endsWith("subscriber id 'a' appears twice"));
        assertTrue(error("{\"subscribers\": [").contains("is not valid JSON (line 1)"));
        assertTrue(error("[]").endsWith("must be an object with a \"subscribers\" array"));
    }

    /** An address the file accepts is one sending takes: a quote or a comment in it is refused at once. */
    @Test
    void anEmailThatSendingWouldRefuseIsRefusedWhenTheFileIsRead() throws Exception {
        for (String address : List.of("a\\\"b@example.org", "a(b)@example.org", "Jane <jane@example.org>",
                "lead\u200b@example.org", "lead\u202egro.elpmaxe@evil.example", "lead@ex\u00e4mple.org",
                "x".repeat(250) + "@example.org", "lead@example")) {
            assertTrue(error("{\"subscribers\": [{\"id\": \"a\", \"name\": \"A\", \"channels\": [{\"email\": \""
                    + address + "\"}], \"areas\": \"ALL\"}]}")
                    .endsWith("subscriber 1 (a), channel 1: email is not an address like name@example.org"), address);
        }
        assertTrue(EmailSender.isAddress("jane.doe+alerts@example.org"));
        assertEquals(List.of("jane.doe+alerts@xn--exmple-cua.org"),
                Subscriptions.parse(write("{\"subscribers\": [{\"id\":"
                + " \"a\", \"name\": \"A\", \"channels\": [{\"email\": \"jane.doe+alerts@xn--exmple-cua.org\"}],"
                + " \"areas\": \"ALL\"}]}")).get(0).channels().stream().map(Channel::address).toList(),
                "an accented domain in its xn-- form");
    }

    private String error(String json) throws Exception {
        Path file = write(json);
        String message = assertThrows(UsageException.class, () -> Subscriptions.parse(file)).getMessage();
        assertFalse(message.contains("\n"));
        assertFalse(message.contains("secret"), message);
        assertFalse(message.contains("6475550199"), message);
        return message;
    }

    @Test
    void aChangedFileIsRereadSoARemovedSubscriberIsGoneAtOnce() throws Exception {
        Path file = write(EXAMPLE);
        Subscriptions subscriptions = Subscriptions.open(file);
        assertEquals(2, subscriptions.current().size());
        Files.writeString(file, """
                {"subscribers": [{"id": "city-desk", "name": "City desk", "channels": [{"webhook": "http://127.0.0.1:9/x"}], "areas": "ALL"}]}""");
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 2000));
        assertEquals(List.of("city-desk"), subscriptions.current().stream().map(Subscriber::id).toList());
        assertNull(subscriptions.problem());

        Files.writeString(file, "{\"subscribers\": [");
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 4000));
        assertEquals(List.of("city-desk"), subscriptions.current().stream().map(Subscriber::id).toList());
        assertEquals("subscriptions file " + file + " is not valid JSON (line 1)", subscriptions.problem());
    }

    @Test
    void quietHoursSpanMidnightAndEndAtTheirEnd() {
        QuietHours q = new QuietHours(LocalTime.of(23, 0), LocalTime.of(7, 0));
        ZonedDateTime late = ZonedDateTime.of(2026, 11, 2, 23, 30, 0, 0, Steps.TORONTO);
        assertTrue(q.contains(late));
        assertFalse(q.contains(late.withHour(7).withMinute(0)));
        assertEquals(ZonedDateTime.of(2026, 11, 3, 7, 0, 0, 0, Steps.TORONTO), q.end(late));
        assertEquals(ZonedDateTime.of(2026, 11, 3, 7, 0, 0, 0, Steps.TORONTO), q.end(late.plusHours(3)));
        assertEquals(late.withHour(12), q.end(late.withHour(12)));
    }
}
