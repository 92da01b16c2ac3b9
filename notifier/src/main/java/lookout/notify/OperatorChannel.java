package lookout.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
 * own: waiting in the poll's thread would hold the consumer past Kafka's poll interval and lose its partitions.
 */
final class OperatorChannel implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TIMEOUT_MS = "10000";

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

    private OperatorChannel(NotifierConfig config, Clock clock) throws IOException {
        this.settings = config.operator();
        this.from = config.smtpFrom();
        this.attempts = config.retryAttempts();
        this.backoff = config.retryBackoff();
        this.clock = clock;
        this.mail = config.smtpHost().isEmpty() ? null : session(config);
        Files.createDirectories(config.store());
        Path file = config.store().resolve("operator.ndjson");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    JsonNode o = JSON.readTree(line);
                    if (o != null && o.hasNonNull("key")) {
                        done.add(o.path("key").asText());
                    }
                } catch (JsonProcessingException e) {
                    // A line cut short by a crash: its message is redone from the topic.
                }
            }
        }
        this.log = AppendLog.open(file);
    }

    static OperatorChannel open(NotifierConfig config, Clock clock) {
        try {
            return new OperatorChannel(config, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the operator channel's log in " + config.store(), e);
        }
    }

    /** Tells every operator channel of this episode snapshot, unless it was told already. */
    List<String> take(FeedHealth episode) {
        FeedNotices.Notice notice = FeedNotices.compose(episode, settings.language());
        String step = episode.getUntil() == null ? "opened" : "ended";
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < settings.emails().size(); i++) {
            String address = settings.emails().get(i);
            outcomes.add(deliver(episode, step, "operator/email" + (i + 1), () -> email(address, notice)));
        }
        if (settings.webhook() != null) {
            outcomes.add(deliver(episode, step, "operator/webhook", () -> webhook(episode, notice)));
        }
        return outcomes;
    }

    private interface Attempt {
        void run() throws DeliveryFailure;
    }

    private String deliver(FeedHealth episode, String step, String channel, Attempt attempt) {
        String key = episode.getEpisodeId() + "|" + step + "|" + channel;
        synchronized (this) {
            if (done.contains(key)) {
                return key + " already";
            }
            if (retrying.contains(key)) {
                return key + " retrying";
            }
        }
        return attempt(key, attempt, 1);
    }

    /** One attempt; a retryable failure that is not the last schedules the next one and returns at once. */
    private synchronized String attempt(String key, Attempt attempt, int n) {
        retrying.remove(key);
        try {
            attempt.run();
            record(key, "delivered", null, n);
            return key + " delivered";
        } catch (DeliveryFailure f) {
            if (!f.retryable() || n >= attempts) {
                record(key, "undeliverable", f.reason(), n);
                return key + " undeliverable " + f.reason();
            }
            retrying.add(key);
            long wait = backoff.toMillis() << Math.min(n - 1, 30);
            retries.schedule(() -> attempt(key, attempt, n + 1), wait, TimeUnit.MILLISECONDS);
            return key + " retrying " + f.reason();
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

    private void record(String key, String outcome, String reason, int tries) {
        ObjectNode o = JSON.createObjectNode();
        o.put("key", key);
        o.put("outcome", outcome);
        if (reason != null) {
            o.put("reason", reason);
        }
        o.put("attempts", tries);
        o.put("at", clock.millis());
        try {
            AppendLog.write(log, JSON.writeValueAsString(o) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the operator channel's log", e);
        }
        done.add(key);
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
