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
 * What the scan operator reads, one union type so that a BATCH run keeps time order within its key (the signal):
 * an event of an area, what an area's baseline expected on a day (from its daily detector's verdict), or that the
 * area's own detectors fired on a day (a snapshot of its own alert). In flight only, written by its own serializer
 * ({@link #TYPE}) rather than Flink's reflective POJO serializer: every event of an alerting signal comes here.
 */
public final class ScanInput {
    public static final TypeInformation<ScanInput> TYPE = new SerializerTypeInfo<>(ScanInput.class, new Serializer());
    /** The kinds of input. */
    public static final int EVENT = 0;
    public static final int EXPECTATION = 1;
    public static final int ALERTED = 2;

    public int kind;
    public String signal;
    public String area;
    /** An event's time, epoch ms; for an expectation, unused. */
    public long time;
    /** An expectation's or a firing's day (epoch day); for an event, unused. */
    public long day;
    /** The expectation; NaN for the other kinds. */
    public double expected = Double.NaN;

    public ScanInput() {}

    public static ScanInput event(String area, String signal, long time) {
        ScanInput in = new ScanInput();
        in.area = area;
        in.signal = signal;
        in.time = time;
        in.kind = EVENT;
        return in;
    }

    public static ScanInput expectation(String area, String signal, long day, double expected) {
        ScanInput in = new ScanInput();
        in.area = area;
        in.signal = signal;
        in.day = day;
        in.expected = expected;
        in.kind = EXPECTATION;
        return in;
    }

    public static ScanInput alerted(String area, String signal, long day) {
        ScanInput in = new ScanInput();
        in.area = area;
        in.signal = signal;
        in.day = day;
        in.kind = ALERTED;
        return in;
    }

    /** The fields in order, the two texts through the reader. */
    public static final class Serializer extends TextRecordSerializer<ScanInput> {
        private static final long serialVersionUID = 1L;

        @Override
        protected Serializer fresh() {
            return new Serializer();
        }

        @Override
        public ScanInput createInstance() {
            return new ScanInput();
        }

        @Override
        public ScanInput copy(ScanInput from) {
            ScanInput in = new ScanInput();
            in.kind = from.kind;
            in.signal = from.signal;
            in.area = from.area;
            in.time = from.time;
            in.day = from.day;
            in.expected = from.expected;
            return in;
        }

        @Override
        public void serialize(ScanInput in, DataOutputView target) throws IOException {
            target.writeByte(in.kind);
            TextField.write(in.signal, target);
            TextField.write(in.area, target);
            target.writeLong(in.time);
            target.writeLong(in.day);
            target.writeDouble(in.expected);
        }

        @Override
        public ScanInput deserialize(DataInputView source) throws IOException {
            ScanInput in = new ScanInput();
            in.kind = source.readByte();
            in.signal = text.read(source);
            in.area = text.read(source);
            in.time = source.readLong();
            in.day = source.readLong();
            in.expected = source.readDouble();
            return in;
        }

        @Override
        public TypeSerializerSnapshot<ScanInput> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** The serializer has no configuration: its snapshot makes a new one. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ScanInput> {
        public Snapshot() {
            super(Serializer::new);
        }
    }
}
