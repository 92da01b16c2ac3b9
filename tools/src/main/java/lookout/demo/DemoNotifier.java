package lookout.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.util.FileUtils;

import lookout.dashboards.NotifierClient;
import lookout.notify.Notifier;
import lookout.notify.NotifierConfig;

/**
 * The demo's notifier ({@code ./lookout notify} in the demo's process): a subscribers file it writes itself, a
 * local inbox ({@link DemoInbox}) as every subscriber's mail server and webhook receiver, and its store and CAP/Atom
 * feeds in {@code DB.notifier/}. Each message the inbox receives is printed as one line, naming the subscriber.
 * The inbox is also the operator's, told of feed health, and the notifier's HTTP server ({@link Api}) keeps the
 * subscriptions that outreach accounts manage on the dashboards' {@code /notifications}.
 */
final class DemoNotifier implements AutoCloseable {
    /**
     * A demo subscriber of all areas and every signal: by email unless {@code email} is null, by a webhook of
     * {@code webhookKind} unless null, and by SMS to {@code sms} unless null.
     */
    record Person(String id, String name, String language, String email, String webhookKind, String sms) {}

    static final List<Person> SUBSCRIBERS = List.of(
            new Person("outreach-lead", "Alex, outreach lead", "en", "alex@outreach.example.org", "generic", null),
            new Person("equipe-fr", "Camille, équipe de proximité", "fr", "camille@proximite.example.org", null, null),
            // A peer worker hears on a phone; the number is one of North America's reserved for fiction.
            new Person("peer-worker", "Sam, peer worker", "en", null, null, "+14165550199"));
    /** The operator told of feed health (a silent or bad feed, and when it is back), by email to the inbox. */
    static final Person OPERATOR = new Person("operator", "Operator (feed health)", "en", "operator@demo.example.org",
            null, null);
    /**
     * The demo replays four weeks in a minute, so a subscriber of every area may be told more than the default six
     * messages an hour; the limit is the notifier's, not the demo's, to show.
     */
    private static final String RATE_PER_HOUR = "60";

    /**
     * The notifier's HTTP server as the dashboards are told of it before it runs: a loopback port held until the
     * notifier takes it, and a service token made for this demo, never printed nor written. The port is held by a
     * socket that is bound but does not listen, so that nothing else in the process takes it, and the dashboards'
     * calls meanwhile are refused at once (a 503) rather than left waiting.
     */
    static final class Api implements AutoCloseable {
        private static final int TOKEN_BYTES = 24;

        private final Socket hold;
        private final String token;

        private Api(Socket hold, String token) {
            this.hold = hold;
            this.token = token;
        }

        static Api reserve() throws IOException {
            Socket hold = new Socket();
            hold.bind(new InetSocketAddress(DemoInbox.BIND, 0));
            byte[] secret = new byte[TOKEN_BYTES];
            new SecureRandom().nextBytes(secret);
            return new Api(hold, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        }

        int port() {
            return hold.getLocalPort();
        }

        NotifierClient client() {
            return new NotifierClient(URI.create("http://" + DemoInbox.BIND + ":" + port() + "/"), token);
        }

        /** Frees the port for the notifier's server; also what the demo's end does when it never started. */
        @Override
        public void close() throws IOException {
            hold.close();
        }
    }

    private final DemoInbox inbox;
    private final Notifier notifier;
    private final NotifierConfig config;
    private final Thread thread;
    private boolean closed;

    private DemoNotifier(DemoInbox inbox, Notifier notifier, NotifierConfig config, PrintStream out) {
        this.inbox = inbox;
        this.notifier = notifier;
        this.config = config;
        this.thread = new Thread(() -> {
            try {
                notifier.run();
            } catch (RuntimeException e) {
                out.println("  notifier: stopped by an error, the demo goes on without it: " + e.getMessage());
            }
        }, "demo-notifier");
        // Never what keeps the JVM alive: the demo's end or its Ctrl-C hook stops it.
        thread.setDaemon(true);
    }

    /** Who is subscribed and where their messages go. */
    void describe(PrintStream out) {
        out.printf("  notifier: %d subscribers of every area (%s), whose mail server, webhook receiver and SMS"
                + " gateway is the demo's inbox (SMTP at %s:%d); each message it receives is printed here%n",
                SUBSCRIBERS.size(), config.subscriptions(), DemoInbox.BIND, inbox.smtpPort());
        out.println("  the operator is told of a silent or bad feed, and when it is back, through the same inbox");
        out.println("  outreach accounts choose their own alerts at /notifications on the dashboards");
    }

    /** The directory beside the demo's database that holds the notifier's files; replaced by every demo. */
    static Path directory(Path db) {
        return db.toAbsolutePath().resolveSibling(db.getFileName() + ".notifier");
    }

    /** Where the notifier writes the public feeds, which the demo's dashboards serve. */
    static Path feedDirectory(Path db) {
        return directory(db).resolve("feed");
    }

    /**
     * Replaces {@link #directory(Path)} and starts the inbox and the notifier on the alerts and feed health topics,
     * with its HTTP server on {@code api}'s port.
     */
    static DemoNotifier start(Path db, String bootstrap, String topicPrefix, String dashboards, ZoneId zone, Api api,
            PrintStream out) throws IOException {
        Path dir = directory(db);
        FileUtils.deleteDirectory(dir.toFile());
        Files.createDirectories(dir);
        Map<String, String> names = new HashMap<>();
        SUBSCRIBERS.forEach(p -> {
            for (String address : new String[] {p.email(), p.id(), p.sms()}) {
                if (address != null) {
                    names.put(address, p.name());
                }
            }
        });
        names.put(OPERATOR.email(), OPERATOR.name());
        DemoInbox inbox = DemoInbox.start(m -> {
            String kind = m.kind().name().toLowerCase(Locale.ROOT);
            // Whatever address a dashboard user typed is theirs: it is not printed.
            out.printf("  inbox: %s to %s: %s%n", kind, names.getOrDefault(m.to(), "a dashboard subscriber"),
                    m.subject());
        });
        try {
            Path subscribers = Files.writeString(dir.resolve("subscriptions.json"), subscribers(inbox));
            Map<String, String> values = new HashMap<>();
            values.put("kafka.bootstrap", bootstrap);
            values.put("kafka.topic_prefix", topicPrefix);
            values.put("subscriptions", subscribers.toString());
            values.put("store", dir.resolve("store").toString());
            values.put("feed.dir", feedDirectory(db).toString());
            values.put("dashboard.url", dashboards);
            values.put("snapshot", db.toAbsolutePath().toString());
            values.put("zone", zone.getId());
            values.put("smtp.host", DemoInbox.BIND);
            values.put("smtp.port", Integer.toString(inbox.smtpPort()));
            values.put("smtp.from", "lookout@demo.example.org");
            values.put("rate.per_hour", RATE_PER_HOUR);
            values.put("operator.email", OPERATOR.email());
            values.put("sms.url", inbox.smsUrl());
            values.put("http.port", Integer.toString(api.port()));
            values.put("http.token", api.token);
            NotifierConfig config = NotifierConfig.fromMap(values);
            api.close();
            // The notifier's own lines (one per alert or feed step) would tell the same as the inbox's; it reports
            // problems.
            Notifier notifier = Notifier.start(config, Clock.systemUTC(), quiet(out));
            DemoNotifier d = new DemoNotifier(inbox, notifier, config, out);
            d.thread.start();
            return d;
        } catch (RuntimeException | IOException e) {
            inbox.close();
            throw e;
        }
    }

    private static String subscribers(DemoInbox inbox) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode list = root.putArray("subscribers");
        for (Person p : SUBSCRIBERS) {
            ObjectNode s = list.addObject().put("id", p.id()).put("name", p.name()).put("language", p.language())
                    .put("areas", "ALL");
            ArrayNode channels = s.putArray("channels");
            if (p.email() != null) {
                channels.addObject().put("email", p.email());
            }
            if (p.webhookKind() != null) {
                channels.addObject().put("webhook", inbox.webhookUrl(p.id())).put("kind", p.webhookKind());
            }
            if (p.sms() != null) {
                channels.addObject().put("sms", p.sms());
            }
        }
        return root.toPrettyString();
    }

    /**
     * The notifier's output without its per-step lines, which the inbox's lines repeat, and its start-up lines (the
     * wait for the job's first snapshot among them: the demo starts the notifier before the job).
     */
    private static PrintStream quiet(PrintStream out) {
        return new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                if (b != '\n') {
                    line.write(b);
                    return;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (!text.startsWith("notify: alert ") && !text.startsWith("notify: feed ")
                        && !text.startsWith("notify: reading ") && !text.startsWith("notify: HTTP at ")
                        && !text.startsWith("notify: waiting up to ")
                        && !text.equals("notify: stopped")) {
                    out.println("  " + text);
                }
            }
        }, true, StandardCharsets.UTF_8);
    }

    /** Stops the notifier, then the inbox; only the first call acts (the Ctrl-C hook and the demo's end). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        notifier.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        notifier.close();
        inbox.close();
    }
}
