package lookout.cluster.faults;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import lookout.demo.DemoStreamGenerator;
import lookout.demo.DemoStreamGenerator.BadKind;
import lookout.demo.DemoStreamGenerator.Truth;
import lookout.geo.Area;
import lookout.geo.AreaIndex;

/**
 * A generated feed of the demo city in which one record in ten (to the nearest record) is poison: the generator's malformed
 * records (not JSON, an unknown source, no event id, an unreadable time, coordinates off the globe) and, to make
 * up the tenth, records of the kinds that once stopped the job for good (a time of year -999999999 that overflowed
 * a long, year -300000 that DuckDB refused at every commit, reported before it occurred, invalid UTF-8, a duplicate
 * key, JSON that is not an object), each with the dead-letter reason it must get.
 */
final class PoisonStream {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The once-fatal kinds: how each is made from a valid paramedic record, and its reason. */
    private record Kind(String reason, Function<String, byte[]> make) {}

    private final List<byte[]> records;
    private final Truth truth;
    private final Map<String, Integer> deadLetters;

    private PoisonStream(List<byte[]> records, Truth truth, Map<String, Integer> deadLetters) {
        this.records = records;
        this.truth = truth;
        this.deadLetters = deadLetters;
    }

    /**
     * @param days days of events from the generator's start
     * @param ratePerDay paramedic calls per area per day (the other sources keep the generator's proportions)
     */
    static PoisonStream generate(long seed, int days, double ratePerDay) throws Exception {
        AreaIndex city = AreaIndex.demoCity();
        double scale = ratePerDay / 0.8;
        DemoStreamGenerator generator = new DemoStreamGenerator(DemoStreamGenerator.Settings
                .builder(city.areas().stream().map(Area::id).toList(), city)
                .seed(seed).days(days).duplicateFraction(0.02).badFraction(0.05)
                .ratePerDay(lookout.ingest.Source.PARAMEDIC, 0.8 * scale)
                .ratePerDay(lookout.ingest.Source.NALOXONE, 0.4 * scale)
                .ratePerDay(lookout.ingest.Source.CORONER, 0.05 * scale)
                .build());
        List<String> lines = generator.generate();
        Truth truth = generator.truth();
        Map<String, Integer> deadLetters = new TreeMap<>();
        deadLetters.put("not_json_or_avro", truth.badByKind().getOrDefault(BadKind.NOT_JSON, 0));
        deadLetters.put("unknown_source", truth.badByKind().getOrDefault(BadKind.UNKNOWN_SOURCE, 0));
        deadLetters.put("missing_field:event_id", truth.badByKind().getOrDefault(BadKind.MISSING_EVENT_ID, 0));
        deadLetters.put("unparseable_timestamp", truth.badByKind().getOrDefault(BadKind.BAD_TIMESTAMP, 0));
        deadLetters.put("coordinates_out_of_range", truth.badByKind().getOrDefault(BadKind.COORDINATES_OUT_OF_RANGE, 0));

        // (bad + extra) / (lines + extra) = 1/10, to the nearest record.
        int extra = Math.max(0, Math.round((lines.size() - 10f * truth.badRecords()) / 9));
        ObjectNode template = firstValidParamedic(lines);
        List<Kind> kinds = onceFatalKinds(template);
        List<byte[]> records = new ArrayList<>(lines.size() + extra);
        int every = extra == 0 ? Integer.MAX_VALUE : lines.size() / extra;
        int made = 0;
        for (int i = 0; i < lines.size(); i++) {
            records.add(lines.get(i).getBytes(StandardCharsets.UTF_8));
            if (made < extra && (i + 1) % every == 0) {
                Kind kind = kinds.get(made % kinds.size());
                records.add(kind.make().apply("poison-" + made));
                deadLetters.merge(kind.reason(), 1, Integer::sum);
                made++;
            }
        }
        while (made < extra) {
            Kind kind = kinds.get(made % kinds.size());
            records.add(kind.make().apply("poison-" + made));
            deadLetters.merge(kind.reason(), 1, Integer::sum);
            made++;
        }
        return new PoisonStream(records, truth, deadLetters);
    }

    /** Every record, in the order to publish them. */
    List<byte[]> records() {
        return records;
    }

    /** The generator's exact counts of the valid events. */
    Truth truth() {
        return truth;
    }

    /**
     * Dead letters each reason must get; the generator's unreadable times are counted under
     * {@code unparseable_timestamp} whichever field they were in (see {@link #reasonGroup}).
     */
    Map<String, Integer> deadLetters() {
        return deadLetters;
    }

    int poison() {
        return deadLetters.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The reason a dead letter is counted under in {@link #deadLetters()}. */
    static String reasonGroup(String reason) {
        return reason.startsWith("unparseable_timestamp:") ? "unparseable_timestamp" : reason;
    }

    private static List<Kind> onceFatalKinds(ObjectNode template) {
        String occurred = template.get("occurred_at").asText();
        return List.of(
                new Kind("implausible_timestamp:occurred_at",
                        id -> utf8(variant(template, id, "occurred_at", "-999999999-01-01T00:00:00Z").toString())),
                new Kind("implausible_timestamp:occurred_at",
                        id -> utf8(variant(template, id, "occurred_at", "-300000-06-01T00:00:00Z").toString())),
                new Kind("reported_before_occurred", id -> utf8(variant(template, id, "reported_at",
                        OffsetDateTime.parse(occurred).minusSeconds(1).toString()).toString())),
                new Kind("invalid_utf8", id -> splice(variant(template, id, "notes", "@@").toString(), new byte[] {(byte) 0xff})),
                new Kind("duplicate_key", id -> utf8(variant(template, id, "notes", "")
                        .toString().replaceFirst("\\{", "{\"event_id\":\"junk\","))),
                new Kind("not_an_object", id -> utf8("[1,2]")));
    }

    private static byte[] utf8(String line) {
        return line.getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode firstValidParamedic(List<String> lines) throws Exception {
        for (String line : lines) {
            if (line.contains("\"source\":\"paramedic\"") && line.contains("\"location\"")) {
                ObjectNode node = (ObjectNode) JSON.readTree(line);
                String occurred = node.path("occurred_at").asText();
                if (occurred.length() == 25 && OffsetDateTime.parse(occurred).getYear() == 2026) {
                    return node;
                }
            }
        }
        throw new AssertionError("no valid paramedic event in the generated feed");
    }

    private static ObjectNode variant(ObjectNode template, String id, String field, String value) {
        ObjectNode v = template.deepCopy();
        v.put("event_id", id);
        v.put(field, value);
        return v;
    }

    private static byte[] splice(String line, byte[] bytes) {
        int at = line.indexOf("@@");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(line.substring(0, at).getBytes(StandardCharsets.UTF_8));
        b.writeBytes(bytes);
        b.writeBytes(line.substring(at + 2).getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }
}
