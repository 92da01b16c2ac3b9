package lookout.notify;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;

import lookout.schema.Alert;
import lookout.schema.FeedHealth;
import lookout.schema.ReleasedSchemas;

/**
 * Decoders of the contract's messages the notifier reads: alerts and feed-health episodes from the topics, which it
 * reads again from the start to rebuild its journal, and the episodes its operator log keeps. Each reads a message
 * written under any released form of its schema ({@link ReleasedSchemas}) as the current one, so what a job wrote
 * before an upgrade that changed the schema is still read. Thread-safe.
 */
final class ContractDecoders {
    static final BinaryMessageDecoder<Alert> ALERT = reading(Alert.getClassSchema(),
            ReleasedSchemas.of(Alert.getClassSchema()));
    static final BinaryMessageDecoder<FeedHealth> FEED_HEALTH = reading(FeedHealth.getClassSchema(),
            ReleasedSchemas.of(FeedHealth.getClassSchema()));

    private ContractDecoders() {}

    /** A decoder of messages written under {@code current} or any of {@code released}, read as {@code current}. */
    static <T> BinaryMessageDecoder<T> reading(Schema current, List<Schema> released) {
        BinaryMessageDecoder<T> decoder = new BinaryMessageDecoder<>(SpecificData.get(), current);
        released.forEach(decoder::addSchema);
        return decoder;
    }
}
