package lookout.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Which alerts are new or changed between two snapshots, and which of them each caller may see. */
class AlertListsTest {
    static final User ANALYST = new User("ana", Role.ANALYST, "", Set.of());
    static final User OUTREACH = new User("otto", Role.OUTREACH, "", Set.of("A2"));

    static Map<String, Object> alert(String id, String area, String updatedAt, String explanation) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("spike_id", id);
        a.put("area_id", area);
        a.put("updated_at", updatedAt);
        a.put("explanation", explanation);
        return a;
    }

    static Map<String, Object> open(String id, String area, String closedAt) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("spike_id", id);
        a.put("area_id", area);
        a.put("closed_at", closedAt);
        return a;
    }

    final AlertLists before = new AlertLists(
            List.of(alert("S1", "A1", "05:00", "x"), alert("S2", "A2", "04:00", "y"), alert("S3", "A3", "03:00", "z")),
            List.of(open("S1", "A1", null), open("S2", "A2", null)));

    @Test
    void newAlertsAndAlertsThatDifferInAnyFieldAreChangesInTheirNewOrder() {
        AlertLists after = new AlertLists(
                List.of(alert("S4", "A2", "07:00", "w"), alert("S1", "A1", "06:00", "x"), alert("S2", "A2", "04:00", "y+"),
                        alert("S3", "A3", "03:00", "z")),
                List.of(open("S4", "A2", null), open("S1", "A1", null), open("S2", "A2", "06:00")));
        AlertLists changes = AlertLists.changes(before, after);
        assertEquals(List.of("S4", "S1", "S2"), ids(changes.restricted()),
                "S4 is new, S1 has a new update time, S2 the same time but a new explanation; S3 is unchanged");
        assertEquals(List.of("S4", "S2"), ids(changes.open()), "S1's public view did not change; S2 closed");
    }

    @Test
    void theSameListsAreNoChangeAndAnAlertThatLeftTheListIsNone() {
        assertTrue(AlertLists.changes(before, before).isEmpty());
        AlertLists shorter = new AlertLists(before.restricted().subList(0, 2), before.open().subList(0, 1));
        assertTrue(AlertLists.changes(before, shorter).isEmpty());
    }

    /** The live stream words a cluster reaching areas outside an outreach profile as the alert list does. */
    @Test
    void aClusterReachingAreasOutsideAnOutreachProfileComesWithoutItsCount() {
        Map<String, Object> cluster = alert("C1", "A2", "05:00", "24 paramedic calls in Beta and 2 neighbouring areas");
        cluster.put("zone_areas", List.of("A2", "A1", "A3"));
        cluster.put("observed", 24);
        AlertLists lists = new AlertLists(List.of(cluster), List.of());
        Map<String, Object> seen = lists.visibleTo(Optional.of(OUTREACH)).get(0);
        assertEquals(AlertQueries.ZONE_COUNT_WITHHELD, seen.get("explanation"));
        assertFalse(seen.containsKey("observed"), seen.toString());
        assertEquals(24, lists.visibleTo(Optional.of(ANALYST)).get(0).get("observed"));
    }

    @Test
    void analystsSeeEveryAreaOutreachTheirProfileAndThePublicThePublicView() {
        assertEquals(List.of("S1", "S2", "S3"), ids(before.visibleTo(Optional.of(ANALYST))));
        assertEquals(List.of("S2"), ids(before.visibleTo(Optional.of(OUTREACH))));
        assertEquals(before.open(), before.visibleTo(Optional.empty()));
        AlertLists onlyA3 = new AlertLists(List.of(alert("S3", "A3", "08:00", "z")), List.of());
        assertEquals(List.of(), onlyA3.visibleTo(Optional.of(OUTREACH)));
        assertEquals(List.of(), onlyA3.visibleTo(Optional.empty()));
    }

    @Test
    void aVersionMovesOnlyWithWhatItsCallerSees() {
        AlertLists after = new AlertLists(
                List.of(alert("S1", "A1", "06:00", "x+"), alert("S2", "A2", "04:00", "y"),
                        alert("S3", "A3", "03:00", "z")),
                before.open());
        AlertLists changes = AlertLists.changes(before, after);
        assertEquals(List.of("S1"), ids(changes.restricted()));
        assertEquals(List.of(), changes.open());
        assertTrue(after.versionFor(Optional.of(ANALYST)) != before.versionFor(Optional.of(ANALYST)));
        assertEquals(before.versionFor(Optional.empty()), after.versionFor(Optional.empty()),
                "a change only the restricted view shows leaves the public version alone");
        assertEquals(before.versionFor(Optional.of(OUTREACH)), after.versionFor(Optional.of(OUTREACH)),
                "a change in A1 leaves the version of an outreach lead of A2 alone");
        AlertLists inA2 = new AlertLists(List.of(alert("S2", "A2", "09:00", "y")), List.of());
        assertTrue(inA2.versionFor(Optional.of(OUTREACH)) != before.versionFor(Optional.of(OUTREACH)));
        assertTrue(before.versionFor(Optional.of(ANALYST)) >= 0, "never the -1 of a client that holds nothing");
    }

    static List<Object> ids(List<Map<String, Object>> alerts) {
        return alerts.stream().map(a -> a.get("spike_id")).toList();
    }
}
