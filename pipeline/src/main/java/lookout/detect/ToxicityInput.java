package lookout.detect;

import java.io.IOException;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import lookout.flink.SerializerTypeInfo;
import lookout.flink.TextField;
import lookout.flink.TextRecordSerializer;

/**
 * The toxicity operator's one input: an overdose event (paramedic or naloxone) or a drug-checking finding routed
 * to the area. One input type, so BATCH runs see each area's records in time order. In flight only, written by
 * its own serializer ({@link #TYPE}): an overdose event per paramedic or naloxone report reaches this operator,
 * and Flink's reflective POJO serializer (for this and the scan's input) took about 3 % of a backfill's samples.
 */
public final class ToxicityInput {
    public static final TypeInformation<ToxicityInput> TYPE =
            new SerializerTypeInfo<>(ToxicityInput.class, new Serializer());

    public String area;
    public long time;
    /** paramedic or naloxone for an event; null for a finding. */
    public String signal;
    public Finding finding;

    public ToxicityInput() {}

    public static ToxicityInput event(String area, long time, String signal) {
        ToxicityInput in = new ToxicityInput();
        in.area = area;
        in.time = time;
        in.signal = signal;
        return in;
    }

    public static ToxicityInput finding(Finding f) {
        ToxicityInput in = new ToxicityInput();
        in.area = f.targetArea;
        in.time = f.time;
        in.finding = f;
        return in;
    }

    /** An event's area, time and signal; a finding's fields after a marker byte. */
    public static final class Serializer extends TextRecordSerializer<ToxicityInput> {
        private static final long serialVersionUID = 1L;

        @Override
        protected Serializer fresh() {
            return new Serializer();
        }

        @Override
        public ToxicityInput createInstance() {
            return new ToxicityInput();
        }

        @Override
        public ToxicityInput copy(ToxicityInput from) {
            ToxicityInput in = new ToxicityInput();
            in.area = from.area;
            in.time = from.time;
            in.signal = from.signal;
            Finding f = from.finding;
            in.finding = f == null ? null
                    : new Finding(f.targetArea, f.foundInArea, f.time, f.substance, f.watchEntry, f.novel, f.critical,
                            f.reason);
            return in;
        }

        @Override
        public void serialize(ToxicityInput in, DataOutputView target) throws IOException {
            TextField.write(in.area, target);
            target.writeLong(in.time);
            TextField.write(in.signal, target);
            Finding f = in.finding;
            target.writeBoolean(f != null);
            if (f != null) {
                TextField.write(f.targetArea, target);
                TextField.write(f.foundInArea, target);
                target.writeLong(f.time);
                TextField.write(f.substance, target);
                TextField.write(f.watchEntry, target);
                target.writeBoolean(f.novel);
                target.writeBoolean(f.critical);
                TextField.write(f.reason, target);
            }
        }

        @Override
        public ToxicityInput deserialize(DataInputView source) throws IOException {
            ToxicityInput in = new ToxicityInput();
            in.area = text.read(source);
            in.time = source.readLong();
            in.signal = text.read(source);
            if (source.readBoolean()) {
                in.finding = new Finding(text.read(source), text.read(source), source.readLong(), text.read(source),
                        text.read(source), source.readBoolean(), source.readBoolean(), text.read(source));
            }
            return in;
        }

        @Override
        public TypeSerializerSnapshot<ToxicityInput> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** The serializer has no configuration: its snapshot makes a new one. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ToxicityInput> {
        public Snapshot() {
            super(Serializer::new);
        }
    }
}
