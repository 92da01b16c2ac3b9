package lookout.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

import org.apache.flink.util.FileUtils;

import lookout.dashboards.Role;
import lookout.dashboards.Users;
import lookout.demo.DemoStreamGenerator;
import lookout.geo.AreaIndex;
import lookout.kernel.Main;
import lookout.testing.SharedData;

/**
 * A published DuckDB snapshot of Toronto's 158 areas, built once per test JVM: a {@link YearOfEvents} with its
 * spike in {@link #SPIKE_AREA}, backfilled by {@code ./lookout backfill} itself, so the spike's alert is open at the
 * end of the data. Beside it a users file with an analyst and an outreach account whose profile holds
 * the spike's area and two neighbours. Tests skip, with SharedData's message, where ../shared is absent.
 */
public final class TorontoSnapshot {
    public static final ZoneId ZONE = ZoneId.of("America/Toronto");
    /** The data covers [FIRST_DAY, END): 365 days ending at midnight of 2026-03-01, Toronto time. */
    public static final Instant END = ZonedDateTime.of(2026, 3, 1, 0, 0, 0, 0, ZONE).toInstant();
    public static final int DAYS = 365;
    /** Yonge-Bay Corridor. */
    public static final String SPIKE_AREA = "170";
    public static final Instant SPIKE_START = YearOfEvents.spikeStart(END);
    public static final Set<String> OUTREACH_AREAS = Set.of("170", "171", "172");

    private static TorontoSnapshot built;

    /** The published snapshot: the file the job's readers (and the dashboards) open. */
    public final Path db;
    public final Path users;
    /** Bearer tokens of the two accounts in {@link #users}. */
    public final String analystToken;
    public final String outreachToken;
    public final AreaIndex city;
    public final DemoStreamGenerator.Truth truth;

    private TorontoSnapshot(Path db, Path users, String analystToken, String outreachToken, AreaIndex city,
            DemoStreamGenerator.Truth truth) {
        this.db = db;
        this.users = users;
        this.analystToken = analystToken;
        this.outreachToken = outreachToken;
        this.city = city;
        this.truth = truth;
    }

    /** The snapshot, built by the first caller in this JVM (about 20 s), shared read-only by every later one. */
    public static synchronized TorontoSnapshot get() throws Exception {
        Path boundaries = SharedData.torontoBoundaries();
        if (built == null) {
            built = build(boundaries);
        }
        return built;
    }

    public static Path boundaries() {
        return SharedData.torontoBoundaries();
    }

    private static TorontoSnapshot build(Path boundaries) throws Exception {
        Path dir = Files.createTempDirectory("lookout-toronto-snapshot-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> FileUtils.deleteDirectoryQuietly(dir.toFile())));
        AreaIndex city = AreaIndex.fromGeoJson(boundaries);
        DemoStreamGenerator generator = new DemoStreamGenerator(YearOfEvents.settings(city, SPIKE_AREA, END, DAYS, ZONE, 11).build());
        Path events = dir.resolve("events.ndjson");
        Files.write(events, generator.generate(), StandardCharsets.UTF_8);
        Path db = dir.resolve("lookout.duckdb");
        backfill(events, boundaries, db);
        Files.delete(events);
        Path users = dir.resolve("users.txt");
        String analyst = Users.add(users, "ana", Role.ANALYST, Set.of());
        String outreach = Users.add(users, "otto", Role.OUTREACH, OUTREACH_AREAS);
        return new TorontoSnapshot(db, users, analyst, outreach, city, generator.truth());
    }

    private static void backfill(Path events, Path boundaries, Path db) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"backfill", "--input", events.toString(), "--boundaries",
                boundaries.toString(), "--db", db.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, "backfill failed: " + err.toString(StandardCharsets.UTF_8));
    }

    /** Where browser tests leave their screenshots: target/screenshots of the module. */
    public static Path screenshots() {
        try {
            return Files.createDirectories(Path.of("target", "screenshots"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
