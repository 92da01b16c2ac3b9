package lookout.dashboards;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import lookout.kernel.Command;
import lookout.kernel.Options;
import lookout.kernel.UsageException;

/** {@code ./lookout users add}: a dashboard account with a new token, printed once and stored only as a hash. */
public final class UsersCommand implements Command {
    @Override
    public String name() {
        return "users";
    }

    @Override
    public String summary() {
        return "adds a dashboard account (outreach or analyst) and prints its token once";
    }

    @Override
    public String usage() {
        return """
                Usage: ./lookout users add --file FILE --name NAME --role outreach|analyst [--areas ID,ID,...]

                Appends one line to the users file (created if absent): NAME ROLE SHA256-OF-TOKEN [AREAS].
                The token is printed once and stored nowhere; send it as `Authorization: Bearer TOKEN`.
                An outreach account sees the areas listed in --areas; an analyst sees every area.
                Give the same file to ./lookout export --users: an outreach account sees every count of its
                areas, and the open data's suppression must hide the other areas' small counts from it.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        if (args.isEmpty() || !args.get(0).equals("add")) {
            throw new UsageException("the only subcommand is 'add' (see ./lookout users --help)");
        }
        Options o = Options.parse(name(), args.subList(1, args.size()), Set.of("file", "name", "role", "areas"), Set.of());
        String name = o.required("name");
        if (!Users.NAME.matcher(name).matches()) {
            throw new UsageException("--name is 1 to 64 letters, digits, '.', '_' or '-'");
        }
        Role role = Role.ofAccount(o.required("role")).orElseThrow(() -> new UsageException("--role must be outreach or analyst"));
        Set<String> areas = o.has("areas") ? Users.areas(o.get("areas"), "--areas") : Set.of();
        if (role == Role.OUTREACH && areas.isEmpty()) {
            throw new UsageException("an outreach account needs --areas");
        }
        String token = Users.add(Path.of(o.required("file")), name, role, areas);
        out.println(token);
        return 0;
    }
}
