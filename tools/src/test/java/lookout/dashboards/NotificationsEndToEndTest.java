package lookout.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.notify.AreaNames;
import lookout.notify.Channel;
import lookout.notify.ManagedSubscribers;
import lookout.notify.NotifierConfig;
import lookout.notify.NotifierHttp;
import lookout.notify.SmsInbox;
import lookout.notify.Subscriptions;

/**
 * The dashboards' notifications page and API against the notifier's real HTTP server: an outreach user signs in,
 * saves a subscription with the page's form, and it lands in the notifier's store (and nowhere in the dashboards'
 * files); a form without the session's token is refused; areas outside the profile are refused; an analyst sees
 * counts and no contact detail; deleting removes the contact details from the notifier's store.
 */
class NotificationsEndToEndTest {
    private static final String SERVICE_TOKEN = "service-token-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    Path dir;

    private final ExecutorService replies = Executors.newSingleThreadExecutor();
    private NotifierConfig notifierConfig;
    private int notifierPort;
    private NotifierHttp notifier;
    private DashboardServer dashboards;
    private Snapshot snapshot;
    private int port;
    private String outreach;
    private String analyst;

    @BeforeEach
    void start() throws Exception {
        Map<String, String> v = new HashMap<>();
        v.put("kafka.bootstrap", "127.0.0.1:9");
        v.put("subscriptions", Files.writeString(dir.resolve("subscribers.json"), """
                {"subscribers": [{"id": "city-desk", "name": "City desk", "areas": "ALL",
                  "channels": [{"webhook": "https://example.org/hook"}]}]}""").toString());
        v.put("store", dir.resolve("notifier").toString());
        v.put("http.port", "0");
        v.put("http.token", SERVICE_TOKEN);
        notifierConfig = NotifierConfig.fromMap(v);
        notifierPort = startNotifier(EnumSet.allOf(Channel.Kind.class), 0);

        Path db = dir.resolve("dashboards/lookout.duckdb");
        Files.createDirectories(db.getParent());
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE areas (area_id VARCHAR PRIMARY KEY, name VARCHAR)");
            s.execute("INSERT INTO areas VALUES ('073', 'Moss Park'), ('074', 'North St.James Town'), ('075', 'Church-Wellesley')");
            // The pages read only the areas, but the dashboards serve a file only if it has every published table.
            s.execute("CREATE TABLE area_counts (area_id VARCHAR)");
            s.execute("CREATE TABLE spikes (spike_id VARCHAR)");
        }
        Path users = dir.resolve("dashboards/users.txt");
        outreach = Users.add(users, "otto", Role.OUTREACH, Set.of("073", "074"));
        analyst = Users.add(users, "ana", Role.ANALYST, Set.of());
        Path tokenFile = Files.writeString(dir.resolve("dashboards/notifier.token"), SERVICE_TOKEN + "\n");
        snapshot = new Snapshot(db);
        dashboards = new DashboardServer(snapshot, Users.read(users),
                new AuditLog(dir.resolve("dashboards/audit.log"), Clock.systemUTC()), DashboardServer.DEFAULT_ZONE, null,
                NotifierClient.of("http://127.0.0.1:" + notifierPort, tokenFile), FeedbackStore.inMemory(), null,
                r -> {});
        port = dashboards.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws Exception {
        dashboards.close();
        snapshot.close();
        notifier.close();
        replies.shutdownNow();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A browser-like client: signed in with the form, the session cookie kept. */
    private HttpClient signedIn(String token) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        HttpResponse<String> r = browser.send(HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, r.statusCode(), r.body());
        return browser;
    }

    private static HttpResponse<String> post(HttpClient browser, URI uri, Map<String, List<String>> form) throws Exception {
        String body = form.entrySet().stream().flatMap(e -> e.getValue().stream()
                .map(value -> e.getKey() + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)))
                .collect(Collectors.joining("&"));
        return browser.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String csrf(String page) {
        Matcher m = CSRF.matcher(page);
        assertTrue(m.find(), page);
        return m.group(1);
    }

    private String store() throws Exception {
        Path f = dir.resolve("notifier/subscribers.json");
        return Files.exists(f) ? Files.readString(f) : "";
    }

    private HttpResponse<String> api(String method, String path, String token, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The notifier's subscriptions API, sending to {@code sendable}; returns its port. */
    private int startNotifier(Set<Channel.Kind> sendable, int port) {
        ManagedSubscribers managed = ManagedSubscribers.open(notifierConfig.store());
        Subscriptions subscriptions = Subscriptions.open(notifierConfig.subscriptions(), managed);
        SmsInbox inbox = new SmsInbox(managed, List::of, AreaNames.of(Map.of()), null, replies,
                notifierConfig.mapPage(), Clock.systemUTC(), 5);
        notifier = new NotifierHttp(notifierConfig, subscriptions, managed, inbox, sendable,
                new PrintStream(new ByteArrayOutputStream()));
        return notifier.start("127.0.0.1", port);
    }

    /** A notifier without an SMS gateway: the form asks for no phone number, whose messages could not be sent. */
    @Test
    void withoutAnSmsGatewayTheFormOffersEmailOnly() throws Exception {
        notifier.close();
        startNotifier(EnumSet.of(Channel.Kind.EMAIL, Channel.Kind.WEBHOOK), notifierPort);
        HttpClient browser = signedIn(outreach);
        String page = browser.send(HttpRequest.newBuilder(uri("/notifications")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(page.contains("<input id=\"email\""), page);
        assertFalse(page.contains("<input id=\"sms\""), page);
        assertTrue(page.contains("Your email address is kept only by the notifier"), page);

        HttpResponse<String> refused = post(browser, uri("/notifications"), Map.of("csrf", List.of(csrf(page)),
                "areas", List.of("073"), "delivery", List.of("immediate"), "email", List.of("")));
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("ive an email address"), refused.body());
        assertFalse(refused.body().contains("phone number"), refused.body());
    }

    @Test
    void anOutreachUserSavesChangesAndDeletesTheirSubscriptionWithThePagesForm() throws Exception {
        HttpClient browser = signedIn(outreach);
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(uri("/notifications")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("You are not subscribed yet."), page.body());
        assertTrue(page.body().contains("value=\"073\" checked> Moss Park"), page.body());
        assertFalse(page.body().contains("Church-Wellesley"), "only the profile's areas are offered");
        assertEquals(List.of("paramedic", "naloxone", "multi"), offered("signals", page.body()),
                "only the kinds of alert Lookout opens: a coroner box would subscribe to nothing");
        assertTrue(page.body().contains("Deaths reported by the coroner come in weeks later: they confirm these"
                + " alerts rather than open their own."), page.body());
        String csrf = csrf(page.body());

        Map<String, List<String>> form = new HashMap<>(Map.of("csrf", List.of(csrf), "areas", List.of("073"),
                "signals", List.of("paramedic", "multi"), "min_severity", List.of("moderate"),
                "delivery", List.of("immediate"), "quiet_from", List.of("23:00"), "quiet_to", List.of("07:00"),
                "language", List.of("fr"), "email", List.of("otto@outreach.example.org"), "sms", List.of("+1 416 555 0188")));
        HttpResponse<String> saved = post(browser, uri("/notifications"), form);
        assertEquals(303, saved.statusCode(), saved.body());
        assertEquals("/notifications?done=saved", saved.headers().firstValue("Location").orElseThrow());
        JsonNode stored = JSON.readTree(store()).get("subscribers").get(0);
        assertEquals(JSON.readTree("""
                {"name": "otto", "language": "fr",
                 "channels": [{"email": "otto@outreach.example.org"}, {"sms": "+14165550188"}],
                 "areas": ["073"], "signals": ["multi", "paramedic"], "min_severity": "moderate", "immediate": true,
                 "quiet_hours": {"from": "23:00", "to": "07:00"}, "owner": "otto"}"""),
                ((com.fasterxml.jackson.databind.node.ObjectNode) stored.deepCopy()).without("id"));
        String after = browser.send(HttpRequest.newBuilder(uri("/notifications?done=saved")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(after.contains("Saved."), after);
        assertTrue(after.contains("value=\"otto@outreach.example.org\""), after);
        assertTrue(after.contains("<option value=\"fr\" selected>"), after);

        form.put("csrf", List.of("forged"));
        HttpResponse<String> forged = post(browser, uri("/notifications"), form);
        assertEquals(403, forged.statusCode());
        assertTrue(forged.body().contains("This form has expired"), forged.body());
        form.put("csrf", List.of(csrf));
        form.put("areas", List.of("075"));
        assertEquals(403, post(browser, uri("/notifications"), form).statusCode(), "an area outside the profile");
        form.put("areas", List.of("073"));
        form.put("sms", List.of("4165550188"));
        HttpResponse<String> refused = post(browser, uri("/notifications"), form);
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("role=\"alert\">SMS must be a number in international form"),
                refused.body());
        assertTrue(store().contains("+14165550188"), "a refused change changes nothing");
        assertTrue(refused.body().contains("Delete my subscription and contact details"), "the stored one may go");
        form.put("sms", List.of("+1 416 555 0188"));
        form.put("email", List.of("otto at outreach"));
        HttpResponse<String> badEmail = post(browser, uri("/notifications"), form);
        assertEquals(400, badEmail.statusCode());
        assertTrue(badEmail.body().contains("role=\"alert\">Email is not an address like name@example.org</p>"),
                "the form's reader is not told where in the notifier's record: " + badEmail.body());
        assertTrue(badEmail.body().contains("value=\"otto at outreach\""), "what was typed stays");
        form.put("email", List.of("otto@outreach.example.org"));
        form.remove("signals");
        HttpResponse<String> noSignal = post(browser, uri("/notifications"), form);
        assertEquals(400, noSignal.statusCode(), "no box ticked is not every signal");
        assertTrue(noSignal.body().contains("role=\"alert\">Choose at least one kind of alert</p>"), noSignal.body());
        assertEquals("[\"multi\",\"paramedic\"]",
                JSON.readTree(store()).get("subscribers").get(0).get("signals").toString(),
                "a refused change changes nothing");
        form.put("signals", List.of("paramedic", "naloxone", "multi"));
        assertEquals(303, post(browser, uri("/notifications"), form).statusCode());
        assertFalse(JSON.readTree(store()).get("subscribers").get(0).has("signals"),
                "every kind offered is every signal, so later kinds of alert reach the subscriber too");
        form.put("signals", List.of("paramedic", "multi"));
        Map<List<String>, String> refusals = Map.of(
                List.of("quiet_to", "23:00"), "Quiet hours need an end time other than their start",
                List.of("quiet_to", "25:99"), "Quiet hours need a start and an end time, each from 00:00 to 23:59",
                List.of("min_severity", "<script>"), "Choose the lowest alert level from the list",
                List.of("delivery", "weekly"), "Choose a message at once or a daily digest");
        for (Map.Entry<List<String>, String> r : refusals.entrySet()) {
            Map<String, List<String>> careless = new LinkedHashMap<>(form);
            careless.put(r.getKey().get(0), List.of(r.getKey().get(1)));
            HttpResponse<String> refusal = post(browser, uri("/notifications"), careless);
            assertEquals(400, refusal.statusCode(), r.getValue());
            assertTrue(refusal.body().contains("role=\"alert\">" + r.getValue() + "</p>"), refusal.body());
        }
        assertEquals("{\"from\":\"23:00\",\"to\":\"07:00\"}",
                JSON.readTree(store()).get("subscribers").get(0).get("quiet_hours").toString(),
                "a refused change changes nothing");
        form.put("sms", List.of("4165550188"));

        HttpResponse<String> deleted = post(browser, uri("/notifications/delete"), Map.of("csrf", List.of(csrf)));
        assertEquals(303, deleted.statusCode());
        assertFalse(store().contains("otto"), store());
        assertFalse(store().contains("4165550188"), store());
        HttpResponse<String> refusedFirst = post(browser, uri("/notifications"), form);
        assertEquals(400, refusedFirst.statusCode());
        assertFalse(refusedFirst.body().contains("Delete my subscription"), "nothing stored, nothing to delete");

        String dashboardsFiles = Files.readString(dir.resolve("dashboards/audit.log"));
        assertFalse(dashboardsFiles.contains("outreach.example.org") || dashboardsFiles.contains("4165550188"),
                dashboardsFiles);
        assertTrue(dashboardsFiles.contains("otto\toutreach\tgranted\tPOST /notifications\t"), dashboardsFiles);
    }

    @Test
    void theApiPassesTheCallersOwnSubscriptionThroughAndAnalystsSeeOnlyCounts() throws Exception {
        String body = """
                {"channels": [{"email": "otto@outreach.example.org"}], "areas": ["073", "074"]}""";
        HttpResponse<String> r = api("PUT", "/api/notifications/subscription", outreach, body);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("otto", JSON.readTree(r.body()).get("name").asText(), "the name is the account's");
        assertEquals(200, api("GET", "/api/notifications/subscription", outreach, null).statusCode());
        r = api("PUT", "/api/notifications/subscription", outreach, "{\"channels\": [{\"email\": \"x@example.org\"}],"
                + " \"areas\": [\"075\"]}");
        assertEquals(403, r.statusCode());
        assertEquals("this area is not in your profile", JSON.readTree(r.body()).get("error").asText());

        r = api("GET", "/api/notifications/counts", analyst, null);
        assertEquals(JSON.readTree("{\"subscribers\": 2, \"all_areas\": 1, \"areas\": {\"073\": 1, \"074\": 1}}"),
                JSON.readTree(r.body()));
        HttpClient browser = signedIn(analyst);
        String page = browser.send(HttpRequest.newBuilder(uri("/notifications")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(page.contains("<tr><td>Moss Park</td><td>1</td></tr>"), page);
        assertTrue(page.contains("2 subscribers in all; 1 of them gets alerts of every area."), page);
        assertFalse(page.contains("@") || page.contains("example.org"), page);

        assertEquals(204, api("DELETE", "/api/notifications/subscription", outreach, null).statusCode());
        assertEquals(404, api("GET", "/api/notifications/subscription", outreach, null).statusCode());
        assertFalse(store().contains("otto"));
    }

    @Test
    void aNotifierThatIsDownIsA503NotAStackTrace() throws Exception {
        notifier.close();
        HttpResponse<String> r = api("GET", "/api/notifications/subscription", outreach, null);
        assertEquals(503, r.statusCode());
        assertEquals("the notifier cannot be reached; try again later", JSON.readTree(r.body()).get("error").asText());
        HttpClient browser = signedIn(outreach);
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(uri("/notifications")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, page.statusCode());
        assertTrue(page.body().contains("The notifier cannot be reached"), page.body());
    }

    /** The values of the form's check boxes named {@code name}, in the page's order. */
    private static List<String> offered(String name, String page) {
        Matcher m = Pattern.compile("type=\"checkbox\" name=\"" + name + "\" value=\"([^\"]*)\"").matcher(page);
        return m.results().map(r -> r.group(1)).toList();
    }
}
