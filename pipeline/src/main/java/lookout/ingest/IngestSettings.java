package lookout.ingest;

import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;

import lookout.geo.Boundaries;
import lookout.privacy.PseudonymKey;
import lookout.privacy.Pseudonymizer;

/** What every parallel instance of the first operator needs to build its own {@link RecordIngestor}. */
public record IngestSettings(String boundaries, PseudonymKey key, Duration futureSkew) implements Serializable {
    public RecordIngestor newIngestor() {
        return new RecordIngestor(new Deidentifier(
                Boundaries.load(boundaries), new Pseudonymizer(key), futureSkew, Clock.systemUTC()));
    }
}
