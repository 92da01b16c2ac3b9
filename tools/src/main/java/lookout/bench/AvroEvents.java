package lookout.bench;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import org.apache.avro.specific.SpecificRecordBase;

import lookout.ingest.AvroContractCodec;
import lookout.ingest.JsonContractReader;
import lookout.ingest.Rejection;
import lookout.ingest.Source;

/**
 * Contract events as Kafka carries them (Avro single-object encoding), made fast enough to offer tens of
 * thousands per second from the same two cores the job runs on: a pool of parsed records per source is
 * reused, with a fresh event id and timestamps stamped on before each encoding. Not thread-safe.
 */
final class AvroEvents {
    private static final int TEMPLATES = 256;

    private final ContractLines lines;
    private final Map<Source, SpecificRecordBase[]> templates = new EnumMap<>(Source.class);
    private final AvroContractCodec codec = new AvroContractCodec();
    private final TimestampText timestamps;
    private final long[] nextId = new long[Source.values().length];
    private final String runTag;
    private final JsonContractReader reader = new JsonContractReader();
    /** One record per source, re-stamped for each {@link #inArea} event; never one of the pooled templates. */
    private final Map<Source, SpecificRecordBase> placed = new EnumMap<>(Source.class);

    /** @param runTag makes event ids unique across runs that share a broker */
    AvroEvents(ContractLines lines, ZoneId zone, String runTag) throws Rejection {
        this(lines, zone, runTag, Set.of());
    }

    /**
     * @param quietAreas areas no {@link #next} event of paramedic, naloxone or coroner lands in, so that only
     *                   {@link #inArea} events count there (drug-checking results stay at their fixed sites)
     */
    AvroEvents(ContractLines lines, ZoneId zone, String runTag, Set<String> quietAreas) throws Rejection {
        this.lines = lines;
        this.timestamps = new TimestampText(zone);
        this.runTag = runTag;
        long now = System.currentTimeMillis();
        for (Source s : Source.values()) {
            SpecificRecordBase[] pool = new SpecificRecordBase[TEMPLATES];
            for (int i = 0; i < TEMPLATES; i++) {
                String line;
                do {
                    line = lines.valid(s, now);
                } while (s != Source.DRUG_CHECKING && quietAreas.contains(lines.lastArea()));
                pool[i] = reader.read(line.getBytes(StandardCharsets.UTF_8));
            }
            templates.put(s, pool);
            placed.put(s, reader.read(lines.valid(s, now).getBytes(StandardCharsets.UTF_8)));
        }
    }

    Source drawSource() {
        return lines.drawSource();
    }

    /**
     * A valid event of {@code source} built afresh, so that it lands in any of the city's areas (the pooled
     * {@link #next} events cover only a few hundred places, enough for latency but not for state size).
     */
    byte[] fresh(Source source, long millis) throws Rejection {
        return codec.encode(reader.read(lines.valid(source, millis).getBytes(StandardCharsets.UTF_8)));
    }

    /** A valid, never-before-sent event of {@code source} that occurred (and was reported) at {@code millis}. */
    byte[] next(Source source, long millis) {
        return stamped(templates.get(source)[lines.random().nextInt(TEMPLATES)], source, millis);
    }

    /** Like {@link #next}, in area {@code areaId} (given as its area code, which the ingest prefers to coordinates). */
    byte[] inArea(Source source, String areaId, long millis) {
        SpecificRecordBase r = placed.get(source);
        r.put("area_code", areaId);
        return stamped(r, source, millis);
    }

    private byte[] stamped(SpecificRecordBase r, Source source, long millis) {
        r.put("event_id", runTag + "-" + source.code() + "-" + (++nextId[source.ordinal()]));
        String at = timestamps.format(millis);
        r.put("occurred_at", at);
        r.put("reported_at", at);
        return codec.encode(r);
    }
}
