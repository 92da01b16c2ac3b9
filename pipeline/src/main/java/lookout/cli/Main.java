package lookout.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lookout.detect.EvalCityCommand;
import lookout.detect.EvalDetectionCommand;
import lookout.privacy.ExportCommand;

/** {@code ./lookout COMMAND [options]}. */
public final class Main {
    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        // Avro 1.12 only deserialises generated classes from trusted packages; ours live under lookout.
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES",
                System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "lookout"));
        for (Command c : List.<Command>of(new DemoCommand(), new RunCommand(), new BackfillCommand(), new ReplayCommand(),
                new ExportCommand(), new EvalDetectionCommand(), new EvalCityCommand(), new lookout.bench.BenchCommand())) {
            COMMANDS.put(c.name(), c);
        }
    }

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
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
        } catch (JobWatch.JobEndedException e) {
            err.println("lookout " + command.name() + ": " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("lookout " + command.name() + ": failed: " + rootCause(e));
            return 1;
        }
    }

    /** The innermost cause, which in a Flink job failure is the one that names the problem. */
    private static String rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }

    static String help() {
        StringBuilder b = new StringBuilder("Lookout: overdose surveillance that keeps six for a city's neighbourhoods.\n\n"
                + "Usage: ./lookout COMMAND [options]   (./lookout COMMAND --help for details)\n\nCommands:\n");
        COMMANDS.values().forEach(c -> b.append(String.format("  %-20s %s%n", c.name(), c.summary())));
        return b.toString();
    }
}
