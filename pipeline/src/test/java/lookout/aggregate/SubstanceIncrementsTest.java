package lookout.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import lookout.TestHashes;
import lookout.detect.SubstanceWatch;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.SubstanceDelta;

class SubstanceIncrementsTest {
    private static final SubstanceIncrements INCREMENTS =
            new SubstanceIncrements(new TimeBuckets(ZoneId.of("America/Toronto")),
                    substance -> SubstanceWatch.defaults().match(substance).orElse(null));

    private static List<SubstanceDelta> of(String signal, String occurredAt, List<String> substances) {
        DeidentifiedEvent e = DeidentifiedEvent.newBuilder().setSignal(signal).setDedupeKey(TestHashes.of("k")).setAreaId("A1")
                .setOccurredMinute(Instant.parse(occurredAt).toEpochMilli()).setSubstances(substances).build();
        List<SubstanceDelta> out = new ArrayList<>();
        INCREMENTS.add(CountedEvent.of(e), new Cells() {
            @Override
            public void count(String granularity, long bucketStart, String areaId, String signal) {
                throw new AssertionError("substance increments add no counts");
            }

            @Override
            public void delay(String signal, long occurredDay, long reportedDay) {
                throw new AssertionError("substance increments add no delays");
            }

            @Override
            public void substance(String areaId, long weekStart, String substance) {
                out.add(new SubstanceDelta(areaId, TimeBuckets.isoDate(weekStart), substance,
                        substance == null ? null : INCREMENTS.watchEntry(substance), 1L));
            }
        });
        return out;
    }

    @Test
    void aSampleCountsOnceInItsWeekAndOnceForEachSubstanceFoundInIt() {
        assertEquals(List.of(new SubstanceDelta("A1", "2026-02-02", null, null, 1L),
                        new SubstanceDelta("A1", "2026-02-02", "fentanyl", null, 1L),
                        new SubstanceDelta("A1", "2026-02-02", "isotonitazene", "nitazene", 1L),
                        new SubstanceDelta("A1", "2026-02-02", "other", null, 1L)),
                of("drug_checking", "2026-02-08T23:30:00Z", List.of("fentanyl", "isotonitazene", "fentanyl", "other")),
                "Sunday 18:30 in Toronto is in the week of Monday 2 February; fentanyl listed twice counts once");
        assertEquals(List.of(new SubstanceDelta("A1", "2026-02-09", null, null, 1L)),
                of("drug_checking", "2026-02-09T05:00:00Z", List.of()),
                "Monday 00:00 in Toronto starts the next week; a sample with nothing found is still a sample checked");
        assertEquals(List.of(), of("paramedic", "2026-02-09T05:00:00Z", List.of("fentanyl")),
                "suspected substances of other signals are not drug-checking findings");
    }
}
