package lookout.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A short command the tests run on this machine (jcmd, kill, mount): its output, or an error that quotes it. */
public final class Command {
    private Command() {
    }

    /** Runs {@code argv} to its end and returns the lines it printed; exit code other than 0 is an error. */
    public static List<String> run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", argv) + " failed: " + output.strip());
        }
        return output.lines().toList();
    }
}
