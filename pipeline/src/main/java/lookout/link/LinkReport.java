package lookout.link;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import lookout.aggregate.CountedEvent;
import lookout.aggregate.Key128;
import lookout.flink.ImmutableRecordSerializer;
import lookout.flink.SerializerTypeInfo;
import lookout.flink.TextField;
import lookout.kernel.Signal;
import lookout.schema.DeidentifiedEvent;

/**
 * What the {@link OverdoseLinker} needs of a paramedic call or naloxone report with a pseudonym: the person's key,
 * which source, and the area and minutes the report counts at if it is taken. This is what travels to the linker
 * and what a backfill sorts and holds there, instead of the whole de-identified event. Immutable, with its own
 * serializer ({@link #TYPE}).
 */
public final class LinkReport {
    /** The record's type: Flink uses {@link Serializer}, never Kryo or a reflective POJO serializer. */
    public static final TypeInformation<LinkReport> TYPE = new SerializerTypeInfo<>(LinkReport.class, new Serializer());

    private final long personHigh;
    private final long personLow;
    private final boolean naloxone;
    private final String area;
    private final long occurredMinute;
    private final long reportedMinute;

    LinkReport(long personHigh, long personLow, boolean naloxone, String area, long occurredMinute,
            long reportedMinute) {
        this.personHigh = personHigh;
        this.personLow = personLow;
        this.naloxone = naloxone;
        this.area = Objects.requireNonNull(area, "area");
        this.occurredMinute = occurredMinute;
        this.reportedMinute = reportedMinute;
    }

    /** The report of a paramedic call or naloxone report that has a pseudonym; anything else is a bug. */
    public static LinkReport of(DeidentifiedEvent e) {
        boolean naloxone = Signal.NALOXONE.is(e.getSignal());
        if (!naloxone && !Signal.PARAMEDIC.is(e.getSignal()) || e.getPseudonym() == null) {
            throw new IllegalArgumentException("only paramedic calls and naloxone reports with a pseudonym link");
        }
        Tuple2<Long, Long> person = Key128.of(e.getPseudonym());
        return new LinkReport(person.f0, person.f1, naloxone, e.getAreaId(), e.getOccurredMinute(),
                CountedEvent.reportedOf(e));
    }

    /** The linker's key: the pseudonym's 128 bits. */
    public Tuple2<Long, Long> person() {
        return Tuple2.of(personHigh, personLow);
    }

    public boolean isNaloxone() {
        return naloxone;
    }

    public String area() {
        return area;
    }

    public long occurredMinute() {
        return occurredMinute;
    }

    /** The reported minute, or {@link CountedEvent#NOT_REPORTED}. */
    public long reportedMinute() {
        return reportedMinute;
    }

    /** The report as the combined signal counts it: its area and minutes, and no pseudonym. */
    public CountedEvent asCombined() {
        return new CountedEvent(area, Signal.COMBINED, occurredMinute, reportedMinute, List.of());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkReport other && other.personHigh == personHigh && other.personLow == personLow
                && other.naloxone == naloxone && other.occurredMinute == occurredMinute
                && other.reportedMinute == reportedMinute && other.area.equals(area);
    }

    @Override
    public int hashCode() {
        return Objects.hash(personHigh, personLow, naloxone, area, occurredMinute, reportedMinute);
    }

    /** No pseudonym bits: a report may be printed in a failing test or a log. */
    @Override
    public String toString() {
        return (naloxone ? "naloxone" : "paramedic") + "|" + area + "@" + occurredMinute + ">" + reportedMinute;
    }

    /** The key's two longs, the source as a byte, the area as a text field, the two minutes as longs. */
    public static final class Serializer extends ImmutableRecordSerializer<LinkReport> {
        private static final long serialVersionUID = 1L;

        @Override
        protected Serializer fresh() {
            return new Serializer();
        }

        @Override
        public void serialize(LinkReport r, DataOutputView target) throws IOException {
            target.writeLong(r.personHigh);
            target.writeLong(r.personLow);
            target.writeBoolean(r.naloxone);
            TextField.write(r.area, target);
            target.writeLong(r.occurredMinute);
            target.writeLong(r.reportedMinute);
        }

        @Override
        public LinkReport deserialize(DataInputView source) throws IOException {
            long high = source.readLong();
            long low = source.readLong();
            boolean naloxone = source.readBoolean();
            String area = text.read(source);
            long occurred = source.readLong();
            return new LinkReport(high, low, naloxone, area, occurred, source.readLong());
        }

        /** Field by field without building the record: a backfill's sort copies every report it spills. */
        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            target.writeLong(source.readLong());
            target.writeLong(source.readLong());
            target.writeBoolean(source.readBoolean());
            TextField.copy(source, target);
            target.writeLong(source.readLong());
            target.writeLong(source.readLong());
        }

        @Override
        public TypeSerializerSnapshot<LinkReport> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** The serializer has no configuration: its snapshot makes a new one. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<LinkReport> {
        public Snapshot() {
            super(Serializer::new);
        }
    }
}
