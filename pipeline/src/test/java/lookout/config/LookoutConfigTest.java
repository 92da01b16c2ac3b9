package lookout.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.UsageException;
import lookout.ingest.KafkaCluster;

class LookoutConfigTest {
    @TempDir
    Path dir;

    @Test
    void readmeDocumentsEveryKeyWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "README.md"));
        LookoutConfig.KEYS.forEach((key, doc) -> {
            String expected = doc[0].isEmpty() ? "| `" + key + "` | (none) |" : "| `" + key + "` | `" + doc[0] + "` |";
            assertTrue(readme.contains(expected), "README lacks " + expected);
        });
    }

    @Test
    void aFileOverridesOnlyWhatItNames() throws Exception {
        Path file = dir.resolve("lookout.properties");
        Files.writeString(file, "zone = Europe/Lisbon\ndedupe.horizon=P7D\n");
        LookoutConfig c = LookoutConfig.load(file);
        assertEquals(ZoneId.of("Europe/Lisbon"), c.zone());
        assertEquals(Duration.ofDays(7), c.dedupeHorizon());
        assertEquals(Duration.ofSeconds(10), c.checkpointInterval());
        assertEquals("lookout.paramedic", c.topic("paramedic"));
    }

    @Test
    void badFilesStopWithOneLineNamingTheProblem() throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "zone=Mars/Olympus\n");
        assertEquals("config: zone = 'Mars/Olympus' is not a known time zone",
                assertThrows(UsageException.class, () -> LookoutConfig.load(file)).getMessage());
        Files.writeString(file, "checkpoint.interval=10s\n");
        assertEquals("config: checkpoint.interval = '10s' is not a valid ISO-8601 duration such as PT10S or P60D",
                assertThrows(UsageException.class, () -> LookoutConfig.load(file)).getMessage());
        Files.writeString(file, "detection.watching_since=2026-01-01\n");
        assertEquals("config: detection.watching_since = '2026-01-01' is not an ISO-8601 instant such as "
                + "2026-01-01T00:00:00Z", assertThrows(UsageException.class, () -> LookoutConfig.load(file)).getMessage());
        Files.writeString(file, "detection.watching_since=2026-01-01T05:00:00Z\n");
        assertEquals(Optional.of(Instant.parse("2026-01-01T05:00:00Z")), LookoutConfig.load(file).watchingSince());
        assertEquals(Optional.empty(), LookoutConfig.defaults().watchingSince());
        Files.writeString(file, "kafka.boostrap=x\n");
        assertTrue(assertThrows(UsageException.class, () -> LookoutConfig.load(file)).getMessage()
                .startsWith("config file " + file + ": unknown key 'kafka.boostrap' (known keys: kafka.bootstrap,"));
        assertEquals("cannot read config file " + dir.resolve("none") + " (no such file)",
                assertThrows(UsageException.class, () -> LookoutConfig.load(dir.resolve("none"))).getMessage());
    }

    @Test
    void kafkaClientPropertiesPassThroughForTlsAndSasl() throws Exception {
        Path file = dir.resolve("tls.properties");
        Files.writeString(file, String.join("\n", "kafka.bootstrap = broker:9093",
                "kafka.properties.security.protocol = SASL_SSL",
                "kafka.properties.sasl.mechanism = SCRAM-SHA-512",
                "kafka.properties.ssl.truststore.location = /etc/lookout/truststore.p12", ""));
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.truststore.location", "/etc/lookout/truststore.p12"), LookoutConfig.load(file).kafkaProperties());
        assertEquals(Map.of(), LookoutConfig.defaults().kafkaProperties());

        Files.writeString(file, "kafka.properties.bootstrap.servers = elsewhere:9092\n");
        assertEquals("config: kafka.properties.bootstrap.servers is not allowed; set kafka.bootstrap instead",
                assertThrows(UsageException.class, () -> LookoutConfig.load(file)).getMessage());
    }

    @Test
    void kafkaClientPropertiesReachTheClientsAndABadOneIsOneLine() throws Exception {
        Path file = dir.resolve("sasl.properties");
        Files.writeString(file, "kafka.properties.security.protocol = SASL_PLAINTEXT\nkafka.properties.sasl.mechanism = PLAIN\n");
        LookoutConfig sasl = LookoutConfig.load(file).with("kafka.bootstrap", "127.0.0.1:1");
        assertEquals("Kafka client settings (kafka.properties.*) refused: Could not find a 'KafkaClient' entry in the JAAS"
                + " configuration. System property 'java.security.auth.login.config' is not set",
                assertThrows(UsageException.class, () -> KafkaCluster.ensureTopics(sasl.kafkaBootstrap(),
                        sasl.kafkaProperties(), List.of("t"), 1)).getMessage());
        LookoutConfig bad = sasl.with("kafka.properties.security.protocol", "NOPE");
        String refused = assertThrows(UsageException.class, () -> KafkaCluster.ensureTopics(bad.kafkaBootstrap(),
                bad.kafkaProperties(), List.of("t"), 1)).getMessage();
        assertTrue(refused.startsWith("Kafka client settings (kafka.properties.*) refused: Invalid value NOPE for"
                + " configuration security.protocol: String must be one of"), refused);
    }

    @Test
    void flinkListensOnLoopbackUnlessConfiguredOtherwise() throws Exception {
        assertEquals("127.0.0.1", LookoutConfig.defaults().flinkBindAddress());
        assertEquals("0.0.0.0", LookoutConfig.defaults().with("flink.bind_address", "0.0.0.0").flinkBindAddress());
        assertEquals("config: flink.bind_address must not be empty",
                assertThrows(UsageException.class, () -> LookoutConfig.defaults().with("flink.bind_address", " "))
                        .getMessage());
    }

    @Test
    void theIngestBoundsHaveSafeDefaultsAndRefuseNonsense() throws Exception {
        LookoutConfig d = LookoutConfig.defaults();
        assertEquals(java.time.Instant.parse("2000-01-01T00:00:00Z"), d.validationEarliest());
        assertEquals(1_000_000, d.maxRecordBytes());
        assertEquals(4096, d.with("ingest.max_record_bytes", "4096").maxRecordBytes());
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "validation.earliest=2000-01-01\n");
        assertEquals("config: validation.earliest = '2000-01-01' is not an ISO-8601 instant such as 2000-01-01T00:00:00Z",
                assertThrows(UsageException.class, () -> LookoutConfig.load(file)).getMessage());
        for (String bad : new String[] {"1MB", "0", "-1", "255", "67108865", "99999999999"}) {
            Files.writeString(file, "ingest.max_record_bytes=" + bad + "\n");
            assertEquals("config: ingest.max_record_bytes = '" + bad + "' must be a whole number of bytes from 256 to 67108864",
                    assertThrows(UsageException.class, () -> LookoutConfig.load(file)).getMessage());
        }
    }

    @Test
    void feedHealthAndTheReporterHaveSafeDefaultsAndRefuseNonsense() {
        LookoutConfig d = LookoutConfig.defaults();
        assertEquals(10.0, d.feedSilenceMultiple());
        assertEquals(Duration.ofMinutes(5), d.feedUsualGapFloor());
        assertEquals(20, d.feedMinHistory());
        assertEquals(0.5, d.feedBadShare());
        assertEquals(Optional.empty(), d.prometheusPort(), "no reporter unless asked");
        assertEquals(Optional.of("9249-9259"), d.with("metrics.prometheus_port", "9249-9259").prometheusPort());
        assertEquals("config: feed.silence_multiple must be a number above 1",
                assertThrows(UsageException.class, () -> d.with("feed.silence_multiple", "1")).getMessage());
        assertEquals("config: feed.bad_share must be a number from 0 to 1",
                assertThrows(UsageException.class, () -> d.with("feed.bad_share", "1.5")).getMessage());
        assertEquals("config: feed.min_history = 'many' must be a whole number from 1 to 1000000",
                assertThrows(UsageException.class, () -> d.with("feed.min_history", "many")).getMessage());
        assertEquals("config: feed.usual_gap_floor must be a positive duration",
                assertThrows(UsageException.class, () -> d.with("feed.usual_gap_floor", "PT0S")).getMessage());
        assertEquals("config: metrics.prometheus_port = '70000' must be a port (1 to 65535) or a range such as 9249-9259",
                assertThrows(UsageException.class, () -> d.with("metrics.prometheus_port", "70000")).getMessage());
    }

    /** A huge count of days or operators failed deep in the job (an array too large, Flink's own check). */
    @Test
    void unboundedNumbersAreRefusedInOneLineNamingTheKey() {
        Map<String, String> refused = Map.of(
                "detection.toxicity.baseline_days",
                "config: detection.toxicity.baseline_days = '2147483647' must be a whole number from 7 to 730",
                "detection.toxicity.novelty_days",
                "config: detection.toxicity.novelty_days = '2147483647' must be a whole number from 1 to 3660",
                "detection.toxicity.recent_days",
                "config: detection.toxicity.recent_days = '2147483647' must be a whole number from 1 to 28",
                "detection.toxicity.rising_min_samples",
                "config: detection.toxicity.rising_min_samples = '2147483647' must be a whole number from 1 to 1000000",
                "parallelism", "config: parallelism = 2147483647 must be at most 1024");
        refused.forEach((key, message) -> assertEquals(message, assertThrows(UsageException.class,
                () -> LookoutConfig.defaults().with(key, "2147483647")).getMessage()));
        assertEquals("config: detection.toxicity.baseline_days = '400000000' must be a whole number from 7 to 730",
                assertThrows(UsageException.class, () -> LookoutConfig.defaults()
                        .with("detection.toxicity.baseline_days", "400000000")).getMessage());
        assertEquals(730, LookoutConfig.defaults().with("detection.toxicity.baseline_days", "730").toxicity()
                .baselineDays());
        assertEquals(1024, LookoutConfig.defaults().with("parallelism", "1024").parallelism());
    }

    /**
     * An earliest in year -300000 let a record of that year reach DuckDB, which refused the whole backfill's commit;
     * a start of watching in year 999999999 overflowed its milliseconds ("failed: ArithmeticException: long
     * overflow", naming no key).
     */
    @Test
    void anInstantOutsideYearsOneTo9999IsOneLineNamingTheKey() {
        for (String key : List.of("validation.earliest", "detection.watching_since")) {
            for (String bad : List.of("-300000-01-01T00:00:00Z", "0001-01-01T23:59:59Z", "9999-12-30T00:00:01Z",
                    "+999999999-01-01T00:00:00Z")) {
                assertEquals("config: " + key + " = '" + bad + "' must lie from 0001-01-02T00:00:00Z to"
                        + " 9999-12-30T00:00:00Z", assertThrows(UsageException.class,
                                () -> LookoutConfig.defaults().with(key, bad)).getMessage());
            }
        }
        Instant first = Instant.parse("0001-01-02T00:00:00Z");
        assertEquals(first, LookoutConfig.defaults().with("validation.earliest", first.toString())
                .validationEarliest());
        assertEquals(Optional.of(Instant.parse("9999-12-30T00:00:00Z")), LookoutConfig.defaults()
                .with("detection.watching_since", "9999-12-30T00:00:00Z").watchingSince());
    }

    /** A window of 2.7 billion years failed a backfill as "failed: ArithmeticException: long overflow", exit 1. */
    @Test
    void aDurationLongerThanTenThousandYearsIsOneLineNamingTheKey() {
        for (String key : List.of("dedupe.horizon", "linkage.window", "linkage.max_report_delay",
                "watermark.max_out_of_orderness", "watermark.idleness", "checkpoint.interval", "feed.usual_gap_floor",
                "feed.window")) {
            assertEquals("config: " + key + " = 'P999999999999D' must be at most P3652425D (10,000 years)",
                    assertThrows(UsageException.class,
                            () -> LookoutConfig.defaults().with(key, "P999999999999D")).getMessage());
        }
        assertEquals(Duration.ofDays(3_652_425),
                LookoutConfig.defaults().with("linkage.window", "P3652425D").linkageWindow());
        assertEquals(Duration.ofDays(999_999_999_999L),
                LookoutConfig.defaults().with("validation.future_skew", "P999999999999D").futureSkew(),
                "TimeWindow bounds any skew at the last plausible day");
    }

    /** The rule is the kernel's (lookout.kernel.TopicsTest); the job's config applies it. */
    @Test
    void aTopicPrefixKafkaWouldRefuseIsOneLine() {
        assertEquals("config: kafka.topic_prefix = 'bad prefix!' must be 1 to 235 letters, digits, '.', '_' or '-'"
                + " (Kafka's topic names)", assertThrows(UsageException.class,
                        () -> LookoutConfig.defaults().with("kafka.topic_prefix", "bad prefix!")).getMessage());
        assertEquals("config: kafka.topic_prefix = '' must be 1 to 235 letters, digits, '.', '_' or '-'"
                + " (Kafka's topic names)", assertThrows(UsageException.class,
                        () -> LookoutConfig.defaults().with("kafka.topic_prefix", "")).getMessage());
    }

    /** The toxicity keys' defaults are the detectors' own, and a bad value stops with one line. */
    @Test
    void toxicitySettingsDefaultToTheDetectorsAndRefuseBadValues() {
        LookoutConfig.ToxicitySubstances t = LookoutConfig.defaults().toxicity();
        assertEquals(List.of("carfentanil", "nitazene", "medetomidine", "xylazine"), t.watchList());
        assertEquals(List.of("carfentanil", "nitazene"), t.alwaysNotable());
        assertEquals(List.of(14, 56, 7, 3), List.of(t.noveltyDays(), t.baselineDays(), t.recentDays(),
                t.risingMinSamples()));
        assertEquals(0.003, t.risingAlpha());
        assertEquals("config: detection.toxicity.rising_alpha = '1.5' must be a number between 0 and 1",
                assertThrows(UsageException.class,
                        () -> LookoutConfig.defaults().with("detection.toxicity.rising_alpha", "1.5")).getMessage());
        assertEquals("config: detection.toxicity.baseline_days = '3' must be a whole number from 7 to 730",
                assertThrows(UsageException.class,
                        () -> LookoutConfig.defaults().with("detection.toxicity.baseline_days", "3")).getMessage());
        assertEquals(List.of("xylazine", "bromazolam"), LookoutConfig.defaults()
                .with("detection.toxicity.watch_list", " xylazine , bromazolam,").toxicity().watchList());
    }
}
