package lookout.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Flink's REST API as anyone who can reach its port may use it: no credentials are asked. */
public final class FlinkRest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private FlinkRest() {}

    /** The id of a RUNNING job, if there is one. */
    public static Optional<String> runningJob(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        for (JsonNode job : new ObjectMapper().readTree(r.body()).path("jobs")) {
            if (job.path("status").asText().equals("RUNNING")) {
                return Optional.of(job.path("id").asText());
            }
        }
        return Optional.empty();
    }

    /** {@code PATCH /jobs/ID?mode=cancel}; the HTTP status (202 when accepted). */
    public static int cancel(int port, String job) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs/" + job + "?mode=cancel"))
                .timeout(Duration.ofSeconds(5)).method("PATCH", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
