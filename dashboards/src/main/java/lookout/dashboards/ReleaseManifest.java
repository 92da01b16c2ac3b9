package lookout.dashboards;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * What one open-data release holds: the contract between the publisher ({@code export --open-data}, in the tools
 * module) and the server that lists and serves it. A release lives in {@code DIR/<id>/} with this manifest as
 * {@value #FILE_NAME}; the server serves the manifest and the files it lists, nothing else. The server finds each
 * file by its {@link Kind}, never by its name, so the publisher alone names the files.
 *
 * @param id the release's last day (its "through" date), which makes its URL stable and orders releases
 * @param signalPeriods each signal's period: the coroner's ends before {@code periodEnd}, since its latest days are
 *     still being reported; empty in a manifest written before signals had periods of their own
 * @param pendingSignals the signals with no period yet: the coroner's when the release is shorter than its lag;
 *     empty in a manifest written before they were recorded
 * @param previous the id of the release this one's revision log compares against, or null for the first
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ReleaseManifest(String id, Instant published, LocalDate periodStart, LocalDate periodEnd,
        List<SignalPeriod> signalPeriods, List<PendingSignal> pendingSignals, int k, String previous, Licence licence,
        List<ReleaseFile> files) {
    public static final String FILE_NAME = "manifest.json";
    /** A release id: an ISO date. */
    public static final Pattern ID = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    /** A file name in a release: no separator, no leading dot, short. */
    public static final Pattern FILE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ReleaseManifest {
        signalPeriods = signalPeriods == null ? List.of() : List.copyOf(signalPeriods);
        pendingSignals = pendingSignals == null ? List.of() : List.copyOf(pendingSignals);
    }

    /** The first and last day of one signal's counts in the release. */
    public record SignalPeriod(String signal, LocalDate periodStart, LocalDate periodEnd) {}

    /**
     * A signal the release has no count of yet, because a day's counts wait {@code lagDays} days before their first
     * release; they appear from the release whose id (last day) is {@code firstRelease} on.
     */
    public record PendingSignal(String signal, int lagDays, LocalDate firstRelease) {}

    /** The licence the release is published under, recorded per release so it never changes afterwards. */
    public record Licence(String id, String name, String url) {}

    /** One file of a release. {@code granularity} is day, week or month for counts, null otherwise. */
    public record ReleaseFile(String name, Kind kind, String granularity, Format format, long bytes, String sha256) {}

    /** What a file is for. */
    public enum Kind {
        /** the public tier's suppressed counts */
        COUNTS,
        /** differentially private counts (present only when the release has them) */
        NOISY_COUNTS,
        DICTIONARY,
        POLICY,
        /** what changed since the previous release, cell by cell */
        REVISIONS,
        /** the same in plain language */
        REVISION_SUMMARY,
        LICENCE;

        @JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A file's format, which decides its content type. */
    public enum Format {
        CSV("csv", "text/csv; charset=utf-8"),
        PARQUET("parquet", "application/vnd.apache.parquet"),
        MARKDOWN("md", "text/markdown; charset=utf-8");

        private final String extension;
        private final String contentType;

        Format(String extension, String contentType) {
            this.extension = extension;
            this.contentType = contentType;
        }

        @JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String contentType() {
            return contentType;
        }

        /** The format a file name's extension names. */
        public static Optional<Format> of(String fileName) {
            for (Format f : values()) {
                if (fileName.endsWith("." + f.extension)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    public Optional<ReleaseFile> file(String name) {
        return files.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public List<ReleaseFile> files(Kind kind) {
        return files.stream().filter(f -> f.kind() == kind).toList();
    }

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    /**
     * The manifest in {@code file}, checked: its id is {@code expectedId} (the directory's name) and every file name
     * is a plain name of the release, so a damaged or planted manifest cannot point the server outside it.
     *
     * @throws IOException when the file is unreadable or not such a manifest
     */
    public static ReleaseManifest read(Path file, String expectedId) throws IOException {
        ReleaseManifest m = JSON.readValue(file.toFile(), ReleaseManifest.class);
        if (m.id() == null || !m.id().equals(expectedId) || m.files() == null || m.periodStart() == null
                || m.periodEnd() == null || m.published() == null || m.licence() == null) {
            throw new IOException(file + " is not the manifest of release " + expectedId);
        }
        for (SignalPeriod p : m.signalPeriods()) {
            if (p.signal() == null || p.periodStart() == null || p.periodEnd() == null) {
                throw new IOException(file + " has a signal's period without its signal or days");
            }
        }
        for (PendingSignal p : m.pendingSignals()) {
            if (p.signal() == null || p.firstRelease() == null) {
                throw new IOException(file + " has a pending signal without its signal or first release");
            }
        }
        for (ReleaseFile f : m.files()) {
            if (f.name() == null || !FILE.matcher(f.name()).matches() || f.name().equals(FILE_NAME) || f.kind() == null
                    || f.format() == null) {
                throw new IOException(file + " lists a file that is not a plain file name of the release");
            }
        }
        return m;
    }
}
