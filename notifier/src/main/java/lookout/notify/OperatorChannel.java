package lookout.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import lookout.schema.FeedHealth;

/**
 * The operator channel: the people who run the feeds are told when one goes silent or bad, and when it is back
 * ({@link FeedNotices}), by email ({@code operator.email}) and a webhook ({@code operator.webhook}, a JSON object
 * whose {@code text} Slack and Mattermost show). Idempotent like alerts: each (episode, step, channel) has a key
 * in {@code STORE/operator.ndjson}, and a key with an outcome (delivered or undeliverable) is never sent again, so
 * a restart or a replayed topic sends nothing twice. The log holds channel ids ({@code operator/email1}), never an
 * address. A retryable failure is retried after {@code retry.backoff}, doubled per attempt, on a thread of its
 * own: waiting in the poll's thread would hold the consumer past Kafka's poll interval and lose its partitions. The
 * log keeps a waiting retry with its episode, so a restart resumes it. A line of the log that is not a record is
 * passed over and told ({@link AppendLog#read}): a final outcome passed over counts as none, so its notice may go
 * twice rather than never; a waiting retry passed over is not resumed, and the warning is all that tells of it.
 */
final class OperatorChannel implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TIMEOUT_MS = "10000";
    /** The outcome of a failed attempt whose retry is scheduled; its line holds the episode to tell. */
    private static final String RETRYING = "retrying";
    private static final String DELIVERED = "delivered";
    private static final String UNDELIVERABLE = "undeliverable";
    private static final Set<String> OUTCOMES = Set.of(DELIVERED, UNDELIVERABLE, RETRYING);
    private static final String EMAIL_CHANNEL = "operator/email";
    private static final String WEBHOOK_CHANNEL = "operator/webhook";

    /**
     * @param emails   addresses told by email (none: no email)
     * @param webhook  the webhook's URL, or null
     * @param language the language of the messages, one of {@link Messages#LANGUAGES}
     */
    record Settings(List<String> emails, URI webhook, String language) {}

    private final Settings settings;
    private final Session mail;
    private final String from;
    private final HttpPost http = new HttpPost(HttpPost.EXCHANGE_TIMEOUT);
    private final int attempts;
    private final Duration backoff;
    private final Clock clock;
    private final FileChannel log;
    private final Set<String> done = new HashSet<>();
    /** The keys whose next attempt is scheduled. */
    private final Set<String> retrying = new HashSet<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "notifier-operator-retries");
        t.setDaemon(true);
        return t;
    });

    /** A line of the log: a key's outcome after its attempts and, for a retry that waits, the episode to tell. */
    private record Logged(String key, String outcome, int attempts, FeedHealth episode) {}

    private OperatorChannel(NotifierConfig config, Clock clock, Consumer<String> warn) throws IOException {
        this.settings = config.operator();
        this.from = config.smtpFrom();
        this.attempts = config.retryAttempts();
        this.backoff = config.retryBackoff();
        this.clock = clock;
        this.mail = config.smtpHost().isEmpty() ? null : session(config);
        Files.createDirectories(config.store());
        Path file = config.store().resolve("operator.ndjson");
        AppendLog.Journal<Logged> journal = AppendLog.read(file, OperatorChannel::logged);
        journal.tellPassedOver(warn);
        Map<String, Logged> waiting = new LinkedHashMap<>();
        for (Logged line : journal.records()) {
            if (RETRYING.equals(line.outcome())) {
                waiting.put(line.key(), line);
            } else {
                done.add(line.key());
            }
        }
        this.log = AppendLog.open(file);
        waiting.keySet().removeAll(done);
        waiting.values().forEach(this::resume);
    }

    /**
     * A final outcome, or a retry that was waiting (the latest line of a key says). A line without a key, of an
     * outcome this build does not know or of a retry whose episode cannot be read is no record: taken as an outcome
     * it would silence its key for good; passed over, a final outcome's notice may be sent again.
     */
    private static Logged logged(JsonNode o) throws AppendLog.NotARecord {
        JsonNode key = o.path("key");
        String outcome = o.path("outcome").asText();
        if (!key.isTextual() || key.asText().isEmpty() || !OUTCOMES.contains(outcome)) {
            throw new AppendLog.NotARecord();
        }
        FeedHealth episode = null;
        if (outcome.equals(RETRYING)) {
            try {
                episode = ContractDecoders.FEED_HEALTH.decode(Base64.getDecoder().decode(o.path("episode").asText()));
            } catch (IOException | RuntimeException e) {
                // Damaged bytes reach Avro's decoder, which tells of them by more than one kind of exception.
                throw new AppendLog.NotARecord();
            }
        }
        return new Logged(key.asText(), outcome, o.path("attempts").asInt(), episode);
    }

    /**
     * Schedules again a retry that was waiting when the notifier stopped: the topic's offsets were committed, so
     * nothing else would tell the operators. A channel no longer configured is left.
     */
    private void resume(Logged waiting) {
        String key = waiting.key();
        String channel = key.substring(key.lastIndexOf('|') + 1);
        if (!channels().contains(channel)) {
            return;
        }
        int made = waiting.attempts();
        retrying.add(key);
        retries.schedule(() -> attempt(key, waiting.episode(), channel, made + 1), wait(made), TimeUnit.MILLISECONDS);
    }

    /**
     * @param warn told, in one line, of the log's lines passed over that are not records: a lost outcome means
     *             its notice may be sent again, a lost retry that it is not resumed
     */
    static OperatorChannel open(NotifierConfig config, Clock clock, Consumer<String> warn) {
        try {
            return new OperatorChannel(config, clock, warn);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the operator channel's log in " + config.store(), e);
        }
    }

    /** Tells every operator channel of this episode snapshot, unless it was told already. */
    List<String> take(FeedHealth episode) {
        String step = episode.getUntil() == null ? "opened" : "ended";
        List<String> outcomes = new ArrayList<>();
        for (String channel : channels()) {
            outcomes.add(deliver(episode, step, channel));
        }
        return outcomes;
    }

    /** The configured channels' ids: {@code operator/email1} ... and {@code operator/webhook}. */
    private List<String> channels() {
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < settings.emails().size(); i++) {
            channels.add(EMAIL_CHANNEL + (i + 1));
        }
        if (settings.webhook() != null) {
            channels.add(WEBHOOK_CHANNEL);
        }
        return channels;
    }

    private String deliver(FeedHealth episode, String step, String channel) {
        String key = episode.getEpisodeId() + "|" + step + "|" + channel;
        synchronized (this) {
            if (done.contains(key)) {
                return key + " already";
            }
            if (retrying.contains(key)) {
                return key + " " + RETRYING;
            }
        }
        return attempt(key, episode, channel, 1);
    }

    /**
     * One attempt; a retryable failure that is not the last is logged with the episode, schedules the next attempt
     * and returns at once.
     */
    private synchronized String attempt(String key, FeedHealth episode, String channel, int n) {
        retrying.remove(key);
        try {
            send(episode, channel);
            record(key, DELIVERED, null, n, null);
            return key + " " + DELIVERED;
        } catch (DeliveryFailure f) {
            if (!f.retryable() || n >= attempts) {
                record(key, UNDELIVERABLE, f.reason(), n, null);
                return key + " " + UNDELIVERABLE + " " + f.reason();
            }
            record(key, RETRYING, f.reason(), n, episode);
            retrying.add(key);
            retries.schedule(() -> attempt(key, episode, channel, n + 1), wait(n), TimeUnit.MILLISECONDS);
            return key + " " + RETRYING + " " + f.reason();
        }
    }

    /** The wait after {@code made} attempts: the backoff, doubled per attempt after the first. */
    private long wait(int made) {
        return backoff.toMillis() << Math.min(Math.max(made - 1, 0), 30);
    }

    private void send(FeedHealth episode, String channel) throws DeliveryFailure {
        FeedNotices.Notice notice = FeedNotices.compose(episode, settings.language());
        if (channel.equals(WEBHOOK_CHANNEL)) {
            webhook(episode, notice);
        } else {
            email(settings.emails().get(Integer.parseInt(channel.substring(EMAIL_CHANNEL.length())) - 1), notice);
        }
    }

    private void email(String address, FeedNotices.Notice notice) throws DeliveryFailure {
        if (mail == null) {
            throw new DeliveryFailure("channel_not_configured", false);
        }
        try {
            MimeMessage m = new MimeMessage(mail);
            m.setFrom(new InternetAddress(from));
            m.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(address, true));
            m.setSubject(notice.subject(), StandardCharsets.UTF_8.name());
            m.setText(notice.text(), StandardCharsets.UTF_8.name(), "plain");
            Transport.send(m);
        } catch (AddressException e) {
            throw new DeliveryFailure("address_invalid", false);
        } catch (MessagingException e) {
            throw new DeliveryFailure("smtp_failed", true);
        }
    }

    private void webhook(FeedHealth episode, FeedNotices.Notice notice) throws DeliveryFailure {
        ObjectNode o = JSON.createObjectNode();
        o.put("text", notice.text());
        o.put("episode_id", episode.getEpisodeId());
        o.put("source", episode.getSource());
        o.put("status", episode.getStatus());
        o.put("since", Instant.ofEpochMilli(episode.getSince()).toString());
        if (episode.getUntil() == null) {
            o.putNull("until");
        } else {
            o.put("until", Instant.ofEpochMilli(episode.getUntil()).toString());
        }
        try {
            http.json(settings.webhook(), JSON.writeValueAsString(o), null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param episode with a retry, what the next attempt says (should the notifier stop before it); else null */
    private void record(String key, String outcome, String reason, int tries, FeedHealth episode) {
        ObjectNode o = JSON.createObjectNode();
        o.put("key", key);
        o.put("outcome", outcome);
        if (reason != null) {
            o.put("reason", reason);
        }
        o.put("attempts", tries);
        o.put("at", clock.millis());
        if (episode != null) {
            o.put("episode", Base64.getEncoder().encodeToString(encode(episode)));
        }
        try {
            AppendLog.write(log, JSON.writeValueAsString(o) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the operator channel's log", e);
        }
        if (!RETRYING.equals(outcome)) {
            done.add(key);
        }
    }

    private static byte[] encode(FeedHealth episode) {
        try {
            ByteBuffer buffer = FeedHealth.getEncoder().encode(episode);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a feed-health episode", e);
        }
    }

    private static Session session(NotifierConfig config) {
        Properties p = new Properties();
        p.put("mail.smtp.host", config.smtpHost());
        p.put("mail.smtp.port", Integer.toString(config.smtpPort()));
        p.put("mail.smtp.connectiontimeout", TIMEOUT_MS);
        p.put("mail.smtp.timeout", TIMEOUT_MS);
        p.put("mail.smtp.writetimeout", TIMEOUT_MS);
        if (!config.smtpUser().isEmpty()) {
            p.put("mail.smtp.auth", "true");
            p.put("mail.smtp.starttls.enable", "true");
            return Session.getInstance(p, new jakarta.mail.Authenticator() {
                @Override
                protected jakarta.mail.PasswordAuthentication getPasswordAuthentication() {
                    return new jakarta.mail.PasswordAuthentication(config.smtpUser(), config.smtpPassword());
                }
            });
        }
        return Session.getInstance(p);
    }

    /** Waits for an attempt under way; the retries not yet due are dropped. */
    @Override
    public synchronized void close() {
        retries.shutdownNow();
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
