package lookout.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import lookout.testing.CliProcess;

/** {@code ./lookout serve} in its own JVM, with the logging a user gets: what it says on start, on which stream. */
@Timeout(180)
class ServeProcessTest {
    @TempDir
    Path dir;

    /** A typo in an outreach account's areas gave an account that showed its holder nothing, without a word. */
    @Test
    void anOutreachAccountNamingAnAreaNotPublishedIsOneWarningLineOnStderrAndTheServerStarts() throws Exception {
        Path db = PublishedDb.create(dir.resolve("lookout.duckdb"));
        Path users = Files.writeString(dir.resolve("users.txt"), "otto outreach " + Users.hash("t1") + " A2,X99\n");
        CliProcess serve = CliProcess.start(dir, dir.resolve("logs"), Files.createDirectories(dir.resolve("tmp")),
                Map.of(), "serve", "--db", db.toString(), "--port", "0", "--users", users.toString());
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!serve.stdout().contains("Dashboards at http://")) {
                assertTrue(serve.isAlive(), "serve stopped:\n" + serve.stderr());
                assertTrue(System.nanoTime() < deadline, "serve not started within 120 s:\n" + serve.stderr());
                Thread.sleep(100);
            }
            assertEquals("lookout serve: warning: outreach account otto names area X99, not among the published"
                    + " areas (a typo in the users file, or an area no longer in the boundaries)\n", serve.stderr());
        } finally {
            serve.kill();
        }
    }
}
