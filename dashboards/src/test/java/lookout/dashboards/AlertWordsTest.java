package lookout.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The alerts in words: the evidence each of the job's detectors writes (lookout.detect: SpikeTracker adds method
 * and firings, AreaSignalDetector the daily and intraday facts, ToxicityRule its own, CoronerConfirmation the
 * deaths) as labelled lines, and times in the city's zone and relative to now.
 */
class AlertWordsTest {
    static final ZoneId TORONTO = ZoneId.of("America/Toronto");
    static final Map<String, String> NAMES = Map.of("170", "Yonge-Bay Corridor");

    /** The job's explanations name areas by id (lookout.detect.Explanations); the pages name them as the heading. */
    @Test
    void anExplanationNamesItsAreasAsThePageDoesAndLeavesAListWithAnUnknownIdAsWritten() {
        Map<String, String> names = Map.of("170", "Yonge-Bay Corridor", "073", "Moss Park");
        assertEquals("More paramedic calls than usual in Yonge-Bay Corridor: 7 in 6 hours, when less than 1 would be"
                + " normal for this area at this time.", AlertWords.withAreaNames("More paramedic calls than usual in"
                + " area 170: 7 in 6 hours, when less than 1 would be normal for this area at this time.", names));
        assertEquals("Possible toxic drug supply in Moss Park: ... found xylazine in samples from Moss Park, Yonge-Bay"
                + " Corridor. People", AlertWords.withAreaNames("Possible toxic drug supply in area 073: ... found"
                + " xylazine in samples from area 073, 170. People", names));
        assertEquals("in samples from area 073, 999.",
                AlertWords.withAreaNames("in samples from area 073, 999.", names));
        assertEquals(null, AlertWords.withAreaNames(null, names));
    }

    @Test
    void aDailyCountAlertsEvidence() {
        assertEquals(List.of(
                line("method", "How it was found", "the day's count against 7 earlier days, skipping the last 2 (EARS C2)"),
                line("firings", "Times the detector fired", "2"),
                line("period", "Period counted", "one day"),
                line("day", "Day", "Mon 2 Mar 2026"),
                line("expected", "Usual for this area", "less than 1"),
                line("coroner_deaths", "Suspected overdose deaths reported since", "fewer than 5")),
                AlertWords.evidence("{\"method\":\"earsC_C2\",\"firings\":2,\"period\":\"day\",\"day\":\"2026-03-02\","
                        + "\"expected\":0.43,\"coroner_deaths\":\"fewer than 5\"}", NAMES));
    }

    @Test
    void theToxicityAlertsEvidenceNamesTheAreasAndLeavesOutWhatWasNotFound() {
        assertEquals(List.of(
                line("method", "How it was found", "overdoses rising where drug checking found a dangerous substance"),
                line("firings", "Times the detector fired", "1"),
                line("window_hours", "Hours counted", "6"),
                line("paramedic", "Paramedic overdose calls", "7"),
                line("naloxone", "Naloxone kits used", "fewer than 5"),
                line("expected_combined", "Usual overdoses in those hours", "about 3"),
                line("watch_list_found", "Watch-list substances found", "a nitazene (isotonitazene), carfentanil"),
                line("found_in_areas", "Found in samples from areas", "Yonge-Bay Corridor (170), 999")),
                AlertWords.evidence("{\"method\":\"toxicity_multisignal\",\"firings\":1,\"window_hours\":6,"
                        + "\"paramedic\":\"7\",\"naloxone\":\"fewer than 5\",\"expected_combined\":2.6,"
                        + "\"watch_list_found\":[\"a nitazene (isotonitazene)\",\"carfentanil\"],"
                        + "\"new_substances_found\":[],\"found_in_areas\":[\"170\",\"999\"]}", NAMES));
    }

    /** A cluster alert of the space-time scan (lookout.detect.ClusterWatch) names the areas of its zone. */
    @Test
    void aClusterAlertsEvidenceNamesItsAreas() {
        assertEquals(List.of(
                line("method", "How it was found",
                        "neighbouring areas together against their usual, over the last 1 to 7 days (space-time scan)"),
                line("firings", "Times the detector fired", "1"),
                line("period", "Period counted", "the last 2 days"),
                line("areas", "Areas of the cluster", "Yonge-Bay Corridor (170), 999"),
                line("expected_together", "Usual for these areas together", "less than 1")),
                AlertWords.evidence("{\"method\":\"scan_cluster\",\"firings\":1,\"period\":\"2d\","
                        + "\"areas\":[\"170\",\"999\"],\"expected_together\":0.3}", NAMES));
        assertEquals("one day", AlertWords.evidence("{\"period\":\"1d\"}", NAMES).get(0).get("value"));
    }

    /** The job's reasons for each notable finding read as words, not codes. */
    @Test
    void notableSubstancesSayWhyTheyMatter() {
        assertEquals(List.of(line("notable_substances", "Why the substances found matter",
                "bromazolam (new in the city), carfentanil (always dangerous), xylazine (in more samples than usual)")),
                AlertWords.evidence("{\"notable_substances\":{\"bromazolam\":\"new_in_city\","
                        + "\"carfentanil\":\"always_notable\",\"xylazine\":\"rising_share\"}}", NAMES));
    }

    @Test
    void unknownFactsAreLabelledFromTheirNamesAndNeverShownAsJson() {
        assertEquals(List.of(line("baseline_days", "Baseline days", "28"), line("flags", "Flags", "late yes, size 2.5")),
                AlertWords.evidence("{\"baseline_days\":28.0,\"flags\":{\"late\":true,\"size\":2.5},\"none\":null}", NAMES));
        assertEquals(List.of(line("evidence", "Evidence", "could not be read")), AlertWords.evidence("[1, 2]", NAMES));
        assertEquals(List.of(), AlertWords.evidence(null, NAMES));
    }

    @Test
    void signalsAndMethodsInWords() {
        assertEquals("paramedic overdose calls", AlertWords.signal("paramedic"));
        assertEquals("possible toxic drug supply", AlertWords.signal("multi"));
        assertEquals("the last 3 hours against the same hours on recent days", AlertWords.method("intraday_3h"));
        assertEquals("the last 3 days against 7 earlier days (EARS C3)", AlertWords.method("earsC_C3_alpha0.001"));
        assertEquals("some_new_method", AlertWords.method("some_new_method"));
    }

    @Test
    void timesInTheCitysZoneAndRelativeToNow() {
        assertEquals("Sun 1 Mar 2026, 19:00", AlertWords.local(Instant.parse("2026-03-02T00:00:00Z"), TORONTO));
        assertEquals("Sun 8 Mar 2026, 03:00", AlertWords.local(Instant.parse("2026-03-08T07:00:00Z"), TORONTO),
                "after the change to daylight time");
        Instant now = Instant.parse("2026-03-03T12:00:00Z");
        assertEquals("just now", AlertWords.relative(now.minusSeconds(59), now));
        assertEquals("1 minute ago", AlertWords.relative(now.minusSeconds(60), now));
        assertEquals("2 hours ago", AlertWords.relative(now.minusSeconds(2 * 3600 + 59 * 60), now));
        assertEquals("3 days ago", AlertWords.relative(now.minusSeconds(3 * 86400), now));
        assertEquals("1 month ago", AlertWords.relative(now.minusSeconds(45 * 86400), now));
        assertEquals("2 years ago", AlertWords.relative(now.minusSeconds(800L * 86400), now));
        assertEquals("in 5 minutes", AlertWords.relative(now.plusSeconds(300), now));
    }

    static Map<String, String> line(String fact, String label, String value) {
        return Map.of("fact", fact, "label", label, "value", value);
    }
}
