package lookout.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lookout.cluster.SharedCluster;

/**
 * A part that fails leaves the report of the parts before it, saying which part failed and where its cause came from.
 */
@ResourceLock(SharedCluster.CHILD_JVMS)
class BenchRunTest {
    @TempDir
    Path dir;

    @Test
    void aFailingPartLeavesTheEarlierFiguresAndANoteBehind() throws Exception {
        BenchRun run = new BenchRun(BenchSettings.quick(dir, dir.resolve("no-shared")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        run.part("micro", () -> { });
        SQLException cause = new SQLException("IO Error: the file cannot be read");
        IllegalStateException failure = new IllegalStateException("the broker did not start", cause);
        assertSame(failure, assertThrows(IllegalStateException.class, () -> run.part("state", () -> {
            throw failure;
        })));

        JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        StringBuilder names = new StringBuilder();
        report.get("figures").forEach(f -> names.append(f.get("name").asText()).append(' '));
        assertEquals("machine.load_avg_1m.micro.start machine.load_avg_1m.micro.end machine.load_avg_1m.state.start ",
                names.toString());
        String note = "the state part failed, and the parts after it did not run: "
                + "java.lang.IllegalStateException: the broker did not start; its cause: java.sql.SQLException:"
                + " IO Error: the file cannot be read at"
                + " lookout.bench.BenchRunTest.aFailingPartLeavesTheEarlierFiguresAndANoteBehind"
                + "(BenchRunTest.java:";
        assertEquals(1, report.get("notes").size());
        String written = report.get("notes").get(0).asText();
        assertTrue(written.startsWith(note), written);
        assertTrue(Files.readString(dir.resolve("report.txt")).contains("note: " + written));
    }
}
