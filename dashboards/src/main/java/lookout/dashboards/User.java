package lookout.dashboards;

import java.util.Set;
import java.util.TreeSet;

/**
 * One account of the users file. {@code areas} is the outreach profile (empty for analysts, who see every area).
 */
public record User(String name, Role role, String tokenHash, Set<String> areas) {
    /** What this user may see, as a key: users with the same view get the same answers. */
    String view() {
        return role == Role.ANALYST ? role.code() : role.code() + ":" + String.join(",", new TreeSet<>(areas));
    }

    /** True if this user may see restricted data about {@code areaId}. */
    public boolean maySee(String areaId) {
        return role == Role.ANALYST || (role == Role.OUTREACH && areas.contains(areaId));
    }
}
