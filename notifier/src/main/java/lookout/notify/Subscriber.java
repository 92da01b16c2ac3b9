package lookout.notify;

import java.util.List;
import java.util.Set;

import lookout.kernel.Severity;

/**
 * Who receives which alerts, and how.
 *
 * @param areas          the area ids, or empty for all areas
 * @param signals        the alert signal codes, or empty for all
 * @param immediate      false: the subscriber wants a daily digest instead of one message per step
 * @param quietHours     null: none
 * @param neighbourAreas the areas (among {@code areas}) whose neighbours the subscriber is told of too
 */
public record Subscriber(String id, String name, String language, List<Channel> channels, Set<String> areas,
        Set<String> signals, Severity minSeverity, boolean immediate, QuietHours quietHours,
        Set<String> neighbourAreas) {

    /** A subscriber to its areas only, without their neighbours. */
    public Subscriber(String id, String name, String language, List<Channel> channels, Set<String> areas,
            Set<String> signals, Severity minSeverity, boolean immediate, QuietHours quietHours) {
        this(id, name, language, channels, areas, signals, minSeverity, immediate, quietHours, Set.of());
    }

    public boolean allAreas() {
        return areas.isEmpty();
    }

    /** Whether an alert of this area, signal and severity concerns the subscriber (neighbours not counted). */
    public boolean wants(String areaId, String signal, Severity severity) {
        return wants(areaId, signal, severity, AreaNeighbours.NONE);
    }

    /** As {@link #wants(String, String, Severity)}, an area next to one of {@link #neighbourAreas} included. */
    public boolean wants(String areaId, String signal, Severity severity, AreaNeighbours neighbours) {
        return (areas.isEmpty() || areas.contains(areaId) || neighbourAreas.stream()
                        .anyMatch(a -> neighbours.of(a).contains(areaId)))
                && (signals.isEmpty() || signals.contains(signal))
                && severity.compareTo(minSeverity) >= 0;
    }

    /** Never contact details: a subscriber's text is its id. */
    @Override
    public String toString() {
        return id;
    }
}
