package lookout.sink;

import java.io.IOException;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;

import lookout.flink.SerializerTypeInfo;
import lookout.flink.TextField;
import lookout.flink.TextRecordSerializer;
import lookout.schema.Alert;
import lookout.schema.CountDelta;
import lookout.schema.DeadLetter;
import lookout.schema.DelayDelta;
import lookout.schema.DetectorAlarm;
import lookout.schema.FeedHealth;
import lookout.schema.SubstanceDelta;
import lookout.schema.TableRow;

/**
 * The rows on their way to the writer. A backfill sends it about three rows per event (an hourly cell seldom holds
 * two events), so the three delta kinds are written field by field, where Flink's Avro serializer walks the schema
 * for every field (a quarter of the combiner's thread); the rare kinds (dead letters, alarms, alerts, feed health)
 * keep Avro's encoding. A row starts with a byte whose bits say which of its fields are set. For records in
 * flight only; no checkpoint holds this format.
 */
public final class TableRowSerializer extends TextRecordSerializer<TableRow> {
    private static final long serialVersionUID = 1L;
    /** The rows' stream type. */
    public static final TypeInformation<TableRow> TYPE = new SerializerTypeInfo<>(TableRow.class, new TableRowSerializer());
    private static final int COUNT = 1;
    private static final int DELAY = 1 << 1;
    private static final int SUBSTANCE = 1 << 2;
    private static final int DEAD_LETTER = 1 << 3;
    private static final int ALARM = 1 << 4;
    private static final int ALERT = 1 << 5;
    private static final int FEED_HEALTH = 1 << 6;

    // Avro's serializers keep an encoder and a decoder: each copy of this serializer has its own (duplicate()).
    private final AvroSerializer<DeadLetter> deadLetters = new AvroSerializer<>(DeadLetter.class);
    private final AvroSerializer<DetectorAlarm> alarms = new AvroSerializer<>(DetectorAlarm.class);
    private final AvroSerializer<Alert> alerts = new AvroSerializer<>(Alert.class);
    private final AvroSerializer<FeedHealth> feedHealth = new AvroSerializer<>(FeedHealth.class);

    @Override
    protected TableRowSerializer fresh() {
        return new TableRowSerializer();
    }

    @Override
    public TableRow createInstance() {
        return new TableRow();
    }

    @Override
    public TableRow copy(TableRow from) {
        return TableRow.newBuilder(from).build();
    }

    @Override
    public void serialize(TableRow row, DataOutputView target) throws IOException {
        target.writeByte(present(row.getCount(), COUNT) | present(row.getDelay(), DELAY)
                | present(row.getSubstance(), SUBSTANCE) | present(row.getDeadLetter(), DEAD_LETTER)
                | present(row.getAlarm(), ALARM) | present(row.getAlert(), ALERT)
                | present(row.getFeedHealth(), FEED_HEALTH));
        if (row.getCount() != null) {
            CountDelta c = row.getCount();
            TextField.write(c.getGranularity(), target);
            target.writeLong(c.getBucketStart());
            TextField.write(c.getAreaId(), target);
            TextField.write(c.getSignal(), target);
            target.writeLong(c.getDelta());
        }
        if (row.getDelay() != null) {
            DelayDelta d = row.getDelay();
            TextField.write(d.getSignal(), target);
            TextField.write(d.getOccurredDay(), target);
            TextField.write(d.getReportedDay(), target);
            target.writeLong(d.getDelta());
        }
        if (row.getSubstance() != null) {
            SubstanceDelta d = row.getSubstance();
            TextField.write(d.getAreaId(), target);
            TextField.write(d.getWeekStart(), target);
            TextField.write(d.getSubstance(), target);
            TextField.write(d.getWatchEntry(), target);
            target.writeLong(d.getDelta());
        }
        if (row.getDeadLetter() != null) {
            deadLetters.serialize(row.getDeadLetter(), target);
        }
        if (row.getAlarm() != null) {
            alarms.serialize(row.getAlarm(), target);
        }
        if (row.getAlert() != null) {
            alerts.serialize(row.getAlert(), target);
        }
        if (row.getFeedHealth() != null) {
            feedHealth.serialize(row.getFeedHealth(), target);
        }
    }

    private static int present(Object field, int bit) {
        return field == null ? 0 : bit;
    }

    @Override
    public TableRow deserialize(DataInputView source) throws IOException {
        int fields = source.readByte();
        TableRow row = new TableRow();
        if ((fields & COUNT) != 0) {
            row.setCount(new CountDelta(text.read(source), source.readLong(), text.read(source),
                    text.read(source), source.readLong()));
        }
        if ((fields & DELAY) != 0) {
            row.setDelay(new DelayDelta(text.read(source), text.read(source), text.read(source),
                    source.readLong()));
        }
        if ((fields & SUBSTANCE) != 0) {
            row.setSubstance(new SubstanceDelta(text.read(source), text.read(source), text.read(source),
                    text.read(source), source.readLong()));
        }
        if ((fields & DEAD_LETTER) != 0) {
            row.setDeadLetter(deadLetters.deserialize(source));
        }
        if ((fields & ALARM) != 0) {
            row.setAlarm(alarms.deserialize(source));
        }
        if ((fields & ALERT) != 0) {
            row.setAlert(alerts.deserialize(source));
        }
        if ((fields & FEED_HEALTH) != 0) {
            row.setFeedHealth(feedHealth.deserialize(source));
        }
        return row;
    }

    @Override
    public TypeSerializerSnapshot<TableRow> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer has no configuration: its snapshot makes a new one. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TableRow> {
        public Snapshot() {
            super(TableRowSerializer::new);
        }
    }
}
