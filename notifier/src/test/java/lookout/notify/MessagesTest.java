package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import lookout.kernel.AlertSignals;
import lookout.kernel.Severity;
import lookout.kernel.Signal;

class MessagesTest {
    private final Messages messages = Steps.messages();

    /**
     * With a dashboard URL of 99 characters no SMS fits one segment with its link: the alert goes without it, the
     * alert itself mattering more than the way to the page; a digest's SMS too.
     */
    @Test
    void aDashboardUrlTooLongForAnSmsLeavesTheLinkOutAndTheAlertStillGoes() {
        Messages demo = new Messages(Steps.TORONTO, "https://lookout.outreach.toronto.example.org/harm-reduction/"
                + "overdose-surveillance/dashboards/alerts", Steps.NOTIFICATIONS, Map.of());
        AlertStep step = new AlertStep("s", AlertStep.Kind.OPENED, Severity.HIGH, "D03", "multi", null, 1.27,
                Steps.WINDOW_START, Steps.WINDOW_START + 24 * Steps.HOUR, Steps.WINDOW_START,
                Steps.WINDOW_START + 24 * Steps.HOUR);
        Message m = demo.compose(step, "Foxglove Park", "en");
        assertEquals("Lookout high alert in Foxglove Park: more overdoses, a dangerous substance found nearby",
                m.subject(), "the area first, where a phone's preview shows it");
        assertEquals("Lookout high alert: overdoses where drug checking found a dangerous substance up in Foxglove"
                + " Park (fewer than 5 in 24 hours). Don't use alone.", m.sms());
        assertEquals("Lookout, niveau élevé : hausse des surdoses là où l'analyse a trouvé une drogue dangereuse à"
                + " Foxglove Park (moins de 5 en 24 heures). Pas seul.",
                demo.compose(step, "Foxglove Park", "fr").sms());
        assertEquals("Lookout daily digest: 1 alert change in your areas since Mon. 2 Nov., 8 p.m.",
                demo.digest(LocalDate.of(2026, 11, 4), List.of(step), area -> "Foxglove Park", "en",
                Steps.WINDOW_START, s -> false).sms());
        assertEquals("Résumé Lookout : 1 changement d'alerte dans vos secteurs depuis le lun. 2 nov., 20 h",
                demo.digest(LocalDate.of(2026, 11, 4), List.of(step), area -> "Foxglove Park", "fr",
                Steps.WINDOW_START, s -> false).sms());
    }

    @Test
    void anOpeningSaysWhereWhatHowManyAgainstUsualAndWhatToDoInEnglish() {
        Message m = messages.compose(Steps.opened("s1"), "Moss Park", "en");
        assertEquals("Lookout moderate alert in Moss Park: more paramedic calls for overdoses", m.subject());
        assertEquals("More paramedic calls for overdoses than usual in Moss Park since Mon. 2 Nov., 8 p.m.: 9 in 6"
                + " hours; usually about 1. Alert level: moderate.", m.body());
        assertEquals("Don't use alone; carry naloxone. National Overdose Response Service: 1-888-688-6677.", m.footer());
        assertEquals("Lookout moderate alert: paramedic calls for overdoses up in Moss Park (9 in 6 hours). Don't use"
                + " alone. http://localhost:8080/alerts", m.sms(), "the level before the window's start");
        assertEquals(m.body() + "\n\n" + m.footer() + "\n\nDetails: http://localhost:8080/alerts#alert-s1",
                m.text(messages.details("en", m.link())));
    }

    /** The link leads to the alert's own card on the alert page; the SMS keeps the page itself, which is shorter. */
    @Test
    void aMessageLinksToItsAlertsCardOnTheAlertPage() {
        Message m = messages.compose(Steps.opened("0f1e2d3c-0000-4000-8000-000000000001"), "Moss Park", "en");
        assertEquals("http://localhost:8080/alerts#alert-0f1e2d3c-0000-4000-8000-000000000001", m.link());
        assertTrue(m.sms().endsWith(" http://localhost:8080/alerts"), m.sms());
        Digest d = messages.digest(LocalDate.of(2026, 11, 4), List.of(Steps.opened("s1"), Steps.opened("s2")),
                area -> "Moss Park", "en", Steps.WINDOW_START, s -> false);
        List<String> details = d.items().stream().map(Digest.Item::details).toList();
        assertEquals(List.of("Details: http://localhost:8080/alerts#alert-s1",
                "Details: http://localhost:8080/alerts#alert-s2"), details);
        assertEquals("http://localhost:8080/alerts", d.link(), "the digest as a whole links to the page");
    }

    /** A digest words the steps it is told to in the public's words, without their count, as the messages would. */
    @Test
    void aDigestTellsTheStepsItIsAskedToWithoutTheirCount() {
        AlertStep counted = Steps.opened("s1");
        AlertStep withheld = Steps.opened("s2");
        Digest d = messages.digest(LocalDate.of(2026, 11, 4), List.of(counted, withheld), area -> "Moss Park", "en",
                Steps.WINDOW_START, withheld::equals);
        assertEquals(List.of(messages.compose(counted, "Moss Park", "en").body(),
                messages.composePublic(withheld, "Moss Park", "en").body()),
                d.items().stream().map(Digest.Item::text).toList());
        assertNotEquals(messages.compose(withheld, "Moss Park", "en").body(), d.items().get(1).text(),
                "the subscribers' words carry the count");
    }

    /**
     * A dashboard account's subscriber is told where to change or stop its alerts; one of the operator's subscribers
     * file, that the operator added the address. Both languages.
     */
    @Test
    void anEmailSaysWhoManagesTheSubscriptionInTheSubscribersLanguage() {
        assertEquals("Change or stop these alerts: http://localhost:8080/notifications",
                messages.subscription("en", true));
        assertEquals("Modifier ou arrêter ces alertes : http://localhost:8080/notifications",
                messages.subscription("fr", true));
        assertEquals("The Lookout operator added this address to these alerts and manages them; ask the operator to"
                + " change or stop them.", messages.subscription("en", false));
        assertEquals("L'opérateur de Lookout a inscrit cette adresse à ces alertes et les gère ; demandez-lui de les"
                + " modifier ou de les arrêter.", messages.subscription("fr", false));
    }

    @Test
    void theSameInFrench() {
        Message m = messages.compose(Steps.opened("s1"), "Moss Park", "fr");
        assertEquals("Hausse inhabituelle à Moss Park depuis lun. 2 nov., 20 h (appels aux paramédics pour surdose) :"
                + " 9 en 6 heures ; habituellement environ 1. Niveau d'alerte : modéré.", m.body());
        assertEquals("Lookout, niveau modéré : hausse des appels aux paramédics pour surdose à Moss Park (9 en 6"
                + " heures). Pas seul. http://localhost:8080/alerts", m.sms(),
                "the long text with the level is over 160");
        assertEquals(138, Gsm7.length(m.sms()));
    }

    @Test
    void aWorseningAndTheAllClear() {
        assertEquals("The alert in Moss Park is now high: 14 paramedic calls for overdoses in 6 hours; usually about 1.",
                messages.compose(Steps.worsened("s1"), "Moss Park", "en").body());
        Message clear = messages.compose(Steps.closed("s1"), "Moss Park", "en");
        assertEquals("Lookout all-clear: Moss Park", clear.subject());
        assertEquals("All-clear in Moss Park: paramedic calls for overdoses are back to usual levels. The alert opened"
                + " on Tue. 3 Nov., 1 a.m. is closed.", clear.body());
        assertEquals("Fin d'alerte Lookout : Moss Park", messages.compose(Steps.closed("s1"), "Moss Park", "fr").subject());
    }

    @Test
    void aCountBelowKReadsFewerThanFive() {
        AlertStep few = AlertStep.of(Steps.alert("s2", "opened", "low", null), AlertStep.Kind.OPENED, Severity.LOW);
        assertTrue(messages.compose(few, "Moss Park", "en").body().contains(": fewer than 5 in 6 hours;"));
        assertTrue(messages.compose(few, "Moss Park", "fr").body().contains(" : moins de 5 en 6 heures ;"));
    }

    @Test
    void theConfiguredFooterReplacesTheBundles() {
        Messages custom = new Messages(Steps.TORONTO, Steps.LINK, Steps.NOTIFICATIONS, Map.of("fr", "Appelez le 211."));
        assertEquals("Appelez le 211.", custom.compose(Steps.opened("s1"), "Moss Park", "fr").footer());
        assertEquals("Don't use alone; carry naloxone. National Overdose Response Service: 1-888-688-6677.",
                custom.compose(Steps.opened("s1"), "Moss Park", "en").footer());
    }

    /** Every step, signal and severity for each of Toronto's 158 names, in both languages: one GSM-7 segment. */
    @Test
    void everySmsIsOneGsm7SegmentForEveryTorontoNeighbourhoodInBothLanguages() throws Exception {
        Path file = lookout.notify.SharedFiles.file("data/toronto-neighbourhoods-158.geojson");
        List<String> names = new ArrayList<>();
        for (JsonNode f : new ObjectMapper().readTree(file.toFile()).path("features")) {
            names.add(f.path("properties").path("AREA_NAME").asText());
        }
        assertEquals(158, names.size());
        int longest = 0;
        int checked = 0;
        for (String name : names) {
            for (String signal : AlertSignals.codes()) {
                for (AlertStep.Kind kind : AlertStep.Kind.values()) {
                    AlertStep step = new AlertStep("s", kind, Severity.CRITICAL, "x", signal, 123, 45.6,
                            Steps.WINDOW_START, Steps.WINDOW_START + 72 * Steps.HOUR, Steps.WINDOW_START,
                            Steps.WINDOW_START + 72 * Steps.HOUR);
                    for (String language : Messages.LANGUAGES) {
                        String sms = messages.compose(step, name, language).sms();
                        assertTrue(Gsm7.encodable(sms), sms);
                        assertTrue(Gsm7.septets(sms) <= 160, sms);
                        assertTrue(sms.endsWith(" " + Steps.LINK), sms);
                        longest = Math.max(longest, Gsm7.septets(sms));
                        checked++;
                    }
                }
            }
        }
        assertEquals(158 * 6 * AlertStep.Kind.values().length * 2, checked);
        assertEquals(160, longest);
    }

    /**
     * Without its key an alert signal would read as combined's "overdoses", and a source's feed notice would fail,
     * with no other test failing.
     */
    @Test
    void everyAlertSignalAndEveryFeedIsNamedInEveryLanguage() {
        for (String language : Messages.LANGUAGES) {
            ResourceBundle b = Messages.bundle(language);
            for (String signal : AlertSignals.codes()) {
                assertTrue(b.containsKey("signal." + signal), language + ": signal." + signal);
            }
            for (Signal source : Signal.sources()) {
                assertTrue(b.containsKey("feed.source." + source.code()), language + ": feed.source." + source.code());
            }
        }
    }

    @Test
    void aNameWithCharactersOutsideGsm7IsFoldedNotSentAsUcs2() {
        String sms = messages.compose(Steps.closed("s1"), "Côte-Saint-Paul «Est»", "fr").sms();
        assertEquals("Lookout : fin d'alerte à Cote-Saint-Paul \"Est\", retour à la normale. http://localhost:8080/alerts", sms);
    }
}
