package lookout.detect;

import java.io.IOException;
import java.util.Objects;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import lookout.flink.ImmutableRecordSerializer;
import lookout.flink.SerializerTypeInfo;
import lookout.flink.TextField;
import lookout.kernel.Signal;
import lookout.schema.DeidentifiedEvent;

/**
 * What every count detector needs of a deduplicated event: its area, its signal and its minute. The detectors read
 * this instead of the whole de-identified event: it is made once, right after deduplication, and is what travels
 * to the detectors and what each chained consumer receives. Immutable, with its own serializer ({@link #TYPE}): an
 * area string, the signal as one byte and the minute as a long, and no copy between chained operators.
 */
public final class AreaEvent {
    /** The record's type: Flink uses {@link Serializer}, never Kryo or a reflective POJO serializer. */
    public static final TypeInformation<AreaEvent> TYPE = new SerializerTypeInfo<>(AreaEvent.class, new Serializer());

    private final String area;
    private final Signal signal;
    private final long minute;

    public AreaEvent(String area, Signal signal, long minute) {
        this.area = Objects.requireNonNull(area, "area");
        this.signal = Objects.requireNonNull(signal, "signal");
        this.minute = minute;
    }

    /** The event's area, signal and minute; an event of an unknown signal is refused (the ingest makes none). */
    public static AreaEvent of(DeidentifiedEvent e) {
        return new AreaEvent(e.getAreaId(), Signal.ofCode(e.getSignal()), e.getOccurredMinute());
    }

    public String area() {
        return area;
    }

    /** The signal's code, as the tables and alerts spell it. */
    public String signal() {
        return signal.code();
    }

    /** The signal itself, for the detectors' keys. */
    public Signal signalValue() {
        return signal;
    }

    public boolean is(Signal s) {
        return signal == s;
    }

    /** The occurred time truncated to the minute, epoch ms. */
    public long minute() {
        return minute;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AreaEvent other && other.minute == minute && other.signal == signal
                && other.area.equals(area);
    }

    @Override
    public int hashCode() {
        return Objects.hash(area, signal, minute);
    }

    @Override
    public String toString() {
        return area + "|" + signal.code() + "@" + minute;
    }

    /** Area as a text field, signal as its ordinal in one byte, minute as a long. */
    public static final class Serializer extends ImmutableRecordSerializer<AreaEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        protected Serializer fresh() {
            return new Serializer();
        }

        @Override
        public void serialize(AreaEvent e, DataOutputView target) throws IOException {
            TextField.write(e.area, target);
            target.writeByte(e.signal.ordinal());
            target.writeLong(e.minute);
        }

        @Override
        public AreaEvent deserialize(DataInputView source) throws IOException {
            String area = text.read(source);
            Signal signal = Signal.ofOrdinal(source.readByte());
            return new AreaEvent(area, signal, source.readLong());
        }

        /** Byte for byte: a backfill's sort copies every area event it spills. */
        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            TextField.copy(source, target);
            target.writeByte(source.readByte());
            target.writeLong(source.readLong());
        }

        @Override
        public TypeSerializerSnapshot<AreaEvent> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** The serializer has no configuration: its snapshot makes a new one. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<AreaEvent> {
        public Snapshot() {
            super(Serializer::new);
        }
    }
}
