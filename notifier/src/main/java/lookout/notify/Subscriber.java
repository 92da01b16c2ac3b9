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
 * @param publicTier     true for anybody who joined without an account (a number that texted JOIN): told only
 *                       what the public feeds tell (alerts on public signals once they count k events, no count)
 */
public record Subscriber(String id, String name, String language, List<Channel> channels, Set<String> areas,
        Set<String> signals, Severity minSeverity, boolean immediate, QuietHours quietHours,
        Set<String> neighbourAreas, boolean publicTier) {

    /** A subscriber to its areas only, without their neighbours. */
    public Subscriber(String id, String name, String language, List<Channel> channels, Set<String> areas,
            Set<String> signals, Severity minSeverity, boolean immediate, QuietHours quietHours) {
        this(id, name, language, channels, areas, signals, minSeverity, immediate, quietHours, Set.of());
    }

    /** A subscriber the operator or an account vouches for, told the alert tier: counts, every signal. */
    public Subscriber(String id, String name, String language, List<Channel> channels, Set<String> areas,
            Set<String> signals, Severity minSeverity, boolean immediate, QuietHours quietHours,
            Set<String> neighbourAreas) {
        this(id, name, language, channels, areas, signals, minSeverity, immediate, quietHours, neighbourAreas, false);
    }

    /** The same subscriber with {@code channels}. */
    public Subscriber withChannels(List<Channel> channels) {
        return new Subscriber(id, name, language, channels, areas, signals, minSeverity, immediate, quietHours,
                neighbourAreas, publicTier);
    }

    /** The same subscriber, told only what the public is told. */
    public Subscriber asPublic() {
        return new Subscriber(id, name, language, channels, areas, signals, minSeverity, immediate, quietHours,
                neighbourAreas, true);
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
