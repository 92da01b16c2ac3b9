package lookout.dashboards;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * Who asked for restricted data, what and when: one tab-separated line per request
 * ({@code time user role outcome endpoint parameters}). It names the request, never the answer: no count and no
 * series reaches this file. Parameters are written only once validated, so a hostile value never lands here.
 */
public final class AuditLog {
    private final Path file;
    private final Clock clock;

    public AuditLog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public synchronized void record(User user, String outcome, String endpoint, String parameters) {
        String line = String.join("\t", clock.instant().toString(), user.name(), user.role().code(), outcome, endpoint,
                parameters) + "\n";
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit log " + file, e);
        }
    }
}
