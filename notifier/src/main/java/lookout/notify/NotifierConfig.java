package lookout.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import lookout.kernel.LongestDuration;
import lookout.kernel.SettingsFile;
import lookout.kernel.Topics;
import lookout.kernel.UsageException;

/**
 * The notifier's configuration file (Java properties). Every key is declared here with its default and meaning
 * ({@link #KEYS}, the README's table); unknown keys and bad values stop with one readable line.
 */
public record NotifierConfig(
        String kafkaBootstrap,
        String topicPrefix,
        String consumerGroup,
        Path subscriptions,
        Path store,
        Path feedDir,
        String feedSender,
        URI dashboardUrl,
        Path snapshot,
        Duration snapshotWait,
        Duration newsWithin,
        ZoneId zone,
        Map<String, String> footers,
        String smtpHost,
        int smtpPort,
        String smtpFrom,
        String smtpUser,
        String smtpPassword,
        URI smsUrl,
        String smsToken,
        int retryAttempts,
        Duration retryBackoff,
        int ratePerHour,
        Integer httpPort,
        String httpBind,
        String httpToken,
        String smsInboundToken,
        int smsRepliesPerHour,
        LocalTime digestTime,
        OperatorChannel.Settings operator) {

    /** The shortest secret accepted for {@code http.token} and {@code sms.inbound_token}. */
    static final int MIN_SECRET_CHARS = 24;

    /**
     * The shortest {@code news.within}: the job's time runs behind the clock by the delay its watermarks allow and by
     * the hour an hourly detector waits for, so a shorter one would take live alerts for old ones.
     */
    static final Duration MIN_NEWS_WITHIN = Duration.ofHours(3);

    /** The longest {@code retry.backoff}. */
    static final Duration MAX_BACKOFF = Duration.ofHours(1);

    /** When daily digests go out unless {@code digest.time} says otherwise. */
    public static final LocalTime DEFAULT_DIGEST_TIME = LocalTime.of(8, 0);
    public static final Map<String, String[]> KEYS = keys();

    private static Map<String, String[]> keys() {
        Map<String, String[]> k = new LinkedHashMap<>();
        k.put("kafka.bootstrap", new String[] {"", "Kafka bootstrap servers (host:port,...); required"});
        k.put("kafka.topic_prefix", new String[] {"lookout", "the job's topic prefix; the notifier reads PREFIX." + Topics.ALERTS
                + " and PREFIX." + Topics.FEED_HEALTH + "; " + Topics.prefixRule()});
        k.put("kafka.consumer_group", new String[] {"lookout-notifier", "Kafka consumer group of the notifier (its committed offsets say where a restart resumes)"});
        k.put("subscriptions", new String[] {"", "the subscribers file (JSON, see \"Subscriptions\"); required. With the store's `subscribers.json` it holds the only copies of contact details"});
        k.put("store", new String[] {"data/notifier", "directory of the notifier's own files: the lifecycle journal, the delivery log (no addresses) and the managed subscribers (`subscribers.json`, with their contact details)"});
        k.put("feed.dir", new String[] {"data/notifier/feed", "where the public CAP 1.2 messages (`cap/ID.xml`) and the"
                + " Atom feed (`alerts.atom`) are written; `serve --alert-feeds DIR` serves them at `/feeds/`"});
        k.put("feed.sender", new String[] {"lookout@example.org", "the CAP `sender` (an address or name identifying this deployment)"});
        k.put("dashboard.url", new String[] {"http://localhost:8080", "base URL of the dashboards; messages link to"
                + " their alert on its `/alerts` page, and the emails of dashboard accounts' subscribers to its"
                + " `/notifications` page"});
        k.put("snapshot", new String[] {"", "the published DuckDB snapshot (the job's `db`); area names are read from its `areas` table. Empty: areas are named by id"});
        k.put("snapshot.wait", new String[] {"PT3M", "with `snapshot`: how long alerts stay on the topic, unsent, until the snapshot's area names have been read once (a fresh deployment before the job's first snapshot); then they go naming areas by id (ISO-8601 duration)"});
        k.put("news.within", new String[] {"PT48H", "how far behind this machine's clock an alert's step (its time in the job) may be and still be sent as news; older steps, from a job catching up on a backlog, are journaled and published in the feeds and sent only to those told of the alert before, and an alert still open is told once the job brings it to the present (README, \"Delivery\"; ISO-8601 duration, at least PT3H)"});
        k.put("zone", new String[] {"America/Toronto", "time zone of the times in messages and of quiet hours"});
        for (String language : Messages.LANGUAGES) {
            k.put("footer." + language, new String[] {"", "harm-reduction footer of messages in language `" + language
                    + "`; empty: the bundle's default"});
        }
        k.put("smtp.host", new String[] {"", "SMTP server for email; empty: email channels are undeliverable (`channel_not_configured`)"});
        k.put("smtp.port", new String[] {"25", "SMTP port"});
        k.put("smtp.from", new String[] {"lookout@example.org", "the From address of emails"});
        k.put("smtp.user", new String[] {"", "SMTP user name (empty: no authentication; set: authentication over STARTTLS)"});
        k.put("smtp.password", new String[] {"", "SMTP password"});
        k.put("sms.url", new String[] {"", "the SMS gateway's send endpoint (generic HTTP provider: POST JSON {to, text}); empty: SMS channels are undeliverable (`channel_not_configured`)"});
        k.put("sms.token", new String[] {"", "bearer token for the SMS gateway (empty: none)"});
        k.put("retry.attempts", new String[] {"5", "attempts per message before it is recorded undeliverable (1 to 20)"});
        k.put("retry.backoff", new String[] {"PT1S", "wait before the first retry; doubled before each next one (ISO-8601 duration, at most PT1H)"});
        k.put("rate.per_hour", new String[] {"6", "messages one recipient receives at most in any hour; more are held and merged (README, \"Delivery\")"});
        k.put("http.port", new String[] {"", "port of the notifier's HTTP server (the subscriptions API and the SMS inbound webhook; 0: a free one); empty: no server"});
        k.put("http.bind", new String[] {"127.0.0.1", "address the HTTP server listens on"});
        k.put("http.token", new String[] {"", "the service token the subscriptions API requires (`Authorization: Bearer TOKEN`, at least 24 characters); required with `http.port`"});
        k.put("sms.inbound_token", new String[] {"", "the shared secret the SMS gateway's inbound webhook must send (bearer or `?token=`, at least 24 characters); empty: the webhook is off"});
        k.put("sms.replies_per_hour", new String[] {"5", "replies one number gets at most in any hour from the inbound webhook (1 to 100)"});
        k.put("digest.time", new String[] {"08:00", "when, in `zone`, subscribers who chose the daily digest receive it (HH:MM)"});
        k.put("operator.email", new String[] {"", "addresses (comma-separated) of the operators told when a source's feed goes silent or bad and when it is back (README, \"Feed health\"); empty: no email"});
        k.put("operator.webhook", new String[] {"", "webhook URL told the same (JSON with `text`, `episode_id`, `source`, `status`, `since`, `until`); empty: none"});
        k.put("operator.language", new String[] {Messages.LANGUAGES.get(0), "language of the operator's messages ("
                + String.join(", ", Messages.LANGUAGES) + ")"});
        return k;
    }

    /** Loads a properties file; unknown keys and bad values stop with one readable line. */
    public static NotifierConfig load(Path file) {
        return fromMap(SettingsFile.read(file, KEYS::containsKey, String.join(", ", KEYS.keySet())));
    }

    public static NotifierConfig fromMap(Map<String, String> v) {
        Function<String, String> get = key -> v.getOrDefault(key, KEYS.get(key)[0]);
        String bootstrap = required(get, "kafka.bootstrap");
        Path subscriptions = Path.of(required(get, "subscriptions"));
        Map<String, String> footers = new LinkedHashMap<>();
        for (String language : Messages.LANGUAGES) {
            String footer = get.apply("footer." + language);
            if (!footer.isEmpty()) {
                footers.put(language, footer);
            }
        }
        int attempts = integer(get, "retry.attempts", 1, 20);
        String prefix = Topics.checkedPrefix("kafka.topic_prefix", get.apply("kafka.topic_prefix"));
        return new NotifierConfig(bootstrap, prefix, get.apply("kafka.consumer_group"),
                subscriptions, Path.of(get.apply("store")), Path.of(get.apply("feed.dir")),
                get.apply("feed.sender"), url(get, "dashboard.url"),
                get.apply("snapshot").isEmpty() ? null : Path.of(get.apply("snapshot")),
                bounded(get, "snapshot.wait"),
                newsWithin(get), zone(get), footers,
                get.apply("smtp.host"), integer(get, "smtp.port", 1, 65535), from(get),
                get.apply("smtp.user"), get.apply("smtp.password"),
                get.apply("sms.url").isEmpty() ? null : url(get, "sms.url"), get.apply("sms.token"),
                attempts, backoff(get), integer(get, "rate.per_hour", 1, 1000),
                get.apply("http.port").isEmpty() ? null : integer(get, "http.port", 0, 65535), get.apply("http.bind"),
                httpToken(get), secret(get, "sms.inbound_token"), integer(get, "sms.replies_per_hour", 1, 100),
                time(get, "digest.time"), operator(get));
    }

    /** The From of every email: a bad one would fail each email as if its recipient's address were bad. */
    private static String from(Function<String, String> get) {
        String from = get.apply("smtp.from");
        try {
            new InternetAddress(from, true);
            return from;
        } catch (AddressException e) {
            throw new UsageException("config: smtp.from = '" + from + "' is not an email address such as"
                    + " lookout@example.org");
        }
    }

    /** The dashboards' map, where people find area names. */
    public String mapPage() {
        String base = dashboardUrl.toString();
        return base.endsWith("/") ? base : base + "/";
    }

    private static String httpToken(Function<String, String> get) {
        String token = secret(get, "http.token");
        if (!get.apply("http.port").isEmpty() && token.isEmpty()) {
            throw new UsageException("config: http.token is required when http.port is set (the subscriptions API"
                    + " hands out contact details)");
        }
        return token;
    }

    /** Empty, or a secret long enough not to be guessed; the value itself is never echoed. */
    private static String secret(Function<String, String> get, String key) {
        String value = get.apply(key);
        if (!value.isEmpty() && value.length() < MIN_SECRET_CHARS) {
            throw new UsageException("config: " + key + " must be at least " + MIN_SECRET_CHARS + " characters long");
        }
        return value;
    }

    /** The topic the notifier consumes. */
    public String alertsTopic() {
        return Topics.name(topicPrefix, Topics.ALERTS);
    }

    /** The topic of feed-health episodes, for the operator channel. */
    public String feedHealthTopic() {
        return Topics.name(topicPrefix, Topics.FEED_HEALTH);
    }

    private static OperatorChannel.Settings operator(Function<String, String> get) {
        List<String> emails = Arrays.stream(get.apply("operator.email").split(",")).map(String::strip)
                .filter(e -> !e.isEmpty()).toList();
        emails.stream().filter(e -> !EmailSender.isAddress(e)).findFirst().ifPresent(e -> {
            throw new UsageException("config: operator.email: '" + e + "' is not an email address such as"
                    + " ops@example.org");
        });
        String language = get.apply("operator.language");
        if (!Messages.LANGUAGES.contains(language)) {
            throw new UsageException("config: operator.language = '" + language + "' must be one of "
                    + String.join(", ", Messages.LANGUAGES));
        }
        return new OperatorChannel.Settings(emails,
                get.apply("operator.webhook").isEmpty() ? null : url(get, "operator.webhook"), language);
    }

    /** The dashboards' alert page, the link every message carries. */
    public String alertsPage() {
        return dashboardPage("/alerts");
    }

    /** The dashboards' notifications page, where a dashboard account changes or stops its alerts. */
    public String notificationsPage() {
        return dashboardPage("/notifications");
    }

    private String dashboardPage(String path) {
        String base = dashboardUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
    }

    private static String required(Function<String, String> get, String key) {
        String value = get.apply(key);
        if (value.isEmpty()) {
            throw new UsageException("config: " + key + " is required");
        }
        return value;
    }

    private static int integer(Function<String, String> get, String key, int min, int max) {
        String text = get.apply(key);
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, like an out-of-range number
        }
        throw new UsageException("config: " + key + " = '" + text + "' must be a whole number from " + min + " to " + max);
    }

    private static Duration duration(Function<String, String> get, String key) {
        String text = get.apply(key);
        try {
            Duration d = Duration.parse(text);
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeException e) {
            // reported below
        }
        throw new UsageException("config: " + key + " = '" + text + "' is not an ISO-8601 duration such as PT1S");
    }

    /**
     * A duration the notifier adds to the clock's instant or milliseconds: billions of years overflowed there, at
     * start (snapshot.wait) or at the first alert and again after every restart (news.within).
     */
    private static Duration bounded(Function<String, String> get, String key) {
        return LongestDuration.check(key, get.apply(key), duration(get, key));
    }

    private static Duration newsWithin(Function<String, String> get) {
        Duration within = bounded(get, "news.within");
        if (within.compareTo(MIN_NEWS_WITHIN) < 0) {
            throw new UsageException("config: news.within = '" + get.apply("news.within") + "' must be at least "
                    + MIN_NEWS_WITHIN + ": the job's time runs behind the clock, and live alerts would go unsent");
        }
        return within;
    }

    /** The first retry's wait: doubled per attempt, a longer one would mean a message never goes. */
    private static Duration backoff(Function<String, String> get) {
        Duration backoff = duration(get, "retry.backoff");
        if (backoff.compareTo(MAX_BACKOFF) > 0) {
            throw new UsageException("config: retry.backoff = '" + get.apply("retry.backoff") + "' must be at most "
                    + MAX_BACKOFF);
        }
        return backoff;
    }

    private static LocalTime time(Function<String, String> get, String key) {
        String text = get.apply(key);
        try {
            return LocalTime.parse(text);
        } catch (DateTimeException e) {
            throw new UsageException("config: " + key + " = '" + text + "' is not a time of day such as 08:00");
        }
    }

    private static ZoneId zone(Function<String, String> get) {
        String text = get.apply("zone");
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new UsageException("config: zone = '" + text + "' is not a time zone such as America/Toronto");
        }
    }

    private static URI url(Function<String, String> get, String key) {
        String text = get.apply(key);
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new UsageException("config: " + key + " = '" + text + "' is not an http(s) URL");
    }
}
