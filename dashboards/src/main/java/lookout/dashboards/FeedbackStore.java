package lookout.dashboards;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import lookout.kernel.UsageException;

/**
 * The answers to "was this useful?" ({@link Feedback}), as anonymous counts per alert, answer and reason: nothing
 * about who answered (no address, cookie or recipient) is kept. The dashboards' own small JSON file, never the
 * job's published snapshot (read-only): rewritten whole, by a rename, after each answer, so a crash leaves the old
 * counts or the new ones. Without a file the counts last as long as the server.
 */
public final class FeedbackStore {
    /** Refuses what follows the first JSON value: a file of JSON lines must not pass as the object on its first. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public enum Answer {
        YES, NO;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Optional<Answer> of(String code) {
            return Arrays.stream(values()).filter(a -> a.code().equals(code)).findFirst();
        }
    }

    /** The reasons one may give, a fixed list per answer: free text could carry a name. */
    public enum Reason {
        PASSED_ON("passed_on", Answer.YES, "I passed the warning on"),
        CHANGED_OUTREACH("changed_outreach", Answer.YES, "We changed where or when we did outreach"),
        CONFIRMED("confirmed", Answer.YES, "It confirmed what we were seeing"),
        TOO_LATE("too_late", Answer.NO, "It came too late"),
        NOT_MY_AREA("not_my_area", Answer.NO, "Not an area I work in"),
        NOTHING_UNUSUAL("nothing_unusual", Answer.NO, "Nothing unusual was happening"),
        HARD_TO_UNDERSTAND("hard_to_understand", Answer.NO, "Hard to understand"),
        TOO_MANY("too_many", Answer.NO, "Too many messages");

        final String code;
        final Answer answer;
        final String label;

        Reason(String code, Answer answer, String label) {
            this.code = code;
            this.answer = answer;
            this.label = label;
        }

        static Optional<Reason> of(String code) {
            return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
        }
    }

    /** One alert's answers: how many said yes and no, and how often each reason was given. */
    record Tally(String spikeId, long yes, long no, Map<Reason, Long> reasons) {}

    private record Key(String spikeId, Answer answer, Reason reason) {}

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::spikeId).thenComparing(Key::answer)
            .thenComparing(k -> k.reason() == null ? -1 : k.reason().ordinal());

    private final Path file;
    private final Map<Key, Long> counts = new TreeMap<>(ORDER);

    private FeedbackStore(Path file) {
        this.file = file;
    }

    /** The counts in {@code file}, created with the first answer; a file that is not the store's stops the command. */
    public static FeedbackStore open(Path file) {
        FeedbackStore store = new FeedbackStore(file);
        if (Files.exists(file)) {
            store.read();
        }
        return store;
    }

    /** Counts kept in memory only (tests, and servers started without a feedback file). */
    public static FeedbackStore inMemory() {
        return new FeedbackStore(null);
    }

    synchronized void add(String spikeId, Answer answer, Reason reason) {
        counts.merge(new Key(spikeId, answer, reason), 1L, Long::sum);
        write();
    }

    /** Every alert with an answer, by spike id. */
    synchronized List<Tally> tallies() {
        Map<String, long[]> answers = new LinkedHashMap<>();
        Map<String, Map<Reason, Long>> reasons = new LinkedHashMap<>();
        counts.forEach((k, n) -> {
            answers.computeIfAbsent(k.spikeId(), s -> new long[2])[k.answer().ordinal()] += n;
            Map<Reason, Long> r = reasons.computeIfAbsent(k.spikeId(), s -> new TreeMap<>());
            if (k.reason() != null) {
                r.merge(k.reason(), n, Long::sum);
            }
        });
        return answers.entrySet().stream().map(e -> new Tally(e.getKey(), e.getValue()[0], e.getValue()[1],
                Map.copyOf(reasons.get(e.getKey())))).toList();
    }

    private void read() {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (!root.path("counts").isArray()) {
                // Any other JSON (a GeoJSON file, a manifest) would be replaced by the counts at the first answer.
                throw new IllegalArgumentException();
            }
            for (JsonNode c : root.path("counts")) {
                Answer answer = Answer.of(c.path("answer").asText()).orElseThrow();
                Reason reason = c.path("reason").isNull() ? null : Reason.of(c.path("reason").asText()).orElseThrow();
                if (!c.path("spike_id").isTextual() || !c.path("count").canConvertToLong()) {
                    throw new IllegalArgumentException();
                }
                counts.put(new Key(c.path("spike_id").asText(), answer, reason), c.path("count").asLong());
            }
        } catch (IOException | RuntimeException e) {
            throw new UsageException("feedback file " + file + " is not a Lookout feedback file (JSON with a"
                    + " \"counts\" array); move it away or name another file");
        }
    }

    private void write() {
        if (file == null) {
            return;
        }
        ObjectNode root = JSON.createObjectNode();
        ArrayNode rows = root.putArray("counts");
        counts.forEach((k, n) -> {
            ObjectNode row = rows.addObject().put("spike_id", k.spikeId()).put("answer", k.answer().code());
            if (k.reason() == null) {
                row.putNull("reason");
            } else {
                row.put("reason", k.reason().code);
            }
            row.put("count", n);
        });
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".feedback", ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), root);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the feedback file " + file, e);
        }
    }
}
