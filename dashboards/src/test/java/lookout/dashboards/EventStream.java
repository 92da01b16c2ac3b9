package lookout.dashboards;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A server-sent-events client for the tests, reading the stream the way a browser's EventSource does: lines of
 * {@code event:}, {@code id:} and {@code data:} ended by a blank line make an event; lines starting with ':' are
 * comments (the heartbeats), counted.
 */
final class EventStream implements AutoCloseable {
    record Event(String name, String id, String data) {
        JsonNode json() throws Exception {
            return ApiServer.json(data);
        }

        List<String> spikeIds() throws Exception {
            return json().findValuesAsText("spike_id");
        }
    }

    final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final CountDownLatch ended = new CountDownLatch(1);

    private EventStream(HttpResponse<InputStream> response) {
        this.response = response;
        if (response.statusCode() == 200) {
            Thread reader = new Thread(this::read, "test-event-stream");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** GET {@code pathAndQuery} as an event stream with the given extra headers (name, value, name, value...). */
    static EventStream open(ApiServer api, String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(api.uri(pathAndQuery)).header("Accept", "text/event-stream");
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return new EventStream(api.client().send(r.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (name != null || data.length() > 0) {
                        events.add(new Event(name == null ? "message" : name, id, data.toString()));
                    }
                    name = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.incrementAndGet();
                } else if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(6));
                }
            }
        } catch (IOException e) {
            // The test closed the stream.
        } finally {
            ended.countDown();
        }
    }

    /** True once the server ended the stream (or the test closed it) within {@code timeout}. */
    boolean ended(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next event, failing the test if none comes within {@code timeout}. */
    Event next(Duration timeout) throws InterruptedException {
        return poll(timeout).orElseThrow(() -> new AssertionError("no event within " + timeout));
    }

    Optional<Event> poll(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    int comments() {
        return comments.get();
    }

    String error() throws Exception {
        try (InputStream in = response.body()) {
            return ApiServer.json(new String(in.readAllBytes(), StandardCharsets.UTF_8)).get("error").asText();
        }
    }

    Map<String, List<String>> headers() {
        return response.headers().map();
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }
}
