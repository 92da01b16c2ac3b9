package lookout.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.testutils.junit.SharedObjectsExtension;
import org.apache.flink.testutils.junit.SharedReference;

/**
 * A sink that keeps what reaches it in a list the test reads after the job ends. The list is shared through
 * {@link SharedObjectsExtension}, so it survives the sink's serialisation to a local cluster's task.
 */
public final class CollectingSink<T> implements Sink<T> {
    private final SharedReference<List<T>> received;

    public CollectingSink(SharedObjectsExtension shared) {
        this.received = shared.add(new CopyOnWriteArrayList<>());
    }

    /** Everything written, in arrival order (which varies across parallel writers). */
    public List<T> received() {
        return List.copyOf(received.get());
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context c) {
                received.get().add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
