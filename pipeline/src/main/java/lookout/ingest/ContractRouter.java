package lookout.ingest;

import org.apache.avro.specific.SpecificRecordBase;

import lookout.config.KafkaTopics;

/**
 * Decides where an NDJSON line goes on Kafka: a line that satisfies the contract's types is sent as Avro to
 * its source's topic; any other line is sent as it is (to its source's topic when that can be read, else to
 * the unrouted topic), so the job, not the publisher, turns it into a dead letter with a reason.
 */
public final class ContractRouter {
    /** @param topicSuffix a source code, or {@link KafkaTopics#UNROUTED} */
    public record Routed(String topicSuffix, byte[] value, boolean avro) {}

    private final JsonContractReader reader = new JsonContractReader();
    private final AvroContractCodec codec = new AvroContractCodec();

    public Routed route(byte[] line) {
        try {
            SpecificRecordBase record = reader.read(line);
            String source = Contract.sourceOf(record).code();
            if (Utf8.hasLoneSurrogateEscape(line)) {
                // As Avro it would read "?" where the text has a lone surrogate: the job judges the text itself.
                return new Routed(source, line, false);
            }
            return new Routed(source, codec.encode(record), true);
        } catch (Rejection r) {
            return new Routed(r.source() == null ? KafkaTopics.UNROUTED : r.source().code(), line, false);
        }
    }
}
