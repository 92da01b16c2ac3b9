package lookout.dashboards;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two views of the alert list read from one published snapshot: {@code restricted} (every area, as
 * {@link AlertQueries#alerts} reads it) and {@code open} (the public view), each newest update first.
 * {@code generation} numbers the snapshots whose restricted list changed, {@code openGeneration} those whose public
 * view changed, so a client can say which lists it already holds. The public view has its own number because a
 * shared one would advance on changes only the restricted view shows (an update time, a score), and anyone polling
 * the public stream could time them. The same shape carries what changed between two snapshots: only the alerts
 * that are new or differ.
 */
record AlertLists(long generation, long openGeneration, List<Map<String, Object>> restricted,
        List<Map<String, Object>> open) {
    /** The alerts a caller may see: the public view for the public, else the restricted view of the user's areas. */
    List<Map<String, Object>> visibleTo(Optional<User> user) {
        return user.map(u -> restricted.stream().filter(a -> u.maySee((String) a.get("area_id"))).toList())
                .orElse(open);
    }

    /** The number of the view a caller sees: the public view's for the public, else the restricted list's. */
    long generationFor(Optional<User> user) {
        return user.isPresent() ? generation : openGeneration;
    }

    boolean isEmpty() {
        return restricted.isEmpty() && open.isEmpty();
    }

    /**
     * The alerts of {@code after} that are new since {@code before} or differ from it, in each view; each view's
     * generation is the next after {@code before}'s when it has changes, else {@code before}'s own. Alerts are told
     * apart by {@code spike_id}, and compared whole rather than by {@code updated_at} alone: the job republishes an
     * alert with the same update time when coroner reports confirm it (new evidence and explanation), and the
     * public view has no update time at all.
     */
    static AlertLists changes(AlertLists before, AlertLists after) {
        List<Map<String, Object>> restricted = changed(before.restricted, after.restricted);
        List<Map<String, Object>> open = changed(before.open, after.open);
        return new AlertLists(next(before.generation, restricted), next(before.openGeneration, open), restricted, open);
    }

    private static long next(long generation, List<Map<String, Object>> changes) {
        return changes.isEmpty() ? generation : generation + 1;
    }

    private static List<Map<String, Object>> changed(List<Map<String, Object>> before, List<Map<String, Object>> after) {
        Map<Object, Map<String, Object>> previous = new HashMap<>();
        before.forEach(a -> previous.put(a.get("spike_id"), a));
        return after.stream().filter(a -> !a.equals(previous.get(a.get("spike_id")))).toList();
    }
}
