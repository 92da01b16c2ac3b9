package lookout.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import lookout.schema.DeidentifiedEvent;

/**
 * The de-identified event between operators: its fields written one after the other by hand, where Flink's Avro
 * serializer walks the schema for every field of every record (a tenth of a backfill's CPU went to Avro's generic
 * writer and reader on the job's shuffles). Strings, nullable ones included, are Flink's {@link StringValue}
 * encoding; a nullable number is a presence byte and the number. Only for records in flight: operator state keeps
 * Avro's serializer, whose snapshots evolve with the schema.
 */
public final class EventSerializer extends TypeSerializerSingleton<DeidentifiedEvent> {
    private static final long serialVersionUID = 1L;
    static final EventSerializer INSTANCE = new EventSerializer();
    /** The stream type of de-identified events: Flink uses this serializer for it, never Avro's or Kryo. */
    public static final TypeInformation<DeidentifiedEvent> TYPE = new Info();

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
        StringValue.writeString(e.getSignal(), target);
        StringValue.writeString(e.getDedupeKey(), target);
        StringValue.writeString(e.getAreaId(), target);
        target.writeLong(e.getOccurredMinute());
        StringValue.writeString(e.getAgeBand(), target);
        StringValue.writeString(e.getOutcome(), target);
        writeNullable(e.getDoses(), target);
        List<String> substances = e.getSubstances();
        target.writeInt(substances.size());
        for (String s : substances) {
            StringValue.writeString(s, target);
        }
        StringValue.writeString(e.getExpectedSubstance(), target);
        writeNullable(e.getReportedMinute(), target);
        StringValue.writeString(e.getPseudonym(), target);
    }

    @Override
    public DeidentifiedEvent deserialize(DataInputView source) throws IOException {
        String signal = StringValue.readString(source);
        String dedupeKey = StringValue.readString(source);
        String areaId = StringValue.readString(source);
        long occurredMinute = source.readLong();
        String ageBand = StringValue.readString(source);
        String outcome = StringValue.readString(source);
        Integer doses = source.readBoolean() ? source.readInt() : null;
        int n = source.readInt();
        List<String> substances = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            substances.add(StringValue.readString(source));
        }
        String expectedSubstance = StringValue.readString(source);
        Long reportedMinute = source.readBoolean() ? source.readLong() : null;
        String pseudonym = StringValue.readString(source);
        return new DeidentifiedEvent(signal, dedupeKey, areaId, occurredMinute, ageBand, outcome, doses, substances,
                expectedSubstance, reportedMinute, pseudonym);
    }

    @Override
    public DeidentifiedEvent deserialize(DeidentifiedEvent reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public TypeSerializerSnapshot<DeidentifiedEvent> snapshotConfiguration() {
        return new Snapshot();
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

    private static final class Info extends TypeInformation<DeidentifiedEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<DeidentifiedEvent> getTypeClass() {
            return DeidentifiedEvent.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<DeidentifiedEvent> createSerializer(SerializerConfig config) {
            return INSTANCE;
        }

        @Override
        public String toString() {
            return "DeidentifiedEvent";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Info;
        }

        @Override
        public int hashCode() {
            return Info.class.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Info;
        }
    }
}
