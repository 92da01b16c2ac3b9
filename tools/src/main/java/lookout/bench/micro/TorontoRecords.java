package lookout.bench.micro;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;

import lookout.bench.ContractLines;
import lookout.config.LookoutConfig;
import lookout.ingest.AvroContractCodec;
import lookout.ingest.IngestSettings;
import lookout.ingest.JsonContractReader;
import lookout.ingest.RecordIngestor;
import lookout.ingest.Rejection;
import lookout.privacy.PseudonymKey;

/**
 * The first operator's benchmark input: a pool of realistic valid records for Toronto, one a minute over the last
 * 30 days, as NDJSON lines and as the same records in Avro single-object encoding, and the ingestor the job would
 * run on them. A benchmark takes the records in turn, {@code pool[next++ & (SIZE - 1)]}.
 */
final class TorontoRecords {
    /** Records in the pool: a power of two, so that the next index is a mask. */
    static final int SIZE = 4096;

    final byte[][] json = new byte[SIZE][];
    final byte[][] avro = new byte[SIZE][];

    TorontoRecords() throws Rejection {
        ContractLines lines = new ContractLines(MicroCities.load(MicroCities.TORONTO), ZoneId.of("America/Toronto"), 7);
        JsonContractReader reader = new JsonContractReader();
        AvroContractCodec codec = new AvroContractCodec();
        long start = System.currentTimeMillis() - Duration.ofDays(30).toMillis();
        for (int i = 0; i < SIZE; i++) {
            json[i] = lines.valid(lines.drawSource(), start + i * 60_000L).getBytes(StandardCharsets.UTF_8);
            avro[i] = codec.encode(reader.read(json[i]));
        }
    }

    /** The whole first operator, with the default settings and Toronto's boundaries. */
    static RecordIngestor ingestor() {
        return IngestSettings.of(LookoutConfig.defaults().with("boundaries", MicroCities.setting(MicroCities.TORONTO)),
                PseudonymKey.ephemeral()).newIngestor();
    }
}
