package lookout.dashboards;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lookout.kernel.UsageException;

/**
 * The notifier's subscriptions API as the dashboards call it (the notifier's README section "Notifier HTTP
 * API"): the dashboards never open the notifier's files, and hold no contact details of their own; they pass a
 * signed-in user's subscription through, with the service token. A notifier that cannot be reached is a 503, a
 * subscription it refuses a 400 with its reason, never a stack trace.
 */
public final class NotifierClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public NotifierClient(URI base, String token) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.token = token;
    }

    /** From {@code serve --notifier URL --notifier-token FILE}; a bad URL or an unreadable token stops with one line. */
    public static NotifierClient of(String url, Path tokenFile) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new UsageException("--notifier '" + url + "' is not an http(s) URL");
        }
        String token;
        try {
            token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UsageException("cannot read --notifier-token " + tokenFile);
        }
        if (token.isEmpty() || token.contains("\n")) {
            throw new UsageException("--notifier-token " + tokenFile + " must hold the notifier's http.token on one line");
        }
        return new NotifierClient(uri, token);
    }

    /** The subscription of dashboard account {@code owner}, if they have one. */
    public Optional<JsonNode> subscription(String owner) {
        HttpResponse<String> r = send("GET", owner(owner), null);
        return r.statusCode() == 404 ? Optional.empty() : Optional.of(json(ok(r)));
    }

    /** Creates or replaces {@code owner}'s subscription; a refusal of the notifier is a 400 with its reason. */
    public JsonNode put(String owner, JsonNode subscription) {
        try {
            return json(ok(send("PUT", owner(owner), JSON.writeValueAsString(subscription))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes {@code owner}'s subscription and their contact details; whether there was one. */
    public boolean delete(String owner) {
        HttpResponse<String> r = send("DELETE", owner(owner), null);
        if (r.statusCode() == 404) {
            return false;
        }
        ok(r);
        return true;
    }

    /** The kinds of channel the notifier can send to ({@code email}, {@code sms}, {@code webhook}). */
    public Set<String> channelKinds() {
        Set<String> kinds = new HashSet<>();
        json(ok(send("GET", "api/channels", null))).path("kinds").forEach(k -> kinds.add(k.asText()));
        return kinds;
    }

    /** How many subscribers each area has: counts only. */
    public JsonNode counts() {
        return json(ok(send("GET", "api/subscriber-counts", null)));
    }

    private static String owner(String owner) {
        return "api/owners/" + URLEncoder.encode(owner, StandardCharsets.UTF_8) + "/subscription";
    }

    private HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        try {
            return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ApiError(503, "the notifier cannot be reached; try again later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "interrupted while asking the notifier");
        }
    }

    /** The body of a 2xx; the notifier's own reason for a 400; a 503 for anything else (a wrong token, say). */
    private static String ok(HttpResponse<String> r) {
        if (r.statusCode() / 100 == 2) {
            return r.body();
        }
        if (r.statusCode() == 400) {
            throw new ApiError(400, json(r.body()).path("error").asText("the notifier refused the subscription"));
        }
        throw new ApiError(503, "the notifier refused the dashboards' request (status " + r.statusCode() + ")");
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiError(503, "the notifier's answer is not JSON");
        }
    }
}
