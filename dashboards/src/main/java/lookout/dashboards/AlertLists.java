package lookout.dashboards;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two views of the alert list read from one published snapshot: {@code restricted} (every area, as
 * {@link AlertQueries#alerts} reads it) and {@code open} (the public view), each newest update first.
 * {@code generation} numbers the snapshots whose alerts changed, so a client can say which lists it already holds.
 * The same shape carries what changed between two snapshots: only the alerts that are new or differ.
 */
record AlertLists(long generation, List<Map<String, Object>> restricted, List<Map<String, Object>> open) {
    /** The alerts a caller may see: the public view for the public, else the restricted view of the user's areas. */
    List<Map<String, Object>> visibleTo(Optional<User> user) {
        return user.map(u -> restricted.stream().filter(a -> u.maySee((String) a.get("area_id"))).toList())
                .orElse(open);
    }

    boolean isEmpty() {
        return restricted.isEmpty() && open.isEmpty();
    }

    /**
     * The alerts of {@code after} that are new since {@code before} or differ from it, in each view, numbered as
     * {@code generation}. Alerts are told apart by {@code spike_id}, and compared whole rather than by
     * {@code updated_at} alone: the job republishes an alert with the same update time when coroner reports confirm
     * it (new evidence and explanation), and the public view has no update time at all.
     */
    static AlertLists changes(AlertLists before, AlertLists after, long generation) {
        return new AlertLists(generation, changed(before.restricted, after.restricted), changed(before.open, after.open));
    }

    private static List<Map<String, Object>> changed(List<Map<String, Object>> before, List<Map<String, Object>> after) {
        Map<Object, Map<String, Object>> previous = new HashMap<>();
        before.forEach(a -> previous.put(a.get("spike_id"), a));
        return after.stream().filter(a -> !a.equals(previous.get(a.get("spike_id")))).toList();
    }
}
