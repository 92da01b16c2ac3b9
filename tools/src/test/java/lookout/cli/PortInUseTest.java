package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import lookout.sink.DuckDbStore;
import lookout.testing.CliProcess;

/**
 * A dashboard started on a port another server listens on stops with the command's one line, in its own JVM with
 * the logging a user gets: Javalin's error line about its failed start came first.
 */
@Timeout(180)
class PortInUseTest {
    @TempDir
    Path dir;

    @Test
    void servingOnAPortInUseIsOneLineWithoutTheWebServersOwnError() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        try (DuckDbStore store = DuckDbStore.open(db, 0L, ZoneId.of("America/Toronto"))) {
            store.publish();
        }
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = other.getLocalPort();
            CliProcess serve = CliProcess.start(dir, dir.resolve("logs"), Files.createDirectories(dir.resolve("tmp")),
                    Map.of(), "serve", "--db", db.toString(), "--port", Integer.toString(port));
            assertEquals(2, serve.waitFor(120), serve.stderr());
            assertEquals("lookout serve: cannot listen on 127.0.0.1:" + port
                    + " (address in use or not of this machine)\n", serve.stderr());
        }
    }
}
