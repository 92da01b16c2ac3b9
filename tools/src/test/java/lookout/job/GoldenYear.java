package lookout.job;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import lookout.demo.DemoStreamGenerator;
import lookout.geo.Area;
import lookout.geo.AreaIndex;
import lookout.ingest.NdjsonRanges;
import lookout.ingest.Source;
import lookout.web.YearOfEvents;

/**
 * A generated year of input for Toronto's 158 areas that exercises every part of a backfill, written as the three
 * NDJSON files a backfill reads from one directory:
 * <ul>
 * <li>{@code year.ndjson}: a {@link YearOfEvents} (the demo generator: all four sources, points and area codes,
 * duplicates, broken records, calls with a bystander's naloxone report of the same person, drug-checking findings,
 * and a spike in {@link #SPIKE_AREA} over the last hours that opens an alert), as exported at {@link #END} (what
 * had been reported by then), at rates that give about 65,000 events, with {@link #edgeLines} spread through it,
 * blank lines, and two lines of about {@link #MAX_RECORD_BYTES} (one just fitting, one just too large) each placed
 * across a cut where the file is read as byte ranges. At over 16 MB the file is cut into ranges
 * ({@link NdjsonRanges});</li>
 * <li>{@code ties.ndjson.gz} (gzip, so read whole): reports of one person tied to the minute in different areas,
 * which the linker must take in a fixed order;</li>
 * <li>{@code zz-crlf.ndjson}: a few valid and broken records with Windows line ends.</li>
 * </ul>
 * Everything is seeded or fixed, and the files' modification time is fixed too (a backfill stamps its rows with
 * it): the same bytes on every machine, so that the old and the new graph can be compared on them.
 */
final class GoldenYear {
    static final ZoneId ZONE = ZoneId.of("America/Toronto");
    /** The year covers the 365 days ending at midnight of 2026-06-01, Toronto time. */
    static final Instant END = ZonedDateTime.of(2026, 6, 1, 0, 0, 0, 0, ZONE).toInstant();
    static final int DAYS = 365;
    static final long SEED = 20_261_201L;
    /** Moss Park. */
    static final String SPIKE_AREA = "073";
    /** The job's default {@code ingest.max_record_bytes}. */
    static final int MAX_RECORD_BYTES = 1_000_000;
    /** The file source's readers at the job's default parallelism; the ranges of a file are at most four per reader. */
    private static final int READERS = 2;
    private static final int TIED_PEOPLE = 6;
    private static final int TIED_DAYS = 20;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    private GoldenYear() {}

    /** Writes the three files into {@code dir} (created if absent) and returns it. */
    static Path write(Path dir, AreaIndex city) throws IOException {
        Files.createDirectories(dir);
        List<String> ids = city.areas().stream().map(Area::id).toList();
        DemoStreamGenerator generator = new DemoStreamGenerator(YearOfEvents
                .settings(city, SPIKE_AREA, END, DAYS, ZONE, SEED)
                .ratePerDay(Source.PARAMEDIC, 0.6).ratePerDay(Source.NALOXONE, 0.3).ratePerDay(Source.CORONER, 0.03)
                .checkingSites(5).duplicateFraction(0.03).badFraction(0.02).build());
        List<byte[]> year = new ArrayList<>();
        List<byte[]> edges = edgeLines(ids);
        // A history exported at END holds what had been reported by then: the late coroner reports of the last
        // weeks are not in it yet, so the last days are recent enough to be nowcast.
        List<String> generated = generator.timedLines().stream().filter(t -> !t.deliverAt().isAfter(END))
                .map(DemoStreamGenerator.TimedLine::line).toList();
        int every = generated.size() / (edges.size() + 1);
        for (int i = 0; i < generated.size(); i++) {
            year.add(utf8(generated.get(i)));
            if (i % every == every - 1 && i / every < edges.size()) {
                year.add(edges.get(i / every));
            }
            if (i % 9_973 == 17) {
                year.add(utf8(i % 2 == 0 ? "" : " \t "));
            }
        }
        placeAcrossCuts(year, List.of(paddedRecord(ids.get(3), MAX_RECORD_BYTES), paddedRecord(ids.get(4),
                MAX_RECORD_BYTES + 1)));
        Path yearFile = writeLines(dir.resolve("year.ndjson"), year, "\n");
        Path ties = dir.resolve("ties.ndjson.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(ties))) {
            for (String line : tiedLines(ids)) {
                out.write(utf8(line + "\n"));
            }
        }
        Path crlf = writeLines(dir.resolve("zz-crlf.ndjson"), crlfLines(ids), "\r\n");
        for (Path p : List.of(yearFile, ties, crlf)) {
            Files.setLastModifiedTime(p, FileTime.from(END.plusSeconds(86_400)));
        }
        return dir;
    }

    /**
     * Records at the edges of the input contract, each otherwise valid: timestamps in every shape the formatter
     * takes and some it refuses, JSON written unusually (escapes, exponents, spacing, duplicate and unknown members,
     * nulls), text beyond ASCII and bytes that are not UTF-8, odd spellings of substances, unknown areas and points
     * outside the city, records from the future and before the earliest plausible instant.
     */
    static List<byte[]> edgeLines(List<String> ids) {
        String a = ids.get(10);
        String b = ids.get(20);
        String at = "\"area_code\":\"" + a + "\"";
        List<String> text = new ArrayList<>();
        int n = 0;
        // Timestamps: fractions of every length, Z in either case, no seconds, offsets from -18:00 to +18:00.
        for (String occurred : List.of("2025-11-12T10:15:00.5Z", "2025-11-12T10:15:00.123-05:00",
                "2025-11-12T10:15:00.123456789-05:00", "2025-11-12T10:15:00.1234567890-05:00", "2025-11-12t10:15:00z",
                "2025-11-12T10:15-05:00", "2025-11-12T15:15:00+00:00", "2025-11-12T20:45:00+05:30",
                "2025-11-12T21:15:00+11:00", "2025-11-13T09:15:00+18:00", "2025-11-11T21:15:00-18:00",
                "2025-11-12T21:15:00+18:30", "2025-11-12T10:15:60-05:00", "2025-11-12T24:00:00-05:00",
                "2025-02-29T10:15:00-05:00", "2025-11-12T10:15:00-0500",
                "2025-11-12T10:15:00-05", "2025-11-12T10:15:00+05:00:30", "2025-11-12 10:15:00-05:00",
                "+2025-11-12T10:15:00-05:00", "2025-11-12T10:15:00.-05:00", "20251112T101500Z",
                "2025-11-12T10:15:00\\u002D05:00", "2025-11-12T10:15:00-05:00 ", "2025-11-12T10:15:00Z[UTC]",
                "2025-11-12T10:15:00GMT", "2999-01-01T00:00:00Z", "1999-12-31T23:59:59Z",
                "0000-01-01T00:00:00Z", "2025-06-01T00:00:00-04:00", "2025-11-02T01:30:00-04:00",
                "2025-11-02T01:30:00-05:00", "2026-03-08T02:30:00-05:00")) {
            text.add(paramedic("GY-T" + (++n), "\"" + occurred + "\"", "\"2026-05-20T10:00:00-04:00\"", at, ""));
        }
        text.add(paramedic("GY-T" + (++n), "\"2025-11-12T10:15:00-05:00\"", "\"2025-11-12T10:14:59-05:00\"", at, ""));
        text.add(paramedic("GY-T" + (++n), "\"2025-11-12T10:15:00-05:00\"", "\"2025-11-12T15:14:59.999Z\"", at, ""));
        text.add(paramedic("GY-T" + (++n), "\"2025-11-12T10:15:00-05:00\"", "20251112", at, ""));
        text.add(paramedic("GY-T" + (++n), "null", "\"2025-11-12T12:00:00-05:00\"", at, ""));
        // JSON written unusually.
        text.add("  {\"event_id\" : \"GY-J1\" ,\"source\":\"paramedic\",\t"
                + "\"occurred_at\":\"2025-09-01T08:00:00-04:00\","
                + "\"reported_at\":\"2025-09-01T09:00:00-04:00\", " + at + " }  ");
        text.add("{\"event_id\":\"GY-J2\",\"source\":\"parame\\u0064ic\","
                + "\"occurred\\u005fat\":\"2025-09-01T08:00:00-04:00\","
                + "\"reported_at\":\"2025-09-01T09:00:00-04:00\"," + at + "}");
        text.add(paramedic("GY-J3", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"", at,
                ",\"area_code\":\"" + b + "\""));
        text.add(paramedic("GY-J4", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"",
                "\"location\":{\"lat\":4.3654e1,\"lon\":-7.93805E1}", ""));
        text.add(paramedic("GY-J5", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"",
                "\"location\":{\"lat\":\"43.654\",\"lon\":-79.3805}", ""));
        text.add(paramedic("GY-J6", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"",
                "\"location\":{\"lon\":-79.3805,\"lat\":43.654,\"accuracy_m\":12.5}",
                ",\"extra\":{\"a\":[1,{\"b\":null}],"
                + "\"c\":\"}\"},\"notes\":null,\"person\":null,\"naloxone_doses\":null"));
        text.add(paramedic("GY-J7", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"", at,
                ",\"naloxone_doses\":2.0"));
        text.add(paramedic("GY-J8", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"", at,
                ",\"naloxone_doses\":\"2\""));
        text.add(paramedic("GY-J9", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"", at,
                ",\"suspected_substances\":\"fentanyl\""));
        text.add(paramedic("GY-J10", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"", at, "") + " {}");
        text.add(paramedic("GY-J11", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"", at, "")
                + "{\"event_id\":\"x\"}");
        text.add(paramedic("GY-J12", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"", at,
                ",\"person\":{}"));
        text.add(paramedic("GY-J13", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"", at,
                ",\"person\":{\"name\":\"Edge Person\",\"age\":-3}"));
        text.add(paramedic("GY-J14", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"", at,
                ",\"event_id\":\"GY-J14b\""));
        text.add(paramedic("GY-J15", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"", at,
                ",\"source\":\"naloxone\""));
        text.add(paramedic("", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"", at, ""));
        text.add(paramedic("GY-J16", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"",
                "\"area_code\":\"999\"", ""));
        text.add(paramedic("GY-J17", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"",
                "\"location\":{\"lat\":45.5,\"lon\":-73.6}", ""));
        text.add(paramedic("GY-J18", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"",
                "\"location\":{\"lat\":43.654}", ""));
        text.add(paramedic("GY-J19", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"",
                "\"location\":{\"lat\":43.654,\"lon\":-79.3805}," + at, ""));
        text.add("{\"event_id\":\"GY-J20\",\"source\":\"Paramedic\",\"occurred_at\":\"2025-09-01T08:00:00-04:00\","
                + "\"reported_at\":\"2025-09-01T09:00:00-04:00\"," + at + "}");
        text.add("{\"event_id\":\"GY-J21\",\"occurred_at\":\"2025-09-01T08:00:00-04:00\","
                + "\"reported_at\":\"2025-09-01T09:00:00-04:00\"," + at + "}");
        text.add("{}");
        text.add("[]");
        text.add("null");
        text.add("\"paramedic\"");
        text.add("{\"event_id\":\"GY-J22\",\"source\":\"paramedic\"");
        text.add(paramedic("GY-J23", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"", at, ","));
        text.add(paramedic("GY-J24", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"", at,
                ",\"notes\":\"tab\\tquote\\\"slash\\/backslash\\\\ \\ud83d\\ude00 \\u00e9\""));
        text.add(paramedic("GY-J25", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"", at,
                ",\"notes\":\"lone surrogate \\ud83d here\""));
        text.add(paramedic("GY-J26", "\"2025-09-01T08:00:00-04:00\"", "\"2025-09-01T09:00:00-04:00\"", at,
                ",\"notes\":\"bad escape \\x41\""));
        // The other sources, with the same care.
        text.add(coroner("GY-C1", "\"2025-10-03T23:59:59-04:00\"", "\"2025-11-20T12:00:00-05:00\"", at,
                ",\"status\":\"confirmed\""));
        text.add(coroner("GY-C2", "\"2025-10-04T00:00:00-04:00\"", "\"2025-11-20T12:00:00-05:00\"", at,
                ",\"status\":\"Confirmed\""));
        text.add(coroner("GY-C3", "\"2025-10-04T00:00:00-04:00\"", "\"2025-11-20T12:00:00-05:00\"", at,
                ",\"status\":\"retracted\""));
        text.add(coroner("GY-C4", "\"2025-10-04T00:00:00-04:00\"", "\"2025-11-20T12:00:00-05:00\"", at,
                ",\"toxicology\":[\"Fentanyl\",\" xylazine \",\"CARFENTANIL\",\"fentanyl\",\"\"]"));
        text.add(naloxone("GY-N1", "\"2025-12-24T23:30:00-05:00\"", "\"2025-12-25T00:30:00-05:00\"",
                "\"location\":{\"lat\":43.654,\"lon\":-79.3805}", ",\"doses\":0,\"outcome\":\"survived\""));
        text.add(naloxone("GY-N2", "\"2025-12-24T23:30:00-05:00\"", "\"2025-12-25T00:30:00-05:00\"", at,
                ",\"doses\":-1,\"outcome\":\"revived\""));
        for (String detected : List.of("[]", "[{\"substance\":\"Fentanyl\"}]", "[{\"substance\":\" xylazine \"}]",
                "[{\"substance\":\"N-pyrrolidino protonitazene\",\"concentration_pct\":0.3}]",
                "[{\"substance\":\"n-pyrrolidino protonitazene\"}]", "[{\"substance\":\"CARFENTANIL\"}]",
                "[{\"substance\":\"fentanyl\"},{\"substance\":\"fentanyl\"}]", "[{\"substance\":\"\"}]",
                "[{\"substance\":\"brand new thing\"}]", "[{\"substance\":\"Bromazolam\",\"concentration_pct\":\"2\"}]",
                "[{\"concentration_pct\":2}]", "[{\"substance\":\"fentanyl\",\"concentration_pct\":150}]",
                "[{\"substance\":\"fentanyl\",\"concentration_pct\":-1}]",
                "[{\"substance\":\"m\\u00e9thamph\\u00e9tamine\"}]",
                "[{\"substance\":\"xylazine\",\"concentration_pct\":1e-3}]", "{\"substance\":\"fentanyl\"}")) {
            text.add(drugChecking("GY-D" + (++n), "\"2026-01-15T14:00:00-05:00\"", "\"2026-01-15T15:00:00-05:00\"",
                    "\"location\":{\"lat\":43.654,\"lon\":-79.3805}",
                    ",\"site_id\":\"GY-SITE\",\"detected\":" + detected));
        }
        text.add(drugChecking("GY-D" + (++n), "\"2026-01-15T14:00:00-05:00\"", "\"2026-01-15T15:00:00-05:00\"", at,
                ",\"site_id\":\"GY-SITE\",\"detected\":[{\"substance\":\"fentanyl\"}]"));
        List<byte[]> lines = new ArrayList<>();
        for (String t : text) {
            lines.add(utf8(t));
        }
        // Bytes that are not UTF-8, at several offsets (the check reads a word at a time), and valid multi-byte text.
        String okNotes = paramedic("GY-U0", "\"2025-09-02T08:00:00-04:00\"", "\"2025-09-02T09:00:00-04:00\"", at,
                ",\"notes\":\"caf\u00e9 \u65e5\u672c \uD83D\uDE00\"");
        lines.add(utf8(okNotes));
        byte[][] broken = {{(byte) 0xC0, (byte) 0xAF}, {(byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE6, (byte) 0x97}, {(byte) 0xFF}};
        for (int i = 0; i < broken.length; i++) {
            for (int pad = 0; pad < 8; pad += 3) {
                String head = paramedic("GY-U" + (i + 1) + "-" + pad, "\"2025-09-02T08:00:00-04:00\"",
                        "\"2025-09-02T09:00:00-04:00\"", at, ",\"notes\":\"" + "x".repeat(pad));
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                line.writeBytes(utf8(head));
                line.writeBytes(broken[i]);
                line.writeBytes(utf8("\"}"));
                lines.add(line.toByteArray());
            }
        }
        return lines;
    }

    /**
     * Per person and day: at one minute a call in one area, another call in a second area and a naloxone report in a
     * third; an hour later a naloxone report alone; plus a resent copy of the first call. The areas rotate with the
     * person and the day, so ties fall in different areas every time (as in BatchDeterminismTest).
     */
    static List<String> tiedLines(List<String> ids) {
        List<String> lines = new ArrayList<>();
        Instant first = END.minusSeconds(86_400L * DAYS);
        for (int p = 0; p < TIED_PEOPLE; p++) {
            String person = ",\"person\":{\"name\":\"Tied Person " + p + "\",\"health_number\":\"TIE-" + p + "\"}";
            for (int d = 0; d < TIED_DAYS; d++) {
                ZonedDateTime minute = first.plusSeconds(86_400L * (7 + 17 * d)).atZone(ZONE).withHour(8 + p)
                        .withMinute(17);
                String at = "\"" + TIMESTAMP.format(minute) + "\"";
                String later = "\"" + TIMESTAMP.format(minute.plusHours(1)) + "\"";
                String reported = "\"" + TIMESTAMP.format(minute.withHour(23)) + "\"";
                String id = p + "-" + d;
                String call = paramedic("TIE-A" + id, at, reported, area(ids, p + d), person);
                lines.add(call);
                lines.add(call);
                lines.add(paramedic("TIE-B" + id, at, reported, area(ids, p + 2 * d + 1), person));
                lines.add(naloxone("TIE-C" + id, at, reported, area(ids, p + 3 * d + 2), person));
                lines.add(naloxone("TIE-E" + id, later, reported, area(ids, p + d + 5), person));
            }
        }
        return lines;
    }

    private static List<byte[]> crlfLines(List<String> ids) {
        String at = "\"area_code\":\"" + ids.get(30) + "\"";
        List<byte[]> lines = new ArrayList<>();
        lines.add(utf8(paramedic("GY-R1", "\"2026-02-01T08:00:00-05:00\"", "\"2026-02-01T09:00:00-05:00\"", at, "")));
        lines.add(utf8(""));
        lines.add(utf8(paramedic("GY-R2", "\"2026-02-01T08:00:00-05:00\"", "\"2026-02-01T09:00:00-05:00\"", at, "")
                .substring(0, 40)));
        lines.add(utf8(naloxone("GY-R3", "\"2026-02-01T08:30:00-05:00\"", "\"2026-02-01T09:00:00-05:00\"", at,
                ",\"notes\":\"ends in a carriage return\\r\"")));
        return lines;
    }

    private static String area(List<String> ids, int i) {
        return "\"area_code\":\"" + ids.get(Math.floorMod(i, ids.size())) + "\"";
    }

    /** A valid paramedic record whose notes bring it to exactly {@code bytes} bytes. */
    private static byte[] paddedRecord(String area, int bytes) {
        String head = paramedic("GY-LONG-" + bytes, "\"2026-04-01T12:00:00-04:00\"", "\"2026-04-01T13:00:00-04:00\"",
                "\"area_code\":\"" + area + "\"", ",\"notes\":\"");
        String tail = "\"}";
        return utf8(head.substring(0, head.length() - 1) + "x".repeat(bytes - head.length() + 1 - tail.length())
                + tail);
    }

    /**
     * Inserts each of {@code longLines} so that it spans a cut between byte ranges of the file (at the default
     * parallelism): the first cut for the first line, the next for the next. Lines are cut by
     * {@link NdjsonRanges} at {@code size * i / ranges}.
     */
    private static void placeAcrossCuts(List<byte[]> lines, List<byte[]> longLines) {
        long size = longLines.stream().mapToLong(l -> l.length + 1).sum();
        for (byte[] l : lines) {
            size += l.length + 1;
        }
        int ranges = (int) Math.max(1, Math.min(size / NdjsonRanges.MIN_RANGE_BYTES, 4L * READERS));
        for (int k = 0; k < longLines.size() && k + 1 < ranges; k++) {
            long cut = size * (k + 1) / ranges;
            long target = cut - longLines.get(k).length / 2;
            long offset = 0;
            int at = 0;
            while (at < lines.size() && offset + lines.get(at).length + 1 <= target) {
                offset += lines.get(at++).length + 1;
            }
            lines.add(at, longLines.get(k));
        }
    }

    private static Path writeLines(Path file, List<byte[]> lines, String end) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            for (byte[] l : lines) {
                out.write(l);
                out.write(utf8(end));
            }
        }
        return file;
    }

    private static String paramedic(String id, String occurred, String reported, String place, String extra) {
        return record(id, "paramedic", occurred, reported, place, extra);
    }

    private static String naloxone(String id, String occurred, String reported, String place, String extra) {
        return record(id, "naloxone", occurred, reported, place, extra);
    }

    private static String coroner(String id, String occurred, String reported, String place, String extra) {
        return record(id, "coroner", occurred, reported, place, extra);
    }

    private static String drugChecking(String id, String occurred, String reported, String place, String extra) {
        return record(id, "drug_checking", occurred, reported, place, extra);
    }

    private static String record(String id, String source, String occurred, String reported, String place,
            String extra) {
        return "{\"event_id\":\"" + id + "\",\"source\":\"" + source + "\",\"occurred_at\":" + occurred
                + ",\"reported_at\":" + reported + "," + place + extra + "}";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
