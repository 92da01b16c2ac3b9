package lookout.flink;

import java.io.IOException;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What the job's hand-written record serializers share: variable length, a {@link TextField.Reader} of their own (so
 * each user gets a {@link #duplicate()}), equality by class (they have no configuration), and the defaults for the
 * methods a record without reuse does not need. A subclass writes its fields and says how to copy a record.
 */
public abstract class TextRecordSerializer<T> extends TypeSerializer<T> {
    private static final long serialVersionUID = 1L;

    /** The reader of this instance's text fields. */
    protected final TextField.Reader text = new TextField.Reader();

    /** A new serializer of the same kind, with its own reader. */
    protected abstract TextRecordSerializer<T> fresh();

    @Override
    public final TypeSerializer<T> duplicate() {
        return fresh();
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public final T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    /** Through the record; a serializer whose records BATCH sorting spills in bulk copies byte for byte instead. */
    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass();
    }

    @Override
    public final int hashCode() {
        return getClass().hashCode();
    }
}
