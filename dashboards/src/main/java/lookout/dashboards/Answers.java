package lookout.dashboards;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON answers of one endpoint, kept per request key until the pipeline publishes a new snapshot: the snapshot
 * is read-only, so the same question always gets the same answer, and a busy dashboard (a room of analysts, a
 * phone refreshing) then costs a lookup instead of a query and a serialisation. At most {@link #MAX_ANSWERS}
 * answers are kept, the least recently used dropped first; a new snapshot empties the cache.
 */
final class Answers {
    static final int MAX_ANSWERS = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    interface Compute {
        Object from(Site site) throws SQLException;
    }

    private Object version;
    private final Map<String, byte[]> byKey = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > MAX_ANSWERS;
        }
    };

    /** The answer to the request {@code key}, computed by {@code compute} if this snapshot has not answered it. */
    byte[] get(Site site, String key, Compute compute) throws SQLException {
        Object now = site.snapshot().identity();
        synchronized (this) {
            if (!now.equals(version)) {
                byKey.clear();
                version = now;
            }
            byte[] known = byKey.get(key);
            if (known != null) {
                return known;
            }
        }
        byte[] answer = serialised(compute.from(site));
        synchronized (this) {
            if (now.equals(version)) {
                byKey.put(key, answer);
            }
        }
        return answer;
    }

    private static byte[] serialised(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer is not serialisable", e);
        }
    }
}
