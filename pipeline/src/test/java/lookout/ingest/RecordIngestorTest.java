package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import lookout.config.KafkaTopics;
import lookout.geo.AreaIndex;
import lookout.privacy.PseudonymKey;
import lookout.privacy.Pseudonymizer;
import lookout.schema.DeadLetter;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.IngestResult;
import lookout.schema.ParamedicEvent;

class RecordIngestorTest {
    private static final AreaIndex CITY = AreaIndex.demoCity();
    private static final double[] IN_D12 = CITY.pointIn("D12", new java.util.SplittableRandom(1));
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-03-10T12:00:00Z"), ZoneOffset.UTC);
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final int MAX_BYTES = 4096;
    private final RecordIngestor ingestor = ingestor(NOW);

    static RecordIngestor ingestor(Clock clock) {
        return ingestor(clock, MAX_BYTES);
    }

    static RecordIngestor ingestor(Clock clock, int maxRecordBytes) {
        return new RecordIngestor(new Deidentifier(CITY, new Pseudonymizer(PseudonymKey.ephemeral()),
                new TimeWindow(EARLIEST, Duration.ofMinutes(15), clock)), maxRecordBytes);
    }

    static String paramedic(String extra) {
        return "{\"event_id\":\"p-1\",\"source\":\"paramedic\",\"occurred_at\":\"2026-03-04T21:15:42-05:00\","
                + "\"reported_at\":\"2026-03-04T21:40:00-05:00\",\"location\":{\"lat\":" + IN_D12[0] + ",\"lon\":" + IN_D12[1] + "},"
                + "\"person\":{\"name\":\"Canary Name\",\"date_of_birth\":\"1990-05-01\",\"health_number\":\"HN-CANARY-1\",\"sex\":\"F\"},"
                + "\"notes\":\"found at 12 Canary Lane\",\"naloxone_doses\":2,\"outcome\":\"transported\","
                + "\"suspected_substances\":[\" Fentanyl \",\"xylazine\"],\"unknown_extra\":{\"x\":1}" + extra + "}";
    }

    IngestResult ingest(String line) {
        return ingestor.ingest(line.getBytes(StandardCharsets.UTF_8), "f.ndjson:7", 1_000L);
    }

    String reason(String line) {
        IngestResult r = ingest(line);
        assertNull(r.getEvent());
        return r.getDeadLetter().getReason();
    }

    @Test
    void aValidRecordKeepsOnlyTheAllowlistedFields() {
        DeidentifiedEvent e = ingest(paramedic("")).getEvent();
        assertEquals("paramedic", e.getSignal());
        assertEquals("D12", e.getAreaId());
        assertEquals(Instant.parse("2026-03-05T02:15:00Z").toEpochMilli(), e.getOccurredMinute(), "truncated to the minute");
        assertEquals("35-44", e.getAgeBand(), "from the date of birth at the time of the event");
        assertEquals("transported", e.getOutcome());
        assertEquals(2, e.getDoses());
        assertEquals(List.of("fentanyl", "xylazine"), e.getSubstances());
        assertEquals(16, e.getPseudonym().bytes().length);
        String all = e.toString();
        for (String pii : List.of("Canary", "1990-05-01", "HN-CANARY", "Lane", String.valueOf(IN_D12[0]), "p-1")) {
            assertFalse(all.contains(pii), "the de-identified event carries no " + pii);
        }
    }

    /**
     * Substance names are free text upstream; only vocabulary terms pass ingest, whichever field they come in.
     * A known name with anything added (a person, a phone number) is not a known name: it becomes "other".
     */
    @Test
    void substanceFieldsHoldOnlyVocabularyTerms() {
        String canary = "Nitazene zzcanarysubst John Doe 555-0199";
        DeidentifiedEvent paramedic = ingest(paramedic("").replace("[\" Fentanyl \",\"xylazine\"]",
                "[\"Fent\",\"" + canary + "\",\"xylazine\",\"fentanyl\"]")).getEvent();
        assertEquals(List.of("fentanyl", "other", "xylazine"), paramedic.getSubstances(), "in order, each term once");

        String common = "\"occurred_at\":\"2026-03-04T21:15:42-05:00\",\"reported_at\":\"2026-03-04T22:40:00-05:00\","
                + "\"area_code\":\"D12\",";
        DeidentifiedEvent coroner = ingest("{\"event_id\":\"c-1\",\"source\":\"coroner\"," + common
                + "\"status\":\"confirmed\",\"toxicology\":[\"Carfentanyl\",\"" + canary + "\"]}").getEvent();
        assertEquals(List.of("carfentanil", "other"), coroner.getSubstances());

        DeidentifiedEvent checked = ingest("{\"event_id\":\"d-1\",\"source\":\"drug_checking\"," + common
                + "\"site_id\":\"S1\",\"method\":\"ms\",\"expected_substance\":\"" + canary + "\","
                + "\"detected\":[{\"substance\":\"N-pyrrolidino protonitazene\",\"concentration_pct\":0.4},"
                + "{\"substance\":\"" + canary + "\"}]}").getEvent();
        assertEquals(List.of("protonitazepyne", "other"), checked.getSubstances());
        assertEquals("other", checked.getExpectedSubstance());

        for (DeidentifiedEvent e : List.of(paramedic, coroner, checked)) {
            assertFalse(e.toString().toLowerCase(java.util.Locale.ROOT).contains("zzcanarysubst"), e.toString());
        }
    }

    @Test
    void aKnownAreaCodeIsTakenAsIs() {
        String line = paramedic("").replace("\"location\":{\"lat\":" + IN_D12[0] + ",\"lon\":" + IN_D12[1] + "},", "\"area_code\":\"D07\",");
        assertEquals("D07", ingest(line).getEvent().getAreaId());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "truncated;{\"event_id\":\"x\",\"source\":;not_json_or_avro",
        "trailing garbage;{\"source\":\"paramedic\"} x;not_json_or_avro",
        "a second object;{\"source\":\"paramedic\"} {\"source\":\"coroner\"};not_json_or_avro",
        "a second object after a duplicate;{\"a\":1,\"a\":2} {};duplicate_key",
        "array;[1,2];not_an_object",
        "number;42;not_an_object",
        "no source;{\"event_id\":\"x\"};missing_field:source",
        "source not text;{\"source\":7};wrong_type:source",
        "unknown source;{\"source\":\"ambulance\"};unknown_source",
    })
    void unreadableRecords(String name, String line, String reason) {
        assertEquals(reason, reason(line));
    }

    @Test
    void anEmptyKafkaRecordIsNotJson() {
        assertEquals("not_json_or_avro", ingestor.ingest(new byte[0], "t/0/0", 1L).getDeadLetter().getReason());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "missing event_id;\"event_id\":\"p-1\",;;missing_field:event_id",
        "blank event_id;\"event_id\":\"p-1\";\"event_id\":\" \";missing_field:event_id",
        "placeholder event_id null;\"event_id\":\"p-1\";\"event_id\":\"null\";invalid_value:event_id",
        "placeholder event_id N/A;\"event_id\":\"p-1\";\"event_id\":\" N/A \";invalid_value:event_id",
        "placeholder event_id 0;\"event_id\":\"p-1\";\"event_id\":\"0\";invalid_value:event_id",
        "missing occurred_at;\"occurred_at\":\"2026-03-04T21:15:42-05:00\",;;missing_field:occurred_at",
        "no offset;2026-03-04T21:15:42-05:00;2026-03-04T21:15:42;unparseable_timestamp:occurred_at",
        "bad reported_at;2026-03-04T21:40:00-05:00;yesterday;unparseable_timestamp:reported_at",
        "in the future;2026-03-04T21:15:42-05:00;2026-03-10T12:20:00Z;occurred_in_future",
        "doses as text;\"naloxone_doses\":2;\"naloxone_doses\":\"two\";wrong_type:naloxone_doses",
        "doses fractional;\"naloxone_doses\":2;\"naloxone_doses\":2.5;wrong_type:naloxone_doses",
        "negative doses;\"naloxone_doses\":2;\"naloxone_doses\":-1;invalid_value:naloxone_doses",
        "free-text outcome;\"outcome\":\"transported\";\"outcome\":\"taken to St Mike's by J.\";invalid_value:outcome",
        "substance not text;[\" Fentanyl \",\"xylazine\"];[1];wrong_type:suspected_substances",
        "lat as text;\"lat\":;\"lat\":\"43\",\"x\":;wrong_type:location.lat",
        "person not object;\"person\":{;\"person\":\"Canary Name\",\"p\":{;wrong_type:person",
    })
    void invalidRecordsNameTheFieldNeverTheValue(String name, String from, String to, String reason) {
        String line = paramedic("").replace(from, to == null ? "" : to);
        assertEquals(reason, reason(line));
        DeadLetter d = ingest(line).getDeadLetter();
        assertEquals("paramedic", d.getSource());
        assertEquals("f.ndjson:7", d.getPosition());
        assertEquals(64, d.getSha256().length());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "overflows epoch millis;2026-03-04T21:15:42-05:00;-999999999-01-01T00:00:00Z;implausible_timestamp:occurred_at",
        "year -300000;2026-03-04T21:15:42-05:00;-300000-06-01T00:00:00Z;implausible_timestamp:occurred_at",
        "year 0001;2026-03-04T21:15:42-05:00;0001-01-01T00:00:00Z;implausible_timestamp:occurred_at",
        "a second before 2000;2026-03-04T21:15:42-05:00;1999-12-31T23:59:59Z;implausible_timestamp:occurred_at",
        "offset moves it before 2000;2026-03-04T21:15:42-05:00;2000-01-01T09:00:00+10:00;implausible_timestamp:occurred_at",
        "far future;2026-03-04T21:15:42-05:00;+999999999-12-31T23:59:59Z;occurred_in_future",
        "reported in year 0001;2026-03-04T21:40:00-05:00;0001-01-01T00:00:00Z;implausible_timestamp:reported_at",
        "reported overflows;2026-03-04T21:40:00-05:00;-999999999-01-01T00:00:00Z;implausible_timestamp:reported_at",
        "reported before occurred;2026-03-04T21:40:00-05:00;2026-03-04T21:15:41-05:00;reported_before_occurred",
        "reported in the future;2026-03-04T21:40:00-05:00;2026-03-10T12:15:01Z;reported_in_future",
        "reported in year 10000 by UTC;2026-03-04T21:40:00-05:00;9999-12-31T23:59:59-18:00;reported_in_future",
    })
    void timesOutsideThePlausibleWindowAreRefused(String name, String from, String to, String reason) {
        String line = paramedic("").replace(from, to);
        assertEquals(reason, reason(line));
        ContractRouter.Routed avro = new ContractRouter().route(line.getBytes(StandardCharsets.UTF_8));
        assertTrue(avro.avro(), "the same record as Avro");
        assertEquals(reason, ingestor.ingest(avro.value(), "t/0/1", 1L).getDeadLetter().getReason());
    }

    @Test
    void theEdgesOfTheWindowAreAccepted() {
        assertEquals(Instant.parse("2000-01-01T00:00:00Z").toEpochMilli(), ingest(paramedic("")
                .replace("2026-03-04T21:15:42-05:00", "2000-01-01T00:00:00Z")).getEvent().getOccurredMinute());
        assertEquals("D12", ingest(paramedic("").replace("2026-03-04T21:40:00-05:00", "2026-03-04T21:15:42-05:00"))
                .getEvent().getAreaId(), "reported the same second it occurred");
        assertEquals("D12", ingest(paramedic("").replace("2026-03-04T21:15:42-05:00", "2026-03-10T12:15:00Z")
                .replace("2026-03-04T21:40:00-05:00", "2026-03-10T12:15:00Z")).getEvent().getAreaId(),
                "occurred exactly future_skew ahead of the clock");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "event_id twice;\"event_id\":\"p-1\",;\"event_id\":\"junk\",\"event_id\":\"p-1\",",
        "source twice;\"source\":\"paramedic\",;\"source\":\"coroner\",\"source\":\"paramedic\",",
        "nested key twice;\"sex\":\"F\";\"sex\":\"F\",\"name\":\"Other\"",
        "unknown extra twice;\"unknown_extra\":{\"x\":1};\"unknown_extra\":1,\"unknown_extra\":2",
    })
    void duplicateKeysAreRefusedInsteadOfTheLastOneWinning(String name, String from, String to) {
        assertEquals("duplicate_key", reason(paramedic("").replace(from, to)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "stray continuation byte;80",
        "invalid byte;ff",
        "truncated sequence;c3",
        "overlong slash;c0af",
        "encoded surrogate;eda080",
        "above U+10FFFF;f4908080",
    })
    void invalidUtf8IsRefusedWhereverItIs(String name, String hex) {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        for (String field : List.of("\"notes\":\"", "\"outcome\":\"transported", "\"name\":\"Canary")) {
            String line = paramedic("");
            int at = line.indexOf(field) + field.length();
            byte[] head = line.substring(0, at).getBytes(StandardCharsets.UTF_8);
            byte[] tail = line.substring(at).getBytes(StandardCharsets.UTF_8);
            byte[] raw = new byte[head.length + bad.length + tail.length];
            System.arraycopy(head, 0, raw, 0, head.length);
            System.arraycopy(bad, 0, raw, head.length, bad.length);
            System.arraycopy(tail, 0, raw, head.length + bad.length, tail.length);
            DeadLetter d = ingestor.ingest(raw, "f:1", 1L).getDeadLetter();
            assertEquals("invalid_utf8", d == null ? "accepted" : d.getReason(), "in " + field);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "lone high surrogate;\"event_id\":\"p-1\\ud800\"",
        "lone low surrogate;\"event_id\":\"p-1\\udfff\"",
        "swapped pair;\"event_id\":\"p-1\\ude00\\ud83d\"",
    })
    void anEscapedLoneSurrogateInTheEventIdIsRefusedOnEveryPath(String name, String eventId) {
        String line = paramedic("").replace("\"event_id\":\"p-1\"", eventId);
        assertEquals("invalid_value:event_id", reason(line));
        ContractRouter.Routed routed = new ContractRouter().route(line.getBytes(StandardCharsets.UTF_8));
        assertFalse(routed.avro(), "replay sends it as its text, for the job to refuse alike, not as \"p-1?\"");
        assertEquals("paramedic", routed.topicSuffix());
    }

    /** A text cut in the middle of an emoji, say: the event is still an event, and its notes are dropped anyway. */
    @Test
    void anEscapedLoneSurrogateInTheNotesTravelsAsTextAndTheEventCounts() {
        String line = paramedic("").replace("\"notes\":\"", "\"notes\":\"cut \\ud83d");
        assertNotNull(ingest(line).getEvent());
        assertFalse(new ContractRouter().route(line.getBytes(StandardCharsets.UTF_8)).avro());
        String paired = paramedic("").replace("\"notes\":\"", "\"notes\":\"\\ud83d\\ude00");
        assertNotNull(ingest(paired).getEvent(), "a surrogate pair is a character like any other");
        assertTrue(new ContractRouter().route(paired.getBytes(StandardCharsets.UTF_8)).avro());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "stray continuation bytes;8080",
        "invalid bytes;ffff",
        "truncated sequence;41c3",
        "overlong slash;c0af",
        "encoded surrogate;eda080",
        "above U+10FFFF;f4908080",
    })
    void invalidUtf8InAnAvroStringIsRefusedLikeInJson(String name, String hex) {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] valid = new ContractRouter().route(paramedic("").getBytes(StandardCharsets.UTF_8)).value();
        assertTrue(AvroContractCodec.isSingleObject(valid));
        assertEquals("paramedic", ingestor.ingest(valid, "t/0/1", 1L).getEvent().getSignal(), "the valid message is accepted");
        // Each string is overwritten in place by as many bytes, so its length prefix and the message stay well formed.
        List<String> strings = List.of("2026-03-04T21:15:42-05:00", "found at 12 Canary Lane", "transported", "Canary Name", "xylazine");
        java.util.Map<String, String> expected = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> observed = new java.util.LinkedHashMap<>();
        for (String text : strings) {
            byte[] raw = valid.clone();
            int at = indexOf(raw, text.getBytes(StandardCharsets.US_ASCII));
            assertTrue(at >= 0, text);
            System.arraycopy(bad, 0, raw, at, bad.length);
            DeadLetter d = ingestor.ingest(raw, "t/0/2", 1L).getDeadLetter();
            expected.put(text, "invalid_utf8 " + java.util.HexFormat.of().formatHex(raw));
            observed.put(text, d == null ? "accepted" : d.getReason() + " " + hex(d.getRaw()));
        }
        assertEquals(expected, observed, "refused with the message kept as received");
    }

    private static String hex(java.nio.ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aRecordOverTheLimitKeepsItsFirstBytesAndTheHashOfAllOfIt() throws Exception {
        byte[] exactly = paramedic(",\"pad\":\"" + "x".repeat(MAX_BYTES) + "\"").substring(0, MAX_BYTES)
                .getBytes(StandardCharsets.UTF_8);
        assertEquals("not_json_or_avro", ingestor.ingest(exactly, "t/0/1", 1L).getDeadLetter().getReason(),
                "a record of exactly the limit is read");
        byte[] over = paramedic(",\"pad\":\"" + "x".repeat(MAX_BYTES) + "\"").getBytes(StandardCharsets.UTF_8);
        DeadLetter d = ingestor.ingest(over, "t/0/2", 1L).getDeadLetter();
        assertEquals(RecordIngestor.TOO_LARGE, d.getReason());
        assertNull(d.getSource(), "the record is not read, so its source is unknown");
        assertEquals(RecordIngestor.TOO_LARGE_RAW_BYTES, d.getRaw().remaining());
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(over)),
                d.getSha256());
    }

    @Test
    void anExceptionNoCheckForesawBecomesADeadLetterNotAJobFailure() {
        Clock broken = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                throw new IllegalStateException("a bug in a check, quoting the record: HN-CANARY-1");
            }
        };
        DeadLetter d = ingestor(broken).ingest(paramedic("").getBytes(StandardCharsets.UTF_8), "f:3", 1L).getDeadLetter();
        assertEquals(RecordIngestor.INGEST_ERROR, d.getReason());
        assertEquals("f:3", d.getPosition());
    }

    @Test
    void avroHasNoDuplicateKeysAndJudgesTimesLikeJson() {
        ContractRouter router = new ContractRouter();
        ContractRouter.Routed dup = router.route(paramedic("").replace("\"event_id\":\"p-1\",",
                "\"event_id\":\"junk\",\"event_id\":\"p-1\",").getBytes(StandardCharsets.UTF_8));
        assertFalse(dup.avro(), "a line with a duplicate key is never converted to Avro, so its key cannot be chosen");
        assertEquals(KafkaTopics.UNROUTED, dup.topicSuffix());
        assertEquals("duplicate_key", ingestor.ingest(dup.value(), "t/0/1", 1L).getDeadLetter().getReason());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "an array claiming 2^30 items, 8080808008",
        "an array claiming 2^62 items, 80808080808080808001",
        "a negative block claiming 2^30 items, ffffffff07",
    })
    void anAvroMessageClaimingMoreThanItHoldsIsRefusedWithoutAllocatingIt(String name, String tail) {
        String noSubstances = paramedic("").replace("[\" Fentanyl \",\"xylazine\"]", "[]");
        byte[] valid = new ContractRouter().route(noSubstances.getBytes(StandardCharsets.UTF_8)).value();
        assertEquals(0, valid[valid.length - 1], "the empty array ends the message");
        byte[] claim = java.util.HexFormat.of().parseHex(tail);
        byte[] lying = java.util.Arrays.copyOf(valid, valid.length - 1 + claim.length);
        System.arraycopy(claim, 0, lying, valid.length - 1, claim.length);
        assertEquals("invalid_avro", ingestor.ingest(lying, "t/0/9", 1L).getDeadLetter().getReason());
    }

    /**
     * A paramedic call naming xylazine 10,001 times, as a backfill reads it (JSON) and as Kafka carries it (Avro from
     * {@code replay} or another producer): both refuse it for the same reason, and at 10,000 both count the same
     * event. The JSON reader used to accept any number, so the backfill counted what Kafka refused. Empty strings
     * too: one byte each on the wire, some 15 bytes of heap once read.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"naming xylazine, xylazine", "empty strings, ''"})
    void aRecordWithMoreListItemsThanAnyRecordNeedsIsRefusedAlikeAsJsonAndAsAvro(String name, String item)
            throws Rejection {
        RecordIngestor roomy = ingestor(NOW, 1_000_000);
        String atLimit = withSubstances(item, ItemLimit.MAX_ITEMS);
        ContractRouter.Routed routed = new ContractRouter().route(atLimit.getBytes(StandardCharsets.UTF_8));
        assertTrue(routed.avro());
        DeidentifiedEvent fromJson = roomy.ingest(atLimit.getBytes(StandardCharsets.UTF_8), "f:1", 1L).getEvent();
        assertEquals(item.isEmpty() ? List.of() : List.of(item), fromJson.getSubstances(), "blank values dropped");
        assertEquals(fromJson, roomy.ingest(routed.value(), "t/0/1", 1L).getEvent());

        String over = withSubstances(item, ItemLimit.MAX_ITEMS + 1);
        ContractRouter.Routed sentAsIs = new ContractRouter().route(over.getBytes(StandardCharsets.UTF_8));
        assertFalse(sentAsIs.avro(), "refused by the router's reader, so the job judges the line itself");
        AvroContractCodec codec = new AvroContractCodec();
        ParamedicEvent oneMore = (ParamedicEvent) codec.decode(routed.value());
        oneMore.getSuspectedSubstances().add(item);
        for (byte[] raw : List.of(over.getBytes(StandardCharsets.UTF_8), sentAsIs.value(), codec.encode(oneMore))) {
            assertEquals(ItemLimit.TOO_MANY_ITEMS, roomy.ingest(raw, "t/0/2", 1L).getDeadLetter().getReason());
        }
        assertEquals("not_json_or_avro", roomy.ingest((over + " x").getBytes(StandardCharsets.UTF_8), "f:3", 1L)
                .getDeadLetter().getReason(), "a fault of the syntax comes first, as ever");
        assertEquals(ItemLimit.TOO_MANY_ITEMS, roomy.ingest(over.replace("\"event_id\":\"p-1\",", "")
                .getBytes(StandardCharsets.UTF_8), "f:4", 1L).getDeadLetter().getReason(), "before the contract's");
    }

    /** The paramedic call with {@code count} times {@code item} as its suspected substances. */
    private static String withSubstances(String item, int count) {
        return paramedic("").replace("[\" Fentanyl \",\"xylazine\"]",
                "[" + String.join(",", java.util.Collections.nCopies(count, "\"" + item + "\"")) + "]");
    }

    @Test
    void locationProblems() {
        String located = "\"location\":{\"lat\":" + IN_D12[0] + ",\"lon\":" + IN_D12[1] + "},";
        assertEquals("coordinates_out_of_range", reason(paramedic("").replace(located, "\"location\":{\"lat\":91.0,\"lon\":-79.4},")));
        assertEquals("coordinates_out_of_range", reason(paramedic("").replace(located, "\"location\":{\"lat\":43.7,\"lon\":-181},")));
        assertEquals("outside_all_areas", reason(paramedic("").replace(located, "\"location\":{\"lat\":10.0,\"lon\":10.0},")));
        assertEquals("unknown_area_code", reason(paramedic("").replace(located, "\"area_code\":\"Z99\",")));
        assertEquals("no_location", reason(paramedic("").replace(located, "")));
    }

    @Test
    void avroSingleObjectMessagesAreReadLikeTheirJson() throws Exception {
        ContractRouter.Routed routed = new ContractRouter().route(paramedic("").getBytes(StandardCharsets.UTF_8));
        assertTrue(routed.avro());
        assertEquals("paramedic", routed.topicSuffix());
        IngestResult fromAvro = ingestor.ingest(routed.value(), "t/0/1", 1_000L);
        DeidentifiedEvent json = ingest(paramedic("")).getEvent();
        assertEquals(json.getDedupeKey(), fromAvro.getEvent().getDedupeKey());
        assertEquals(json.getAreaId(), fromAvro.getEvent().getAreaId());

        byte[] unknownSchema = routed.value().clone();
        unknownSchema[5] ^= 0x7f;
        assertEquals("unknown_avro_schema", ingestor.ingest(unknownSchema, "t/0/2", 1L).getDeadLetter().getReason());
        byte[] truncated = java.util.Arrays.copyOf(routed.value(), 14);
        assertEquals("invalid_avro", ingestor.ingest(truncated, "t/0/3", 1L).getDeadLetter().getReason());
        byte[] trailing = java.util.Arrays.copyOf(routed.value(), routed.value().length + 5);
        assertEquals("invalid_avro", ingestor.ingest(trailing, "t/0/4", 1L).getDeadLetter().getReason(),
                "bytes after the record");
        AvroContractCodec codec = new AvroContractCodec();
        ParamedicEvent claimsCoroner = (ParamedicEvent) codec.decode(routed.value());
        claimsCoroner.setSource("coroner");
        assertEquals("source_mismatch", ingestor.ingest(codec.encode(claimsCoroner), "t/0/5", 1L).getDeadLetter()
                .getReason(), "a paramedic record whose own source field says coroner");
    }

    /**
     * A producer allowed only the paramedic topic sends a valid coroner death there, as Avro (a fingerprint of the
     * coroner's schema) and as JSON: it used to be counted as a coroner death. The unrouted topic takes any source.
     */
    @Test
    void aRecordOfAnotherSourceOnASourcesOwnTopicIsRefusedUnderTheTopicsSource() throws Exception {
        ContractRouter router = new ContractRouter();
        String death = paramedic("").replace("\"source\":\"paramedic\"", "\"source\":\"coroner\"");
        ContractRouter.Routed avro = router.route(death.getBytes(StandardCharsets.UTF_8));
        assertEquals("coroner", avro.topicSuffix());
        for (byte[] raw : List.of(avro.value(), death.getBytes(StandardCharsets.UTF_8))) {
            assertEquals("coroner", ingestor.ingest(raw, "t/0/1", 1L, null).getEvent().getSignal(),
                    "from the unrouted topic");
            DeadLetter refused = ingestor.ingest(raw, "t/0/2", 1L, Source.PARAMEDIC).getDeadLetter();
            assertEquals("source_mismatch", refused.getReason());
            assertEquals("paramedic", refused.getSource());
            assertEquals("coroner", ingestor.ingest(raw, "t/0/3", 1L, Source.CORONER).getEvent().getSignal(),
                    "from the coroner's own topic");
        }
    }

    @Test
    void linesThatBreakTheContractAreForwardedAsReceived() {
        ContractRouter router = new ContractRouter();
        ContractRouter.Routed typed = router.route(paramedic("").replace("\"naloxone_doses\":2", "\"naloxone_doses\":\"2\"").getBytes(StandardCharsets.UTF_8));
        assertEquals("paramedic", typed.topicSuffix());
        assertFalse(typed.avro());
        assertEquals(KafkaTopics.UNROUTED, router.route("not json".getBytes(StandardCharsets.UTF_8)).topicSuffix());
        ContractRouter.Routed incomplete = router.route("{\"source\":\"coroner\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("coroner", incomplete.topicSuffix());
        assertFalse(incomplete.avro());
    }
}
