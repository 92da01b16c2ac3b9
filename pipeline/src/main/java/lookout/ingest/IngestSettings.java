package lookout.ingest;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import lookout.config.LookoutConfig;
import lookout.geo.AreaIndex;
import lookout.geo.Boundaries;
import lookout.privacy.PseudonymKey;
import lookout.privacy.Pseudonymizer;

/**
 * What every parallel instance of the first operator needs to build its own {@link RecordIngestor}.
 *
 * @param earliest event times before this are implausible
 * @param futureSkew how far ahead of the clock occurred_at may lie
 * @param maxRecordBytes records longer than this are refused without being read whole
 */
public record IngestSettings(String boundaries, PseudonymKey key, Instant earliest, Duration futureSkew, int maxRecordBytes)
        implements Serializable {
    public static IngestSettings of(LookoutConfig config, PseudonymKey key) {
        return new IngestSettings(config.boundaries(), key, config.validationEarliest(), config.futureSkew(),
                config.maxRecordBytes());
    }

    public RecordIngestor newIngestor() {
        return newIngestor(areas());
    }

    /** An ingestor that looks areas up in {@code areas}, already loaded from {@link #boundaries()}. */
    public RecordIngestor newIngestor(AreaIndex areas) {
        return new RecordIngestor(new Deidentifier(areas, new Pseudonymizer(key),
                new TimeWindow(earliest, futureSkew, Clock.systemUTC())), maxRecordBytes);
    }

    public AreaIndex areas() {
        return Boundaries.load(boundaries);
    }
}
