package lookout.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import lookout.dashboards.Role;
import lookout.dashboards.Users;
import lookout.geo.Area;

/**
 * The demo's own dashboard accounts, when {@code --users} gives none: an analyst, and an outreach lead of the live
 * spike's area and two others, so that the restricted pages (charts, evidence, subscriptions) can be tried at once.
 * Their tokens are made for this demo, kept as hashes in a file of its temporary directory and printed once; they end
 * with it.
 */
final class DemoAccounts {
    static final String ANALYST = "analyst";
    static final String OUTREACH = "outreach";
    /** The outreach lead's areas: the live spike's, where an alert opens while the demo runs, and two quiet ones. */
    static final Set<String> OUTREACH_AREAS = Set.of(DemoCommand.LIVE_SPIKE_AREA, "D11", "D13");

    private final String analystToken;
    private final String outreachToken;

    private DemoAccounts(String analystToken, String outreachToken) {
        this.analystToken = analystToken;
        this.outreachToken = outreachToken;
    }

    /** Writes both accounts to {@code file}, a users file as {@code ./lookout users add} writes one. */
    static DemoAccounts make(Path file) {
        String analyst = Users.add(file, ANALYST, Role.ANALYST, Set.of());
        String outreach = Users.add(file, OUTREACH, Role.OUTREACH, OUTREACH_AREAS);
        return new DemoAccounts(analyst, outreach);
    }

    /** How to sign in, with the outreach lead's areas by name. */
    void describe(String dashboards, List<Area> city, PrintStream out) {
        List<String> outreachNames = city.stream().filter(a -> OUTREACH_AREAS.contains(a.id())).map(Area::name).sorted()
                .toList();
        out.printf("  sign in (%s, \"Sign in\") with a token made for this demo:%n", dashboards);
        out.printf("    analyst, every area: %s%n", analystToken);
        out.printf("    outreach lead of %s: %s%n", String.join(", ", outreachNames), outreachToken);
    }
}
