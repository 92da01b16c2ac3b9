package lookout.dashboards;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * Who asked for restricted data, what and when: one tab-separated line per request
 * ({@code time user role outcome endpoint parameters}). It names the request, never the answer: no count and no
 * series reaches this file. Parameters are written only once validated, so a hostile value never lands here. The
 * file stays open and each line is flushed as it is written, so a line costs a write, not an open and a close.
 */
public final class AuditLog implements AutoCloseable {
    private final Path file;
    private final Clock clock;
    private Writer out;

    public AuditLog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public synchronized void record(User user, String outcome, String endpoint, String parameters) {
        String line = String.join("\t", clock.instant().toString(), user.name(), user.role().code(), outcome, endpoint,
                parameters) + "\n";
        try {
            if (out == null) {
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            out.write(line);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot close the audit log " + file, e);
            } finally {
                out = null;
            }
        }
    }
}
