package lookout.geo;

/** A boundary file that cannot be used; the message is one line naming the file and, where known, the feature. */
public final class BoundaryException extends RuntimeException {
    public BoundaryException(String message) {
        super(message);
    }
}
