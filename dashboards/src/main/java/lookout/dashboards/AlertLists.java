package lookout.dashboards;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import lookout.kernel.Sha256;

/**
 * The two views of the alert list read from one published snapshot: {@code restricted} (every area, as
 * {@link AlertQueries#alerts} reads it) and {@code open} (the public view), each newest update first. The same
 * shape carries what changed between two snapshots: only the alerts that are new or differ.
 */
record AlertLists(List<Map<String, Object>> restricted, List<Map<String, Object>> open) {
    /**
     * The alerts a caller may see: the public view for the public, else the restricted view of the user's areas, as
     * {@link AlertQueries#asSeenBy} that user.
     */
    List<Map<String, Object>> visibleTo(Optional<User> user) {
        return user.map(u -> restricted.stream().filter(a -> u.maySee((String) a.get("area_id")))
                .map(a -> AlertQueries.asSeenBy(a, u::maySee)).toList()).orElse(open);
    }

    /**
     * The version of what a caller sees, so a client can say which list it holds: a digest of that list alone (64
     * bits, never negative). A number shared by several views would advance on changes the caller may not see (an
     * update time only the restricted view has, an alert in another outreach area), and anyone watching their own
     * stream could time them.
     */
    long versionFor(Optional<User> user) {
        return version(visibleTo(user));
    }

    static long version(List<Map<String, Object>> alerts) {
        return ByteBuffer.wrap(Sha256.of(alerts.toString().getBytes(StandardCharsets.UTF_8))).getLong() & Long.MAX_VALUE;
    }

    boolean isEmpty() {
        return restricted.isEmpty() && open.isEmpty();
    }

    /**
     * The alerts of {@code after} that are new since {@code before} or differ from it, in each view. Alerts are told
     * apart by {@code spike_id}, and compared whole rather than by {@code updated_at} alone: the job republishes an
     * alert with the same update time when coroner reports confirm it (new evidence and explanation), and the
     * public view has no update time at all.
     */
    static AlertLists changes(AlertLists before, AlertLists after) {
        return new AlertLists(changed(before.restricted, after.restricted), changed(before.open, after.open));
    }

    static List<Map<String, Object>> changed(List<Map<String, Object>> before, List<Map<String, Object>> after) {
        Map<Object, Map<String, Object>> previous = new HashMap<>();
        before.forEach(a -> previous.put(a.get("spike_id"), a));
        return after.stream().filter(a -> !a.equals(previous.get(a.get("spike_id")))).toList();
    }
}
