package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notifier's HTTP server, real, on a free loopback port, with a real SMS gateway stub for the replies. */
class NotifierHttpTest {
    static final String SERVICE_TOKEN = "service-token-0123456789abcdef";
    static final String INBOUND_TOKEN = "inbound-secret-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private final ExecutorService replies = Executors.newSingleThreadExecutor();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private Receiver gateway;
    private NotifierHttp http;
    private ManagedSubscribers managed;
    private int port;

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        replies.shutdownNow();
    }

    private void start(String inboundToken) throws Exception {
        start(inboundToken, EnumSet.allOf(Channel.Kind.class));
    }

    private void start(String inboundToken, Set<Channel.Kind> sendable) throws Exception {
        gateway = new Receiver();
        Path file = Files.writeString(dir.resolve("subscribers.json"), SubscriptionsTest.EXAMPLE);
        Map<String, String> v = new HashMap<>();
        v.put("kafka.bootstrap", "127.0.0.1:9");
        v.put("subscriptions", file.toString());
        v.put("store", dir.resolve("store").toString());
        v.put("http.port", "0");
        v.put("http.token", SERVICE_TOKEN);
        v.put("sms.inbound_token", inboundToken);
        v.put("sms.url", gateway.url("/send"));
        NotifierConfig config = NotifierConfig.fromMap(v);
        managed = ManagedSubscribers.open(config.store());
        Subscriptions subscriptions = Subscriptions.open(file, managed);
        SmsInbox inbox = new SmsInbox(managed, subscriptions::fileSubscribers, Steps.NAMES,
                new HttpSmsGateway(config.smsUrl(), ""), replies, config.mapPage(), Clock.systemUTC(), 5);
        http = new NotifierHttp(config, subscriptions, managed, inbox, sendable,
                new PrintStream(output, true, StandardCharsets.UTF_8));
        port = http.start("127.0.0.1", 0);
    }

    private HttpResponse<String> call(String method, String path, String token, String contentType, String body)
            throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).get("error").asText();
    }

    private List<String> smsSent() throws Exception {
        replies.submit(() -> {}).get(10, TimeUnit.SECONDS);
        return gateway.requests().stream().map(Receiver.Request::body).toList();
    }

    @Test
    void theSubscriptionsApiNeedsTheServiceTokenAndAddsChangesAndDeletesAnOwnersSubscription() throws Exception {
        start("");
        String path = "/api/owners/otto/subscription";
        HttpResponse<String> r = call("GET", path, null, null, null);
        assertEquals(401, r.statusCode());
        assertEquals("send the service token as 'Authorization: Bearer TOKEN'", error(r));
        assertEquals("unknown token", error(call("GET", path, "not-the-token", null, null)));
        assertEquals(401, call("GET", "/api/subscriber-counts", "not-the-token", null, null).statusCode());
        assertEquals(400, call("GET", "/api/owners/ot%20to/subscription", SERVICE_TOKEN, null, null).statusCode());
        r = call("GET", path, SERVICE_TOKEN, null, null);
        assertEquals(404, r.statusCode());
        assertEquals("no subscription for this owner", error(r));
        r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "bearer " + SERVICE_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("no subscription for this owner", error(r), "the scheme's name is case-insensitive");

        r = call("PUT", path, SERVICE_TOKEN, "application/json", "{\"name\": \"otto\"");
        assertEquals(400, r.statusCode());
        assertEquals("the body is not valid JSON", error(r));
        r = call("PUT", path, SERVICE_TOKEN, "application/json", """
                {"name": "otto", "channels": [{"email": "not an address"}], "areas": ["073"]}""");
        assertEquals(400, r.statusCode());
        assertTrue(error(r).endsWith("channel 1: email is not an address like name@example.org"), error(r));

        String body = """
                {"name": "otto", "language": "fr", "channels": [{"email": "otto@outreach.example.org"}],
                 "areas": ["073", "074"], "signals": ["paramedic"], "min_severity": "high", "immediate": false,
                 "quiet_hours": {"from": "23:00", "to": "07:00"}}""";
        r = call("PUT", path, SERVICE_TOKEN, "application/json", body);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode expected = JSON.readTree("""
                {"name": "otto", "language": "fr", "channels": [{"email": "otto@outreach.example.org"}],
                 "areas": ["073", "074"], "signals": ["paramedic"], "min_severity": "high", "immediate": false,
                 "quiet_hours": {"from": "23:00", "to": "07:00"}}""");
        assertEquals(expected, JSON.readTree(r.body()));
        assertEquals(expected, JSON.readTree(call("GET", path, SERVICE_TOKEN, null, null).body()));

        r = call("GET", "/api/subscriber-counts", SERVICE_TOKEN, null, null);
        assertEquals(JSON.readTree("{\"subscribers\": 3, \"all_areas\": 1, \"areas\": {\"073\": 2, \"074\": 2}}"),
                JSON.readTree(r.body()));
        assertFalse(r.body().contains("@"));

        assertEquals(204, call("DELETE", path, SERVICE_TOKEN, null, null).statusCode());
        assertEquals(404, call("DELETE", path, SERVICE_TOKEN, null, null).statusCode());
        assertFalse(Files.readString(dir.resolve("store/subscribers.json")).contains("otto"));
        assertEquals(List.of(), managed.list());

        r = call("GET", "/api/nothing-here", SERVICE_TOKEN, null, null);
        assertEquals(404, r.statusCode());
        assertEquals("no such route", error(r));
        assertEquals("", output.toString(StandardCharsets.UTF_8), "nothing about the requests is written out");
    }

    /** A notifier without an SMS gateway says so, and refuses a phone number that would never get a message. */
    @Test
    void aNotifierWithoutAnSmsGatewayOffersNoTextMessagesAndRefusesAPhoneNumber() throws Exception {
        start("", EnumSet.of(Channel.Kind.EMAIL, Channel.Kind.WEBHOOK));
        assertEquals(401, call("GET", "/api/channels", null, null, null).statusCode());
        HttpResponse<String> r = call("GET", "/api/channels", SERVICE_TOKEN, null, null);
        assertEquals(200, r.statusCode());
        assertEquals("{\"kinds\":[\"email\",\"webhook\"]}", r.body());

        String path = "/api/owners/otto/subscription";
        r = call("PUT", path, SERVICE_TOKEN, "application/json",
                "{\"name\": \"otto\", \"channels\": [{\"email\": \"otto@example.org\"}, {\"sms\": \"+14165550123\"}],"
                        + " \"areas\": [\"073\"]}");
        assertEquals(400, r.statusCode());
        assertEquals("this notifier sends no text messages (it has no sms.url): give an email address", error(r));
        assertEquals(404, call("GET", path, SERVICE_TOKEN, null, null).statusCode(), "nothing was stored");
        r = call("PUT", path, SERVICE_TOKEN, "application/json",
                "{\"name\": \"otto\", \"channels\": [{\"email\": \"otto@example.org\"}], \"areas\": [\"073\"]}");
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void theInboundWebhookTakesFormOrJsonWithTheSharedSecretAndRepliesThroughTheGateway() throws Exception {
        start(INBOUND_TOKEN);
        String form = "application/x-www-form-urlencoded";
        HttpResponse<String> r = call("POST", NotifierHttp.INBOUND, null, form, "from=%2B14165550123&text=JOIN+ALL");
        assertEquals(401, r.statusCode());
        assertEquals("the inbound webhook needs the shared secret (bearer token or ?token=)", error(r));
        assertEquals(401, call("POST", NotifierHttp.INBOUND + "?token=wrong", null, form, "from=%2B1&text=x").statusCode());
        assertEquals(List.of(), managed.list());

        r = call("POST", NotifierHttp.INBOUND + "?token=" + INBOUND_TOKEN, null, form,
                "from=%2B1+416+555+0123&text=JOIN+Moss+Park");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("joined", JSON.readTree(r.body()).get("action").asText());
        assertEquals("+14165550123", managed.list().get(0).channels().get(0).address());
        assertEquals(List.of("{\"to\":\"+14165550123\",\"text\":\"Lookout: you will get overdose alerts for Moss Park."
                + " Reply STOP to end, HELP for help.\"}"), smsSent());

        r = call("POST", NotifierHttp.INBOUND, INBOUND_TOKEN, "application/json; charset=utf-8",
                "{\"from\": \"+14165550123\", \"text\": \"ARRÊT\"}");
        assertEquals("stopped", JSON.readTree(r.body()).get("action").asText());
        assertEquals(List.of(), managed.list());
        assertEquals(2, smsSent().size());
        assertTrue(smsSent().get(1).contains("vous ne recevrez plus"), smsSent().get(1));

        r = call("POST", NotifierHttp.INBOUND, INBOUND_TOKEN, form, "from=4165550123&text=STOP");
        assertEquals(400, r.statusCode());
        assertEquals("\"from\" must be a number in international form, like +14165550100", error(r));
        assertEquals("the message needs \"from\" and \"text\"",
                error(call("POST", NotifierHttp.INBOUND, INBOUND_TOKEN, "application/json", "{\"from\": 5}")));
        assertEquals(415, call("POST", NotifierHttp.INBOUND, INBOUND_TOKEN, "text/plain", "STOP").statusCode());
        r = call("POST", NotifierHttp.INBOUND, INBOUND_TOKEN, form, "from=4165550123&text=" + "J".repeat(2_000_000));
        assertEquals(413, r.statusCode(), "a body over Javalin's limit is its refusal, not an internal error");
        assertEquals("payload too large", error(r));
        r = call("GET", NotifierHttp.INBOUND, INBOUND_TOKEN, null, null);
        assertEquals(405, r.statusCode());
        assertEquals("method not allowed", error(r));
        assertEquals(List.of("POST"), r.headers().allValues("Allow"));
    }

    /** A charset the server does not know is the sender's mistake: a 415 in JSON, like the other refusals. */
    @Test
    void anUnknownCharsetIsRefusedAsUnsupportedNotAsAnInternalError() throws Exception {
        start(INBOUND_TOKEN);
        for (String type : List.of("application/x-www-form-urlencoded; charset=bogus",
                "application/json; charset=bogus")) {
            HttpResponse<String> r = call("POST", NotifierHttp.INBOUND, INBOUND_TOKEN, type,
                    "from=%2B14165550123&text=JOIN+ALL");
            assertEquals(415, r.statusCode(), type);
            assertEquals("the body's charset is not one this server knows; send UTF-8", error(r));
            HttpResponse<String> put = call("PUT", "/api/owners/otto/subscription", SERVICE_TOKEN, type,
                    "{\"channels\": [{\"email\": \"otto@outreach.example.org\"}], \"areas\": [\"073\"]}");
            assertEquals(415, put.statusCode(), "the subscriptions API too: " + type);
            assertEquals("the body's charset is not one this server knows; send UTF-8", error(put));
        }
        assertEquals(List.of(), managed.list());
        assertEquals("", output.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aNameLongerThanTheLimitIsRefused() throws Exception {
        start("");
        String path = "/api/owners/otto/subscription";
        HttpResponse<String> r = call("PUT", path, SERVICE_TOKEN, "application/json", "{\"name\": \""
                + "o".repeat(500_000) + "\", \"channels\": [{\"email\": \"otto@outreach.example.org\"}],"
                + " \"areas\": [\"073\"]}");
        assertEquals(400, r.statusCode());
        assertTrue(error(r).endsWith("name must be at most 200 characters"), error(r));
        assertEquals(List.of(), managed.list());
    }

    @Test
    void withoutASharedSecretTheInboundWebhookIsOff() throws Exception {
        start("");
        HttpResponse<String> r = call("POST", NotifierHttp.INBOUND, "", "application/x-www-form-urlencoded",
                "from=%2B14165550123&text=JOIN+ALL");
        assertEquals(404, r.statusCode());
        assertEquals("the inbound SMS webhook is off (sms.inbound_token is not set)", error(r));
        assertEquals(List.of(), managed.list());
    }
}
