package lookout.flink;

/**
 * A hand-written serializer of an immutable record: chained operators can share one instance, so a copy is the
 * record itself and there is no instance to reuse. A subclass writes and reads the fields.
 */
public abstract class ImmutableRecordSerializer<T> extends TextRecordSerializer<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public final boolean isImmutableType() {
        return true;
    }

    @Override
    public final T createInstance() {
        return null;
    }

    @Override
    public final T copy(T from) {
        return from;
    }
}
