package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmsInboxTest {
    private static final String MAP = "http://localhost:8080/";
    private static final String NUMBER = "+14165550123";
    /** Longer than any Toronto neighbourhood's name: a reply cuts it to fit. */
    private static final String LONG_NAME = "Taylor-Massey (Oakridge, Birchcliffe-Cliffside and Clairlea-Birchmount)";

    @TempDir
    Path dir;

    private final ExecutorService replies = Executors.newSingleThreadExecutor();
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final DispatcherTest.MovableClock clock = new DispatcherTest.MovableClock(Instant.parse("2026-11-03T17:00:00Z"));

    @AfterEach
    void close() {
        replies.shutdownNow();
    }

    private SmsInbox inbox(ManagedSubscribers managed, SmsGateway gateway) {
        return new SmsInbox(managed, List::of, Steps.NAMES, gateway, replies, MAP, clock, 5);
    }

    private List<String> sent() throws Exception {
        replies.submit(() -> {}).get(5, TimeUnit.SECONDS);
        return List.copyOf(sent);
    }

    @Test
    void joinByNameOrIdWithALanguageThenStopWithEverySynonym() throws Exception {
        ManagedSubscribers managed = ManagedSubscribers.open(dir);
        SmsInbox inbox = inbox(managed, (to, text) -> sent.add(to + " " + text));

        assertEquals(SmsInbox.Action.JOINED, inbox.receive(NUMBER, "  join   moss PARK ").action());
        assertEquals(Set.of("073"), managed.list().get(0).areas());
        assertEquals(NUMBER + " Lookout: you will get overdose alerts for Moss Park. Reply STOP to end, HELP for help.",
                sent().get(0));
        assertEquals(SmsInbox.Action.JOINED, inbox.receive(NUMBER, "JOIN north st james town fr").action());
        assertEquals(Set.of("073", "074"), managed.list().get(0).areas());
        assertEquals(NUMBER + " Lookout : vous recevrez les alertes surdose pour North St.James Town. Répondez ARRET pour"
                + " arreter, AIDE pour l'aide.", sent().get(1));
        assertEquals("Lookout : vous ne recevrez plus d'alertes et votre numéro est effacé. Écrivez JOIN, un quartier et"
                + " FR pour recommencer.", inbox.receive(NUMBER, "stop").reply(), "a subscriber's language answers STOP");
        assertEquals(List.of(), managed.list());

        for (String stop : List.of("STOP", "Arrêt", "arret", "UNSUBSCRIBE", "cancel", "End", "QUIT", "stopall")) {
            inbox.receive(NUMBER, "JOIN 073");
            assertEquals(1, managed.list().size());
            SmsInbox.Outcome o = inbox.receive(NUMBER, stop + " please");
            assertEquals(SmsInbox.Action.STOPPED, o.action(), stop);
            assertEquals(List.of(), managed.list(), stop);
            assertFalse(Files.readString(dir.resolve(ManagedSubscribers.FILE)).contains("4165550123"), stop);
            clock.advance(Duration.ofHours(1));
        }
    }

    @Test
    void helpUnknownTextAndUnknownAreasGetAShortAnswerAndChangeNothing() throws Exception {
        ManagedSubscribers managed = ManagedSubscribers.open(dir);
        SmsInbox inbox = inbox(managed, (to, text) -> sent.add(text));
        assertEquals(new SmsInbox.Outcome(SmsInbox.Action.HELP, "Lookout overdose alerts. Text JOIN and an area name (names:"
                + " http://localhost:8080/), JOIN ALL for every area, or STOP to end.", true), inbox.receive(NUMBER, "help"));
        assertEquals(SmsInbox.Action.HELP, inbox.receive(NUMBER, "AIDE").action());
        assertTrue(sent().get(1).startsWith("Alertes surdose Lookout."), sent().get(1));
        assertEquals(SmsInbox.Action.NOT_UNDERSTOOD, inbox.receive(NUMBER, "hello?").action());
        assertEquals(SmsInbox.Action.NOT_UNDERSTOOD, inbox.receive(NUMBER, "JOIN").action());
        assertEquals(new SmsInbox.Outcome(SmsInbox.Action.UNKNOWN_AREA, "Lookout does not know that area. Area names are"
                + " on the map at http://localhost:8080/. Text JOIN and the name, or JOIN ALL.", true),
                inbox.receive(NUMBER, "JOIN Atlantis"));
        assertEquals(List.of(), managed.list());
    }

    @Test
    void repliesToOneNumberAreLimitedPerHourButTheChangeIsAlwaysMade() throws Exception {
        ManagedSubscribers managed = ManagedSubscribers.open(dir);
        SmsInbox inbox = inbox(managed, (to, text) -> sent.add(to));
        for (int i = 0; i < 5; i++) {
            assertTrue(inbox.receive(NUMBER, "HELP").replySent());
        }
        assertFalse(inbox.receive(NUMBER, "JOIN ALL").replySent());
        assertEquals(1, managed.list().size(), "joined without a reply");
        assertTrue(inbox.receive("+14165550999", "HELP").replySent(), "another number has its own limit");
        SmsInbox.Outcome stop = inbox.receive(NUMBER, "STOP");
        assertEquals(SmsInbox.Action.STOPPED, stop.action());
        assertFalse(stop.replySent());
        assertEquals(List.of(), managed.list(), "STOP works past the limit");
        clock.advance(Duration.ofMinutes(60));
        assertTrue(inbox.receive(NUMBER, "HELP").replySent(), "an hour later the number is answered again");
        assertEquals(7, sent().size());
    }

    @Test
    void stopWorksWhenTheGatewayFailsAndWithoutAreaNames() throws Exception {
        ManagedSubscribers managed = ManagedSubscribers.open(dir);
        managed.joinSms(NUMBER, "073", "en");
        SmsInbox inbox = new SmsInbox(managed, List::of, AreaNames.fromSnapshot(dir.resolve("absent.duckdb")),
                (to, text) -> { throw new DeliveryFailure("connection_failed", true); }, replies, MAP, clock, 5);
        assertEquals(SmsInbox.Action.STOPPED, inbox.receive(NUMBER, "STOP").action());
        assertEquals(List.of(), managed.list());
        assertEquals(SmsInbox.Action.UNKNOWN_AREA, inbox.receive(NUMBER, "JOIN Moss Park").action(),
                "without area names no area is known, and nobody is subscribed to a guess");
    }

    /** Every reply, in every language, with the longest Toronto name and a longer dashboard URL, is one segment. */
    @Test
    void everyReplyIsOneGsm7SegmentInBothLanguages() throws Exception {
        ManagedSubscribers managed = ManagedSubscribers.open(dir);
        List<String> names = List.of("Moss Park", "Yonge-St.Clair", LONG_NAME);
        for (String link : List.of(MAP, "https://lookout.example.org/")) {
            SmsInbox inbox = new SmsInbox(managed, List::of, Steps.NAMES, null, replies, link, clock, 5);
            for (String language : Messages.LANGUAGES) {
                for (String key : List.of("sms.reply.joined", "sms.reply.joined_all", "sms.reply.stopped",
                        "sms.reply.help", "sms.reply.not_understood", "sms.reply.unknown_area")) {
                    for (String name : names) {
                        String text = inbox.fill(language, key, name);
                        assertTrue(Gsm7.encodable(text) && Gsm7.fitsOneSegment(text),
                                language + " " + key + " (" + Gsm7.length(text) + "): " + text);
                    }
                }
            }
        }
    }
}
