package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.Severity;
import lookout.schema.Alert;

/** Messages name the drug-checking findings the job judged notable, from the alert's own evidence. */
class FoundSubstancesTest {
    private final Messages messages = Steps.messages();

    /** A toxicity alert as the job writes it: its evidence lists the notable substances found nearby. */
    static Alert toxicity(String status, String notable) {
        return Alert.newBuilder(Steps.alert("t1", status, "critical", 9)).setSignal("multi")
                .setMethod("toxicity_multisignal").setWindowEnd(Steps.WINDOW_START + 24 * Steps.HOUR)
                .setEvidence("{\"window_hours\":24,\"paramedic\":\"5\",\"naloxone\":\"fewer than 5\","
                        + "\"watch_list_found\":[\"carfentanil\"],\"found_in_areas\":[\"073\",\"074\"],"
                        + "\"notable_substances\":" + notable + "}")
                .build();
    }

    private static AlertStep opened(String notable) {
        return AlertStep.of(toxicity("opened", notable), AlertStep.Kind.OPENED, Severity.CRITICAL);
    }

    @Test
    void carfentanilFoundNearbyIsNamedInEnglishAndFrench() {
        AlertStep step = opened("{\"carfentanil\":\"always_notable\"}");
        Message en = messages.compose(step, "Moss Park", "en");
        assertEquals("More overdoses than usual in Moss Park since Mon. 2 Nov., 8 p.m., where drug checking found a"
                + " dangerous substance nearby: 9 in 24 hours; usually about 1. Alert level: critical. Drug checking"
                + " nearby found carfentanil this week.", en.body());
        assertEquals("More overdoses than usual in Moss Park since Mon. 2 Nov., 8 p.m., where drug checking found a"
                + " dangerous substance nearby; alert level: critical. Drug checking nearby found carfentanil this"
                + " week.", messages.composePublic(step, "Moss Park", "en").body(), "the public feeds' words");
        AlertStep worsened = AlertStep.of(toxicity("opened", "{\"carfentanil\":\"always_notable\"}"),
                AlertStep.Kind.WORSENED, Severity.CRITICAL);
        assertEquals("The alert in Moss Park is now critical: 9 overdoses in 24 hours, where drug checking found a"
                + " dangerous substance nearby; usually about 1. Drug checking nearby found carfentanil this week.",
                messages.compose(worsened, "Moss Park", "en").body());
        assertEquals("Lookout critical alert: overdoses up in Moss Park (9 in 24 hours); drug checking found"
                + " carfentanil. Don't use alone. http://localhost:8080/alerts", en.sms());
        Message fr = messages.compose(step, "Moss Park", "fr");
        assertEquals("Hausse inhabituelle à Moss Park depuis lun. 2 nov., 20 h (surdoses là où l'analyse a trouvé une"
                + " drogue dangereuse) : 9 en 24 heures ; habituellement environ 1. Niveau d'alerte :"
                + " critique. Cette semaine, l'analyse de drogues à proximité a trouvé : carfentanil.", fr.body());
        assertEquals("Lookout, niveau critique : surdoses en hausse à Moss Park (9 en 24 heures) ; analyse de"
                + " drogues : carfentanil. Pas seul. http://localhost:8080/alerts", fr.sms());
    }

    /** Always-notable first, then new, then rising, each said with its reason; the SMS names them only. */
    @Test
    void severalFindingsAreListedWithWhyTheyMatter() {
        AlertStep step = opened("{\"bromazolam\":\"new_in_city\",\"carfentanil\":\"always_notable\","
                + "\"xylazine\":\"rising_share\"}");
        assertEquals(List.of(new FoundSubstances.Found("carfentanil", "always_notable"),
                new FoundSubstances.Found("bromazolam", "new_in_city"),
                new FoundSubstances.Found("xylazine", "rising_share")), step.found());
        Message en = messages.compose(step, "Moss Park", "en");
        assertTrue(en.body().endsWith(" Drug checking nearby found carfentanil, bromazolam (new in the city) and"
                + " xylazine (in more samples than usual) this week."), en.body());
        assertEquals("Lookout: overdoses up in Moss Park (9 in 24 hours); drug checking found carfentanil, bromazolam"
                + " and xylazine. Don't use alone. http://localhost:8080/alerts", en.sms());
        Message fr = messages.compose(step, "Moss Park", "fr");
        assertTrue(fr.body().endsWith(" Cette semaine, l'analyse de drogues à proximité a trouvé : carfentanil,"
                + " bromazolam (substance nouvelle en ville) et xylazine (dans plus d'échantillons que d'habitude)."),
                fr.body());
        assertTrue(Gsm7.fitsOneSegment(en.sms()) && Gsm7.fitsOneSegment(fr.sms()));
    }

    /** The all-clear names no finding; an alert without findings reads as before. */
    @Test
    void theAllClearAndCountAlertsNameNoFinding() {
        AlertStep closed = AlertStep.of(toxicity("closed", "{\"carfentanil\":\"always_notable\"}"),
                AlertStep.Kind.CLOSED, Severity.CRITICAL);
        assertEquals("All-clear in Moss Park: overdoses are back to usual levels. The alert on overdoses where drug"
                + " checking found a dangerous substance nearby, opened on Tue. 3 Nov., 1 a.m., is closed.",
                messages.compose(closed, "Moss Park", "en").body());
        assertEquals(List.of(), Steps.opened("s1").found());
        assertEquals("More paramedic calls for overdoses than usual in Moss Park since Mon. 2 Nov., 8 p.m.: 9 in 6"
                + " hours; usually about 1. Alert level: moderate.",
                messages.compose(Steps.opened("s1"), "Moss Park", "en").body());
    }

    /**
     * Only vocabulary-like terms with one of the job's reasons are said: free text, a reason the job does not give,
     * a count, or evidence that is not JSON are dropped, never copied into a message.
     */
    @Test
    void anythingButATermWithAKnownReasonIsDropped() {
        assertEquals(List.of(new FoundSubstances.Found("protonitazepyne", "always_notable")), FoundSubstances.of(
                "{\"notable_substances\":{\"Nitazene zzcanarysubst John Doe 555-0199\":\"always_notable\","
                        + "\"protonitazepyne\":\"always_notable\",\"xylazine\":\"present\",\"fentanyl\":3,"
                        + "\"n-desethyl isotonitazene is found at 12 example lane\":\"always_notable\"}}"));
        assertEquals(List.of(), FoundSubstances.of("not json"));
        assertEquals(List.of(), FoundSubstances.of("{}"));
        assertEquals(List.of(), FoundSubstances.of(null));
    }

    /** The store keeps a step's findings, so feeds rebuilt after a restart name them too. */
    @Test
    void theStoreKeepsTheFindings(@TempDir Path dir) {
        AlertStep step = opened("{\"bromazolam\":\"new_in_city\",\"carfentanil\":\"always_notable\"}");
        try (NotifierStore store = NotifierStore.open(dir, Assertions::fail)) {
            store.addStep(step);
            store.addStep(Steps.opened("s1"));
        }
        try (NotifierStore store = NotifierStore.open(dir, Assertions::fail)) {
            assertEquals(List.of(step, Steps.opened("s1")), store.steps());
        }
    }
}
