package lookout.dashboards;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh server over a fresh {@link PublishedDb} in a temporary directory for each test. */
abstract class WithApiServer {
    @TempDir
    Path dir;
    ApiServer api;

    @BeforeEach
    void start() throws Exception {
        api = new ApiServer(dir);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }
}
