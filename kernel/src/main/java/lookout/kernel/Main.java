package lookout.kernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * {@code ./lookout COMMAND [options]}. The commands are the {@link Command}s on the class path, each module naming
 * its own in {@code META-INF/services/lookout.kernel.Command}: the job jar brings {@code run} and {@code backfill},
 * the tools module the rest. The dispatcher therefore depends on no command, and the listing is by name so that
 * it does not depend on the order of jars on the class path.
 */
public final class Main {
    private static final Map<String, Command> COMMANDS = new TreeMap<>();

    static {
        // Avro 1.12 only deserialises generated classes from trusted packages; ours live under lookout.
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES",
                System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "lookout"));
        for (Command c : ServiceLoader.load(Command.class)) {
            Command earlier = COMMANDS.putIfAbsent(c.name(), c);
            if (earlier != null) {
                throw new IllegalStateException("two commands named " + c.name() + ": " + earlier.getClass().getName()
                        + " and " + c.getClass().getName());
            }
        }
    }

    private Main() {}

    /**
     * Exits the JVM with the command's code when the JVM was launched to run it: as its main class ({@code ./lookout},
     * {@code java -jar}) or by Flink's command-line client ({@code flink run}, whose JVM ends after the program
     * anyway). Otherwise the job jar's main runs inside a JVM that is not its own, a Flink JobManager running it for
     * {@code POST /jars/ID/run} or in application mode, where {@code System.exit} would take the JobManager down
     * with it: there main returns when the command succeeds and throws its one-line error otherwise, which Flink
     * reports to whoever submitted the jar.
     */
    public static void main(String[] args) {
        if (ownsJvm()) {
            StopSignal.install();
            StrayRpcErrors.install();
            System.exit(run(args, System.out, System.err));
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(new TeeOutputStream(errors, System.err), true, StandardCharsets.UTF_8);
        int code = run(args, System.out, err);
        if (code != 0) {
            String message = errors.toString(StandardCharsets.UTF_8).strip();
            throw new CommandFailure(message.isEmpty() ? "lookout exited with code " + code : message);
        }
    }

    private static boolean ownsJvm() {
        return Main.class.getClassLoader() == ClassLoader.getSystemClassLoader()
                || System.getProperty("sun.java.command", "").startsWith("org.apache.flink.client.cli.CliFrontend ");
    }

    /** Writes to two streams: the hosted main's errors are both printed and kept for its exception. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeOutputStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(help());
            return args.length == 0 ? 2 : 0;
        }
        Command command = COMMANDS.get(args[0]);
        if (command == null) {
            err.println("lookout: unknown command '" + args[0] + "' (see ./lookout --help)");
            return 2;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(command.usage());
            return 0;
        }
        try {
            return command.run(rest, out);
        } catch (UsageException e) {
            err.println("lookout " + command.name() + ": " + e.getMessage());
            return 2;
        } catch (CommandFailure e) {
            err.println("lookout " + command.name() + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("lookout " + command.name() + ": failed: " + rootCause(e));
            return 1;
        }
    }

    /** The innermost cause, which in a Flink job failure is the one that names the problem. */
    private static String rootCause(Throwable t) {
        Throwable c = Causes.innermost(t);
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }

    static String help() {
        StringBuilder b = new StringBuilder("Lookout: overdose surveillance that keeps six for a city's neighbourhoods.\n\n"
                + "Usage: ./lookout COMMAND [options]   (./lookout COMMAND --help for details)\n\nCommands:\n");
        COMMANDS.values().forEach(c -> b.append(String.format("  %-20s %s%n", c.name(), c.summary())));
        return b.toString();
    }
}
