package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import lookout.schema.Alert;

class SpikeTrackerTest {
    private static final long H = 3_600_000L;
    private static final long T0 = 1_760_000_000_000L;

    @Test
    void oneSpikeIsOneAlertOpenedUpdatedAndClosedAfterTwoQuietDays() {
        SpikeTracker s = new SpikeTracker(2);
        Alert opened = s.fire("77", "paramedic", firing(T0 + 123_456, 3, "low")).orElseThrow();
        assertEquals("opened", opened.getStatus());
        assertEquals(SpikeTracker.hour(T0 + 123_456), opened.getOpenedAt());
        assertEquals(0, opened.getOpenedAt() % H, "alert times are truncated to the hour");
        assertNull(opened.getObserved(), "3 is below k = 5 and is withheld");
        assertNull(opened.getClosedAt());

        assertTrue(s.fire("77", "paramedic", firing(T0 + 123_999, 4, "low")).isEmpty(),
                "same hour, same severity: nothing new to say");
        Alert updated = s.fire("77", "paramedic", firing(T0 + 2 * H, 9, "high")).orElseThrow();
        assertEquals("updated", updated.getStatus());
        assertEquals(opened.getSpikeId(), updated.getSpikeId());
        assertEquals(9, updated.getObserved());
        assertEquals("high", updated.getSeverity());
        assertTrue(updated.getEvidence().contains("\"firings\":3"), updated.getEvidence());

        assertTrue(s.endOfDay(T0 + 20 * H, true).isEmpty());
        assertTrue(s.endOfDay(T0 + 44 * H, false).isEmpty(), "one quiet day is not enough");
        Alert closed = s.endOfDay(T0 + 68 * H, false).orElseThrow();
        assertEquals("closed", closed.getStatus());
        assertEquals(opened.getSpikeId(), closed.getSpikeId());
        assertEquals(SpikeTracker.hour(T0 + 68 * H), closed.getClosedAt());
        assertTrue(closed.getExplanation().contains("now closed"));

        Alert next = s.fire("77", "paramedic", firing(T0 + 100 * H, 6, "low")).orElseThrow();
        assertEquals("opened", next.getStatus());
        assertTrue(!next.getSpikeId().equals(opened.getSpikeId()), "a later spike is a new alert");
    }

    private static Firing firing(long t, int observed, String severity) {
        return new Firing(t, "intraday_24h", observed, 1.0, 4, 5.5, t - 24 * H, t, severity, Map.of("period", "24h"),
                "text");
    }

    @Test
    void aSnapshotSupersedesAnotherIfUpdatedLaterOrAtTheSameHourFurtherAlongTheLifecycle() {
        Alert updated = Alert.newBuilder().setSpikeId("s").setAreaId("A").setSignal("paramedic").setMethod("m")
                .setOpenedAt(0L).setUpdatedAt(7_200_000L).setClosedAt(null).setWindowStart(0L).setWindowEnd(3_600_000L)
                .setObserved(null).setExpected(1.0).setThreshold(2.0).setScore(3.0).setSeverity("high")
                .setStatus("updated").setEvidence("{}").setExplanation("x").build();
        Alert closedSameHour = Alert.newBuilder(updated).setStatus("closed").setClosedAt(7_200_000L).build();
        Alert closedLater = Alert.newBuilder(closedSameHour).setUpdatedAt(10_800_000L).setClosedAt(10_800_000L).build();
        assertTrue(SpikeTracker.supersedes(closedLater, updated));
        assertFalse(SpikeTracker.supersedes(updated, closedLater), "an older update never replaces the closing");
        assertTrue(SpikeTracker.supersedes(closedSameHour, updated));
        assertFalse(SpikeTracker.supersedes(updated, closedSameHour));
        assertTrue(SpikeTracker.supersedes(updated, updated), "the same snapshot again, e.g. with deaths added, replaces it");
    }
}
