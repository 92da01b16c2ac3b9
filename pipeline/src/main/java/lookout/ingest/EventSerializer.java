package lookout.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import lookout.flink.SerializerTypeInfo;
import lookout.flink.TextField;
import lookout.flink.TextRecordSerializer;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.Hash128;

/**
 * The de-identified event between operators: its fields written one after the other by hand, where Flink's Avro
 * serializer walks the schema for every field of every record (a tenth of a backfill's CPU went to Avro's generic
 * writer and reader on the job's shuffles). A string is its UTF-8 bytes after their length (-1 for null), copied
 * whole rather than character by character; the two keyed hashes (dedupe key and pseudonym) are their 16 bytes; a
 * nullable value is a presence byte and the value. For records
 * in flight and the BATCH-only state that holds them; no checkpoint holds this format. Each instance reads text
 * through its own {@link TextField.Reader}, so Flink gives each user a {@code duplicate()}.
 */
public final class EventSerializer extends TextRecordSerializer<DeidentifiedEvent> {
    private static final long serialVersionUID = 1L;
    /** The stream type of de-identified events: Flink uses this serializer for it, never Avro's or Kryo. */
    public static final TypeInformation<DeidentifiedEvent> TYPE =
            new SerializerTypeInfo<>(DeidentifiedEvent.class, new EventSerializer());
    private static final int HASH_BYTES = 2 * Long.BYTES;

    @Override
    protected EventSerializer fresh() {
        return new EventSerializer();
    }

    @Override
    public DeidentifiedEvent createInstance() {
        return new DeidentifiedEvent();
    }

    @Override
    public DeidentifiedEvent copy(DeidentifiedEvent from) {
        return DeidentifiedEvent.newBuilder(from).build();
    }

    @Override
    public void serialize(DeidentifiedEvent e, DataOutputView target) throws IOException {
        TextField.write(e.getSignal(), target);
        target.write(e.getDedupeKey().bytes());
        TextField.write(e.getAreaId(), target);
        target.writeLong(e.getOccurredMinute());
        TextField.write(e.getAgeBand(), target);
        TextField.write(e.getOutcome(), target);
        writeNullable(e.getDoses(), target);
        List<String> substances = e.getSubstances();
        target.writeInt(substances.size());
        for (String s : substances) {
            TextField.write(s, target);
        }
        TextField.write(e.getExpectedSubstance(), target);
        writeNullable(e.getReportedMinute(), target);
        Hash128 pseudonym = e.getPseudonym();
        target.writeBoolean(pseudonym != null);
        if (pseudonym != null) {
            target.write(pseudonym.bytes());
        }
    }

    @Override
    public DeidentifiedEvent deserialize(DataInputView source) throws IOException {
        String signal = text.read(source);
        Hash128 dedupeKey = readHash(source);
        String areaId = text.read(source);
        long occurredMinute = source.readLong();
        String ageBand = text.read(source);
        String outcome = text.read(source);
        Integer doses = source.readBoolean() ? source.readInt() : null;
        int n = source.readInt();
        List<String> substances = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            substances.add(text.read(source));
        }
        String expectedSubstance = text.read(source);
        Long reportedMinute = source.readBoolean() ? source.readLong() : null;
        Hash128 pseudonym = source.readBoolean() ? readHash(source) : null;
        return new DeidentifiedEvent(signal, dedupeKey, areaId, occurredMinute, ageBand, outcome, doses, substances,
                expectedSubstance, reportedMinute, pseudonym);
    }

    /** Byte for byte, field by field, without building the record (BATCH sorting copies every record it spills). */
    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        TextField.copy(source, target);
        copyHash(source, target);
        TextField.copy(source, target);
        target.writeLong(source.readLong());
        TextField.copy(source, target);
        TextField.copy(source, target);
        if (copyPresence(source, target)) {
            target.writeInt(source.readInt());
        }
        int substances = source.readInt();
        target.writeInt(substances);
        for (int i = 0; i < substances; i++) {
            TextField.copy(source, target);
        }
        TextField.copy(source, target);
        if (copyPresence(source, target)) {
            target.writeLong(source.readLong());
        }
        if (copyPresence(source, target)) {
            copyHash(source, target);
        }
    }

    @Override
    public TypeSerializerSnapshot<DeidentifiedEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Two longs through, not the view-to-view copy: see {@link TextField#copy}. */
    private static void copyHash(DataInputView source, DataOutputView target) throws IOException {
        target.writeLong(source.readLong());
        target.writeLong(source.readLong());
    }

    private static Hash128 readHash(DataInputView source) throws IOException {
        byte[] bytes = new byte[HASH_BYTES];
        source.readFully(bytes);
        return new Hash128(bytes);
    }

    /** A nullable value's presence byte, copied; whether the value follows. */
    private static boolean copyPresence(DataInputView source, DataOutputView target) throws IOException {
        boolean present = source.readBoolean();
        target.writeBoolean(present);
        return present;
    }

    private static void writeNullable(Integer value, DataOutputView target) throws IOException {
        target.writeBoolean(value != null);
        if (value != null) {
            target.writeInt(value);
        }
    }

    private static void writeNullable(Long value, DataOutputView target) throws IOException {
        target.writeBoolean(value != null);
        if (value != null) {
            target.writeLong(value);
        }
    }

    /** The serializer has no configuration: its snapshot makes a new one. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DeidentifiedEvent> {
        public Snapshot() {
            super(EventSerializer::new);
        }
    }
}
