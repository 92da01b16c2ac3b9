package lookout.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

/** Another process holding a DuckDB file open for writing, as a running job holds its writer file. */
public final class DuckDbHolder implements AutoCloseable {
    private final Process process;

    private DuckDbHolder(Process process) {
        this.process = process;
    }

    /** Starts the holder and returns once the file is open. */
    public static DuckDbHolder open(Path file) throws Exception {
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DuckDbHolder.class.getName(), file.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (p.getInputStream().read() != 'o') {
            p.destroyForcibly();
            throw new IllegalStateException("the holder could not open " + file);
        }
        return new DuckDbHolder(p);
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        process.waitFor();
    }

    /** Opens the file, says "open", and keeps it open until its stdin closes. */
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0]); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS area_counts (x INTEGER)");
            System.out.print("open");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for stdin to close
            }
        }
    }
}
