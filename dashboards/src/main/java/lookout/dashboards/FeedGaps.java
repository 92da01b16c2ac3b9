package lookout.dashboards;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import lookout.kernel.Signal;

/**
 * The periods in which a source's feed was silent or bad, from the published {@code feed_health} table (a snapshot
 * written before it existed has none). While one lasts, a calm area may only look calm: the map marks areas that
 * would be "usual" or "too few to show" as "data incomplete" and shows a banner, and the area page shades every
 * such period on its charts.
 */
final class FeedGaps {
    /** One episode: the source, silent or bad, and when (until is null while it lasts). */
    record Episode(String source, String status, Instant since, Instant until) {
        boolean open() {
            return until == null;
        }

        /**
         * Whether the episode overlaps the local {@code day} in {@code zone}; one still going overlaps every day from
         * the one it began on.
         */
        boolean touches(LocalDate day, ZoneId zone) {
            Instant start = day.atStartOfDay(zone).toInstant();
            return since.isBefore(day.plusDays(1).atStartOfDay(zone).toInstant()) && (open() || until.isAfter(start));
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", source);
            m.put("status", status);
            m.put("since", since.toString());
            m.put("until", until == null ? null : until.toString());
            return m;
        }
    }

    private FeedGaps() {}

    /** Every episode, oldest first. */
    static List<Episode> read(Connection c) throws SQLException {
        List<Episode> out = new ArrayList<>();
        if (!present(c)) {
            return out;
        }
        try (PreparedStatement s = c.prepareStatement(
                "SELECT source, status, since, until FROM feed_health ORDER BY since, source, status");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Timestamp until = rs.getTimestamp(4);
                out.add(new Episode(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        until == null ? null : until.toInstant()));
            }
        }
        return out;
    }

    /** The episodes still going on. */
    static List<Episode> open(Connection c) throws SQLException {
        return read(c).stream().filter(Episode::open).toList();
    }

    /** The episodes of the sources a signal is counted from ({@link Signal#countedFrom}). */
    static List<Episode> forSignal(Connection c, Signal signal) throws SQLException {
        return read(c).stream().filter(e -> signal.isCountedFrom(e.source())).toList();
    }

    /** The map's banner while a feed is silent or bad, or nothing. */
    static String banner(List<Episode> open, ZoneId zone) {
        if (open.isEmpty()) {
            return "";
        }
        DateTimeFormatter when = DateTimeFormatter.ofPattern("EEEE d MMMM, HH:mm", Locale.CANADA).withZone(zone);
        StringBuilder b = new StringBuilder("<div class=\"feed-banner\" role=\"status\"><p><b>Data incomplete.</b> ");
        for (Episode e : open) {
            b.append(Html.text("The " + e.source().replace('_', ' ') + " feed has "
                    + (e.status().equals("silent") ? "sent nothing" : "sent mostly unreadable records") + " since "
                    + when.format(e.since()) + ". "));
        }
        return b.append("Until it is back, a neighbourhood that looks calm may not be: such areas are marked"
                + " <b>Data incomplete</b>.</p></div>\n").toString();
    }

    private static boolean present(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM information_schema.tables"
                + " WHERE table_catalog = current_database() AND table_name = 'feed_health'");
             ResultSet rs = s.executeQuery()) {
            return rs.next();
        }
    }
}
