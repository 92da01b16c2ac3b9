package lookout.kernel;

import java.io.PrintStream;
import java.util.List;

/** One {@code ./lookout} subcommand. */
public interface Command {
    String name();

    /** One line for {@code ./lookout --help}. */
    String summary();

    /** Full usage text for {@code ./lookout NAME --help}. */
    String usage();

    /**
     * Runs the command. A user error (bad argument, missing file, unreachable broker) is reported by throwing
     * {@link UsageException} with one readable line; {@link Main} prints it and exits non-zero.
     */
    int run(List<String> args, PrintStream out) throws Exception;
}
