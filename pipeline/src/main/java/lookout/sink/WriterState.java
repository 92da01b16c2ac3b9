package lookout.sink;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The DuckDB writer's checkpointed state: which run it belongs to and the last batch sequence it handed to
 * the committer. A fresh start gets a new run id, so its batches never collide with an earlier run's.
 */
record WriterState(String runId, long sequence) {
    static final SimpleVersionedSerializer<WriterState> SERIALIZER = new SimpleVersionedSerializer<>() {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(WriterState state) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(state.runId);
                out.writeLong(state.sequence);
            }
            return bytes.toByteArray();
        }

        @Override
        public WriterState deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return new WriterState(in.readUTF(), in.readLong());
            }
        }
    };
}
