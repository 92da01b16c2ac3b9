package lookout.bench.micro;

import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecordBase;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import lookout.ingest.AvroContractCodec;
import lookout.ingest.JsonContractReader;
import lookout.ingest.RecordIngestor;
import lookout.ingest.Rejection;
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
    private byte[][] json;
    private byte[][] avro;
    private JsonContractReader reader;
    private AvroContractCodec codec;
    private RecordIngestor ingestor;
    private int next;

    @Setup
    public void setUp() throws Rejection {
        TorontoRecords records = new TorontoRecords();
        json = records.json;
        avro = records.avro;
        reader = new JsonContractReader();
        codec = new AvroContractCodec();
        ingestor = TorontoRecords.ingestor();
    }

    @Benchmark
    public SpecificRecordBase ndjsonParse() throws Rejection {
        return reader.read(json[next++ & (TorontoRecords.SIZE - 1)]);
    }

    @Benchmark
    public SpecificRecordBase avroDecode() throws Rejection {
        return codec.decode(avro[next++ & (TorontoRecords.SIZE - 1)]);
    }

    @Benchmark
    public IngestResult ingestNdjson() {
        return ingestor.ingest(json[next++ & (TorontoRecords.SIZE - 1)], "bench:1", 0L);
    }
}
