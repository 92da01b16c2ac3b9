package lookout.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import lookout.flink.SerializerTypeInfo;
import lookout.flink.TextField;
import lookout.privacy.Pseudonymizer;
import lookout.schema.DeidentifiedEvent;

/**
 * The de-identified event between operators: its fields written one after the other by hand, where Flink's Avro
 * serializer walks the schema for every field of every record (a tenth of a backfill's CPU went to Avro's generic
 * writer and reader on the job's shuffles). A string is its UTF-8 bytes after their length (-1 for null), copied
 * whole rather than character by character; the two keyed hashes (dedupe key and pseudonym), 32 hex digits as the
 * ingest writes them, travel as their 16 bytes; a nullable number is a presence byte and the number. For records
 * in flight and the BATCH-only state that holds them; no checkpoint holds this format.
 */
public final class EventSerializer extends TypeSerializerSingleton<DeidentifiedEvent> {
    private static final long serialVersionUID = 1L;
    static final EventSerializer INSTANCE = new EventSerializer();
    /** The stream type of de-identified events: Flink uses this serializer for it, never Avro's or Kryo. */
    public static final TypeInformation<DeidentifiedEvent> TYPE =
            new SerializerTypeInfo<>(DeidentifiedEvent.class, INSTANCE);
    private static final byte TEXT = 0;
    private static final byte HASH = 1;

    @Override
    public boolean isImmutableType() {
        return false;
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
    public DeidentifiedEvent copy(DeidentifiedEvent from, DeidentifiedEvent reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(DeidentifiedEvent e, DataOutputView target) throws IOException {
        TextField.write(e.getSignal(), target);
        writeHash(e.getDedupeKey(), target);
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
        writeHash(e.getPseudonym(), target);
    }

    @Override
    public DeidentifiedEvent deserialize(DataInputView source) throws IOException {
        String signal = TextField.read(source);
        String dedupeKey = readHash(source);
        String areaId = TextField.read(source);
        long occurredMinute = source.readLong();
        String ageBand = TextField.read(source);
        String outcome = TextField.read(source);
        Integer doses = source.readBoolean() ? source.readInt() : null;
        int n = source.readInt();
        List<String> substances = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            substances.add(TextField.read(source));
        }
        String expectedSubstance = TextField.read(source);
        Long reportedMinute = source.readBoolean() ? source.readLong() : null;
        String pseudonym = readHash(source);
        return new DeidentifiedEvent(signal, dedupeKey, areaId, occurredMinute, ageBand, outcome, doses, substances,
                expectedSubstance, reportedMinute, pseudonym);
    }

    @Override
    public DeidentifiedEvent deserialize(DeidentifiedEvent reuse, DataInputView source) throws IOException {
        return deserialize(source);
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
        copyHash(source, target);
    }

    @Override
    public TypeSerializerSnapshot<DeidentifiedEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** A keyed hash as its 16 bytes when it is 32 lower-case hex digits (always, from the ingest); else as text. */
    private static void writeHash(String hash, DataOutputView target) throws IOException {
        long[] bits = new long[2];
        if (Pseudonymizer.hashBits(hash, bits)) {
            target.writeByte(HASH);
            target.writeLong(bits[0]);
            target.writeLong(bits[1]);
            return;
        }
        target.writeByte(TEXT);
        TextField.write(hash, target);
    }

    private static String readHash(DataInputView source) throws IOException {
        if (source.readByte() == HASH) {
            return Pseudonymizer.hashText(source.readLong(), source.readLong());
        }
        return TextField.read(source);
    }

    /** A nullable number's presence byte, copied; whether the number follows. */
    private static boolean copyPresence(DataInputView source, DataOutputView target) throws IOException {
        boolean present = source.readBoolean();
        target.writeBoolean(present);
        return present;
    }

    private static void copyHash(DataInputView source, DataOutputView target) throws IOException {
        byte form = source.readByte();
        target.writeByte(form);
        if (form == HASH) {
            target.writeLong(source.readLong());
            target.writeLong(source.readLong());
        } else {
            TextField.copy(source, target);
        }
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

    /** The serializer has no configuration: its snapshot restores the one instance. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DeidentifiedEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
