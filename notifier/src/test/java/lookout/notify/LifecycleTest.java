package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import lookout.schema.Alert;

class LifecycleTest {
    private final Lifecycle lifecycle = new Lifecycle();
    private final List<String> told = new ArrayList<>();

    private void feed(Alert a) {
        lifecycle.saw(a);
        lifecycle.next(a).ifPresent(step -> {
            told.add(step.code());
            lifecycle.take(step);
        });
    }

    @Test
    void snapshotsBecomeOpenedEachWorseningOnceAndTheAllClear() {
        feed(Steps.alert("s", "opened", "low", null));
        feed(Steps.alert("s", "updated", "low", 5));
        feed(Steps.alert("s", "opened", "low", null));
        feed(Steps.alert("s", "updated", "high", 9));
        feed(Steps.alert("s", "updated", "moderate", 9));
        feed(Steps.alert("s", "updated", "high", 12));
        feed(Steps.alert("s", "updated", "critical", 20));
        feed(Steps.alert("s", "closed", "critical", 20));
        feed(Steps.alert("s", "closed", "critical", 20));
        feed(Steps.alert("s", "updated", "critical", 20));
        assertEquals(List.of("opened", "counted", "worsened-high", "worsened-critical", "closed"), told);
    }

    /** An alert that opened below k makes one more step, for the public feeds, when its count first reaches k. */
    @Test
    void anAlertThatOpenedBelowKIsCountedOnceWhenItReachesKAndOneThatOpenedWithACountNever() {
        feed(Steps.alert("small", "opened", "moderate", null));
        feed(Steps.alert("small", "updated", "moderate", null));
        feed(Steps.alert("small", "updated", "low", 5));
        feed(Steps.alert("small", "updated", "moderate", null));
        feed(Steps.alert("small", "updated", "moderate", 6));
        feed(Steps.alert("big", "opened", "moderate", 9));
        feed(Steps.alert("big", "updated", "moderate", 12));
        assertEquals(List.of("opened", "counted", "opened"), told);
        Lifecycle restarted = new Lifecycle();
        restarted.take(Steps.opened("big"));
        assertTrue(restarted.next(Steps.alert("big", "updated", "moderate", 10)).isEmpty(), "counted at its opening");
    }

    @Test
    void aSpikeFirstSeenClosedIsNotAnnouncedAndOneFirstSeenUpdatedOpens() {
        feed(Steps.alert("a", "closed", "high", 9));
        feed(Steps.alert("b", "updated", "moderate", 9));
        assertEquals(List.of("opened"), told);
    }

    /**
     * An open alert with no snapshot in the week before the latest of any alert is one the job no longer tracks: it
     * is not offered to those who have not heard of it, until a snapshot of it comes again.
     */
    @Test
    void anOpenAlertWithoutASnapshotForAWeekIsNoLongerOffered() {
        long week = Lifecycle.STALE_AFTER.toMillis();
        Alert old = Steps.alert("old", "opened", "moderate", 9);
        feed(old);
        feed(at(Steps.alert("new", "opened", "high", 12), old.getUpdatedAt() + week));
        assertEquals(List.of("old", "new"), lifecycle.openSteps(0).stream().map(AlertStep::spikeId).toList());
        feed(at(Steps.alert("new", "updated", "high", 13), old.getUpdatedAt() + week + 1));
        assertEquals(List.of("new"), lifecycle.openSteps(0).stream().map(AlertStep::spikeId).toList());
        feed(at(Steps.alert("old", "updated", "moderate", 9), old.getUpdatedAt() + week + 2));
        assertEquals(List.of("old", "new"), lifecycle.openSteps(0).stream().map(AlertStep::spikeId).toList());
    }

    /**
     * An open alert whose latest snapshot is older than the time given (what is news by the notifier's clock) is not
     * offered until a snapshot brings it there: a job catching up on a backlog opened it long ago.
     */
    @Test
    void anOpenAlertIsOfferedOnceASnapshotOfItIsRecentEnough() {
        Alert opened = Steps.alert("caught-up", "opened", "moderate", 9);
        feed(opened);
        long news = opened.getUpdatedAt() + Steps.HOUR;
        assertEquals(List.of(), lifecycle.openSteps(news));
        feed(at(Steps.alert("caught-up", "updated", "moderate", 9), news));
        assertEquals(List.of(Steps.opened("caught-up")), lifecycle.openSteps(news));
    }

    private static Alert at(Alert alert, long updatedAt) {
        return Alert.newBuilder(alert).setUpdatedAt(updatedAt).build();
    }

    @Test
    void stepsTakenBeforeARestartAreNotTakenAgain() {
        Lifecycle restarted = new Lifecycle();
        restarted.take(Steps.opened("s"));
        restarted.take(Steps.worsened("s"));
        assertTrue(restarted.next(Steps.alert("s", "opened", "moderate", 9)).isEmpty());
        assertTrue(restarted.next(Steps.alert("s", "updated", "high", 14)).isEmpty());
        assertEquals("closed", restarted.next(Steps.alert("s", "closed", "high", null)).orElseThrow().code());
    }
}
