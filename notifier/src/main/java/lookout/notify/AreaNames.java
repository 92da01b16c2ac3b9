package lookout.notify;

import java.nio.file.Path;
import java.text.Normalizer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Area names as people read them, from the published snapshot's {@code areas} table (the same the dashboards
 * read), reread when the job publishes a new snapshot. An area not found there, or every area when no snapshot is
 * configured, is named "area ID".
 */
public final class AreaNames {
    private final PublishedSnapshot snapshot;
    private Map<String, String> names = Map.of();
    private boolean read;

    private AreaNames(Path snapshot, Map<String, String> names) {
        this.snapshot = snapshot == null ? null : new PublishedSnapshot(snapshot);
        this.names = names;
    }

    public static AreaNames fromSnapshot(Path snapshot) {
        return new AreaNames(snapshot, Map.of());
    }

    /** Fixed names (tests, and a deployment without a snapshot). */
    public static AreaNames of(Map<String, String> names) {
        return new AreaNames(null, Map.copyOf(names));
    }

    public synchronized String name(String areaId) {
        refresh();
        String name = names.get(areaId);
        return name != null ? name : "area " + areaId;
    }

    /**
     * The area a person means by {@code text}: its id, or its name written in any case, with or without accents,
     * apostrophes and other punctuation ("moss park", "North St James Town", "Tam OShanter"), or the first words of
     * one name only ("Larkspur" for Larkspur Commons, as a texter shortens it); empty when no known area matches.
     */
    public synchronized Optional<String> find(String text) {
        refresh();
        String wanted = plain(text);
        if (wanted.isEmpty()) {
            return Optional.empty();
        }
        List<String> beginning = new ArrayList<>();
        for (Map.Entry<String, String> a : names.entrySet()) {
            if (plain(a.getKey()).equals(wanted) || plain(a.getValue()).equals(wanted)) {
                return Optional.of(a.getKey());
            }
            if (plain(a.getValue()).startsWith(wanted + " ")) {
                beginning.add(a.getKey());
            }
        }
        return beginning.size() == 1 ? Optional.of(beginning.get(0)) : Optional.empty();
    }

    /** Whether names have been read from the snapshot at least once (always, with fixed names). */
    public synchronized boolean read() {
        refresh();
        return snapshot == null || read;
    }

    /** Lower case, without accents or apostrophes ("O'Shanter" and "OShanter" alike), words separated by one space. */
    private static String plain(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT)
                .replaceAll("['\u2019]", "").replaceAll("[^a-z0-9]+", " ").strip();
    }

    private void refresh() {
        if (snapshot != null) {
            snapshot.readIfNew(AreaNames::read).ifPresent(found -> {
                names = found;
                read = true;
            });
        }
    }

    private static Map<String, String> read(Statement published) throws SQLException {
        Map<String, String> read = new HashMap<>();
        try (ResultSet rs = published.executeQuery("SELECT area_id, name FROM areas")) {
            while (rs.next()) {
                read.put(rs.getString(1), rs.getString(2));
            }
        }
        return Map.copyOf(read);
    }
}
