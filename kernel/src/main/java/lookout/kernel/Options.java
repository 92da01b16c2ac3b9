package lookout.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options and {@code --flag} switches, checked against what a command accepts. */
public final class Options {
    private final String command;
    private final Map<String, String> values = new HashMap<>();

    private Options(String command) {
        this.command = command;
    }

    public static Options parse(String command, List<String> args, Set<String> valued, Set<String> flags) {
        Options o = new Options(command);
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument '" + a + "' (see ./lookout " + command + " --help)");
            }
            String name = a.substring(2);
            if (o.values.containsKey(name) && (flags.contains(name) || valued.contains(name))) {
                // Taking the last of two values would drop the first without a word: a second --input, say.
                throw new UsageException("--" + name + " is given twice; give it once (see ./lookout " + command
                        + " --help)");
            }
            if (flags.contains(name)) {
                o.values.put(name, "true");
            } else if (valued.contains(name)) {
                if (i + 1 >= args.size() || args.get(i + 1).isBlank()) {
                    // An empty path is the working directory to Path.of: "--db  is a directory" named nothing given.
                    throw new UsageException("--" + name + " needs a value");
                }
                o.values.put(name, args.get(++i));
            } else {
                throw new UsageException("unknown option --" + name + " (see ./lookout " + command + " --help)");
            }
        }
        return o;
    }

    public String get(String name) {
        return values.get(name);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("--" + name + " is required (see ./lookout " + command + " --help)");
        }
        return v;
    }

    public Path existingPath(String name) {
        Path p = Path.of(required(name));
        if (!Files.exists(p)) {
            throw new UsageException("--" + name + " " + p + " does not exist");
        }
        return p;
    }

    public int integer(String name, int defaultValue) {
        String v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number");
        }
    }
}
