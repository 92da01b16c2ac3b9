package lookout.bench.micro;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecordBase;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import lookout.bench.ContractLines;
import lookout.config.LookoutConfig;
import lookout.ingest.AvroContractCodec;
import lookout.ingest.IngestSettings;
import lookout.ingest.JsonContractReader;
import lookout.ingest.RecordIngestor;
import lookout.ingest.Rejection;
import lookout.privacy.PseudonymKey;
import lookout.schema.IngestResult;

/**
 * The first operator's hot paths, one record at a time over a pool of realistic records for Toronto:
 * NDJSON parse into the contract record, Avro single-object decode, and the whole ingest (parse, validate,
 * de-identify, area lookup) as the sources run it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IngestBenchmarks {
    private static final int POOL = 4096;

    private byte[][] json;
    private byte[][] avro;
    private JsonContractReader reader;
    private AvroContractCodec codec;
    private RecordIngestor ingestor;
    private int next;

    @Setup
    public void setUp() throws Rejection {
        ZoneId zone = ZoneId.of("America/Toronto");
        ContractLines lines = new ContractLines(MicroCities.load(MicroCities.TORONTO), zone, 7);
        reader = new JsonContractReader();
        codec = new AvroContractCodec();
        json = new byte[POOL][];
        avro = new byte[POOL][];
        long start = System.currentTimeMillis() - Duration.ofDays(30).toMillis();
        for (int i = 0; i < POOL; i++) {
            json[i] = lines.valid(lines.drawSource(), start + i * 60_000L).getBytes(StandardCharsets.UTF_8);
            avro[i] = codec.encode(reader.read(json[i]));
        }
        ingestor = IngestSettings.of(LookoutConfig.defaults().with("boundaries", MicroCities.setting(MicroCities.TORONTO)),
                PseudonymKey.ephemeral()).newIngestor();
    }

    @Benchmark
    public SpecificRecordBase ndjsonParse() throws Rejection {
        return reader.read(json[next++ & (POOL - 1)]);
    }

    @Benchmark
    public SpecificRecordBase avroDecode() throws Rejection {
        return codec.decode(avro[next++ & (POOL - 1)]);
    }

    @Benchmark
    public IngestResult ingestNdjson() {
        return ingestor.ingest(json[next++ & (POOL - 1)], "bench:1", 0L);
    }
}
