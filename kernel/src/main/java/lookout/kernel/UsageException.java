package lookout.kernel;

/** A problem the user can fix (argument, file, configuration, broker address), told in one line. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
