package lookout.kernel;

/**
 * A command failed for a reason its message already tells in one line (not the user's fault, so the exit code
 * is 1, not 2); {@link Main} prints the message as it is, without the cause's class name.
 */
public class CommandFailure extends RuntimeException {
    public CommandFailure(String message) {
        super(message);
    }
}
