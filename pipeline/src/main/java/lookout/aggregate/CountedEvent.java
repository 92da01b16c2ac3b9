package lookout.aggregate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
 * What the cells count of an event: its area, signal, occurred and reported minutes, and a drug-checking sample's
 * findings. Every deduplicated event and every combined report crosses a shuffle to {@link CombineIncrements}, so
 * this is what travels there instead of the whole de-identified event: 28 bytes for a call in a three-character
 * area, about a quarter of the event's, and no keyed hash, age band or outcome to write and read back. Immutable,
 * with its own serializer ({@link #TYPE}). It has no pseudonym, so a combined report made from one cannot carry it
 * on.
 */
public final class CountedEvent {
    /** The record's type: Flink uses {@link Serializer}, never Kryo or a reflective POJO serializer. */
    public static final TypeInformation<CountedEvent> TYPE = new SerializerTypeInfo<>(CountedEvent.class, new Serializer());
    /** The reported minute of an event read from a checkpoint older than that field. */
    public static final long NOT_REPORTED = Long.MIN_VALUE;

    private final String area;
    private final Signal signal;
    private final long occurredMinute;
    private final long reportedMinute;
    private final List<String> substances;

    public CountedEvent(String area, Signal signal, long occurredMinute, long reportedMinute, List<String> substances) {
        this.area = Objects.requireNonNull(area, "area");
        this.signal = Objects.requireNonNull(signal, "signal");
        this.occurredMinute = occurredMinute;
        this.reportedMinute = reportedMinute;
        this.substances = List.copyOf(substances);
    }

    /** The event as its own signal counts it; only a drug-checking sample keeps its substances, the cells' only use. */
    public static CountedEvent of(DeidentifiedEvent e) {
        return as(Signal.ofCode(e.getSignal()), e);
    }

    /** The event counted in {@code signal}: a combined report is a paramedic call or naloxone report counted again. */
    public static CountedEvent as(Signal signal, DeidentifiedEvent e) {
        return new CountedEvent(e.getAreaId(), signal, e.getOccurredMinute(), reportedOf(e),
                signal == Signal.DRUG_CHECKING ? e.getSubstances() : List.of());
    }

    /** The event's reported minute, or {@link #NOT_REPORTED} for an event read from a checkpoint older than it. */
    public static long reportedOf(DeidentifiedEvent e) {
        Long reported = e.getReportedMinute();
        return reported == null ? NOT_REPORTED : reported;
    }

    public String area() {
        return area;
    }

    /** The signal's code, as the tables spell it. */
    public String signal() {
        return signal.code();
    }

    public boolean is(Signal s) {
        return signal == s;
    }

    /** The occurred time truncated to the minute, epoch ms. */
    public long occurredMinute() {
        return occurredMinute;
    }

    /** The reported time truncated to the minute, epoch ms, or {@link #NOT_REPORTED}. */
    public long reportedMinute() {
        return reportedMinute;
    }

    /** A drug-checking sample's findings as vocabulary terms, as listed; empty for every other signal. */
    public List<String> substances() {
        return substances;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CountedEvent other && other.occurredMinute == occurredMinute
                && other.reportedMinute == reportedMinute && other.signal == signal && other.area.equals(area)
                && other.substances.equals(substances);
    }

    @Override
    public int hashCode() {
        return Objects.hash(area, signal, occurredMinute, reportedMinute, substances);
    }

    @Override
    public String toString() {
        return area + "|" + signal.code() + "@" + occurredMinute + ">" + reportedMinute + substances;
    }

    /** Area as a text field, signal as its ordinal in one byte, the two minutes as longs, then the substances. */
    public static final class Serializer extends ImmutableRecordSerializer<CountedEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        protected Serializer fresh() {
            return new Serializer();
        }

        @Override
        public void serialize(CountedEvent e, DataOutputView target) throws IOException {
            TextField.write(e.area, target);
            target.writeByte(e.signal.ordinal());
            target.writeLong(e.occurredMinute);
            target.writeLong(e.reportedMinute);
            target.writeInt(e.substances.size());
            for (String s : e.substances) {
                TextField.write(s, target);
            }
        }

        @Override
        public CountedEvent deserialize(DataInputView source) throws IOException {
            String area = text.read(source);
            Signal signal = Signal.ofOrdinal(source.readByte());
            long occurred = source.readLong();
            long reported = source.readLong();
            int n = source.readInt();
            List<String> substances = n == 0 ? List.of() : new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                substances.add(text.read(source));
            }
            return new CountedEvent(area, signal, occurred, reported, substances);
        }

        @Override
        public TypeSerializerSnapshot<CountedEvent> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** The serializer has no configuration: its snapshot makes a new one. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CountedEvent> {
        public Snapshot() {
            super(Serializer::new);
        }
    }
}
