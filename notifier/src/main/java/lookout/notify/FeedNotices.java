package lookout.notify;

import java.util.HashMap;
import java.util.Map;
import java.util.ResourceBundle;

import lookout.schema.FeedHealth;

/**
 * The operator's messages about a feed's health, in the words of the bundles ({@code feed.*} keys of
 * {@code messages_LANG.properties}): "Paramedic feed silent for 3 hours; usually a record every 10 minutes", and
 * the all-clear when the episode ends. Built only from the episode's source, status and figures: a feed-health
 * episode carries no area, person or record.
 */
final class FeedNotices {
    /** A notice: its subject (email) and its text. */
    record Notice(String subject, String text) {}

    private FeedNotices() {}

    static Notice compose(FeedHealth episode, String language) {
        ResourceBundle b = Messages.bundle(language);
        String kind = episode.getStatus() + (episode.getUntil() == null ? "" : ".ended");
        Map<String, String> values = new HashMap<>();
        values.put("source", b.getString("feed.source." + episode.getSource()));
        long silentMillis = episode.getUntil() == null
                ? Math.round(seconds(episode.getSecondsSinceLastRecord()) * 1000)
                : episode.getUntil() - episode.getSince();
        values.put("duration", duration(silentMillis / 1000.0, b));
        values.put("usual", episode.getUsualGapSeconds() == null ? b.getString("feed.usual.unknown")
                : every(episode.getUsualGapSeconds(), b));
        values.put("share", Messages.fill(b.getString("feed.percent"), Map.of("0", episode.getDeadLetterShare() == null
                ? "?" : Long.toString(Math.round(episode.getDeadLetterShare() * 100)))));
        return new Notice(Messages.fill(b.getString("feed.subject." + kind), values),
                Messages.fill(b.getString("feed.text." + kind), values));
    }

    private static double seconds(Double s) {
        return s == null ? 0 : s;
    }

    /** "3 hours", "10 minutes", "1 minute": the largest unit of which there are two or more, or just one. */
    static String duration(double seconds, ResourceBundle b) {
        Unit u = Unit.of(seconds);
        long n = Math.round(seconds / u.seconds);
        return n == 1 ? "1 " + b.getString("feed." + u.name) : Messages.fill(b.getString("feed." + u.name + "s"),
                Map.of("0", Long.toString(n)));
    }

    /** "every 10 minutes", "every minute". */
    static String every(double seconds, ResourceBundle b) {
        Unit u = Unit.of(seconds);
        long n = Math.round(seconds / u.seconds);
        return n == 1 ? Messages.fill(b.getString("feed.every.one"), Map.of("0", b.getString("feed." + u.name)))
                : Messages.fill(b.getString("feed.every.many"), Map.of("0", duration(seconds, b)));
    }

    private enum Unit {
        SECOND("second", 1), MINUTE("minute", 60), HOUR("hour", 3600), DAY("day", 86_400);

        final String name;
        final double seconds;

        Unit(String name, double seconds) {
            this.name = name;
            this.seconds = seconds;
        }

        static Unit of(double seconds) {
            Unit u = SECOND;
            for (Unit candidate : values()) {
                if (seconds >= 2 * candidate.seconds || Math.abs(seconds - candidate.seconds) < candidate.seconds / 100) {
                    u = candidate;
                }
            }
            return u;
        }
    }
}
