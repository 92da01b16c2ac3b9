package lookout.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Avro's binary decoder, except that a string whose bytes are not valid UTF-8 ({@link Utf8}) stops the
 * read. Avro itself would decode such bytes with replacement characters, so a message from another producer
 * would be accepted where the same text as a JSON line is refused. Every string is checked where Avro reads
 * it, in place, so the message is not copied or scanned twice. Reused from message to message: not for
 * more than one thread.
 */
final class StrictUtf8Decoder extends Decoder {
    /** Thrown when a string's bytes are not valid UTF-8; carries no text of the record. */
    static final class InvalidUtf8 extends IOException {
        private InvalidUtf8() {
            super("a string is not valid UTF-8");
        }

        /** No stack trace: it is a verdict on the record, thrown per bad record, not a fault to trace. */
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** Thrown when a record holds more than {@link ItemLimit#MAX_ITEMS} items; carries no text of the record. */
    static final class TooManyItems extends IOException {
        private TooManyItems() {
            super("more than " + ItemLimit.MAX_ITEMS + " array or map items");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private final org.apache.avro.util.Utf8 scratch = new org.apache.avro.util.Utf8();
    private BinaryDecoder in;
    private long items;

    /** Reads {@code length} bytes of {@code bytes} from {@code offset}. */
    StrictUtf8Decoder over(byte[] bytes, int offset, int length) {
        in = DecoderFactory.get().binaryDecoder(bytes, offset, length, in);
        items = 0;
        return this;
    }

    /**
     * Counts a block of {@code n} items towards the record's {@link ItemLimit#MAX_ITEMS}. A block claiming more
     * items than bytes remain is a damaged or lying message, not a long list (every contract item takes a byte).
     */
    private long counted(long n) throws IOException {
        items += n;
        if (items > ItemLimit.MAX_ITEMS) {
            if (n > in.remainingBytes()) {
                throw new IOException("a block claims more items than the message holds bytes");
            }
            throw new TooManyItems();
        }
        return n;
    }

    /** Whether every byte given to {@link #over} has been read. */
    boolean isEnd() throws IOException {
        return in.isEnd();
    }

    @Override
    public org.apache.avro.util.Utf8 readString(org.apache.avro.util.Utf8 old) throws IOException {
        org.apache.avro.util.Utf8 s = in.readString(old);
        if (!Utf8.isValid(s.getBytes(), s.getByteLength())) {
            throw new InvalidUtf8();
        }
        return s;
    }

    @Override
    public String readString() throws IOException {
        return readString(scratch).toString();
    }

    @Override
    public void skipString() throws IOException {
        in.skipString();
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        return in.readBytes(old);
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipBytes();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return counted(in.readArrayStart());
    }

    @Override
    public long arrayNext() throws IOException {
        return counted(in.arrayNext());
    }

    @Override
    public long skipArray() throws IOException {
        return in.skipArray();
    }

    @Override
    public long readMapStart() throws IOException {
        return counted(in.readMapStart());
    }

    @Override
    public long mapNext() throws IOException {
        return counted(in.mapNext());
    }

    @Override
    public long skipMap() throws IOException {
        return in.skipMap();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }

    /** Passed on so Avro keeps refusing a collection that claims more items than the message could hold. */
    @Override
    public int remainingBytes() {
        return in.remainingBytes();
    }
}
