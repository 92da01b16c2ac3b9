package lookout.notify;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import lookout.kernel.UsageException;
import lookout.schema.Alert;
import lookout.schema.FeedHealth;

/**
 * The notifier: reads {@code lookout.alerts} (and {@code lookout.feed_health} for the {@link OperatorChannel}) in
 * a consumer group, turns snapshots into lifecycle steps
 * ({@link Lifecycle}), has each delivered ({@link Dispatcher}) and published ({@link Feeds}), and commits the
 * topic's offsets only once every record of a poll is done. Delivery from the topic is therefore at least once,
 * and the store's idempotency keys make each message at most once: a restart or a replay sends nothing twice.
 */
public final class Notifier implements AutoCloseable {
    private static final Duration BROKER_CHECK = Duration.ofSeconds(10);
    /** Parallel deliveries of one step. */
    private static final int SENDING_THREADS = 8;

    private final NotifierConfig config;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final NotifierStore store;
    private final Lifecycle lifecycle = new Lifecycle();
    private final Dispatcher dispatcher;
    private final Feeds feeds;
    private final ExecutorService pool;
    private final PrintStream out;
    private final Subscriptions subscriptions;
    private final OperatorChannel operator;
    private String toldProblem;

    private Notifier(NotifierConfig config, Subscriptions subscriptions, Clock clock,
            Map<Channel.Kind, Sender> extraSenders, PrintStream out) {
        this.config = config;
        this.out = out;
        this.subscriptions = subscriptions;
        AreaNames areaNames = config.snapshot() == null ? AreaNames.of(Map.of()) : AreaNames.fromSnapshot(config.snapshot());
        Messages messages = new Messages(config.zone(), config.alertsPage(), config.footers());
        Map<Channel.Kind, Sender> senders = new EnumMap<>(Channel.Kind.class);
        if (!config.smtpHost().isEmpty()) {
            senders.put(Channel.Kind.EMAIL, new EmailSender(config.smtpHost(), config.smtpPort(), config.smtpFrom(),
                    config.smtpUser(), config.smtpPassword(), messages));
        }
        senders.put(Channel.Kind.WEBHOOK, new WebhookSender(messages, areaNames));
        if (config.smsUrl() != null) {
            senders.put(Channel.Kind.SMS, new SmsSender(new HttpSmsGateway(config.smsUrl(), config.smsToken())));
        }
        senders.putAll(extraSenders);
        this.store = NotifierStore.open(config.store());
        this.pool = Executors.newFixedThreadPool(SENDING_THREADS, r -> {
            Thread t = new Thread(r, "notifier-send");
            t.setDaemon(true);
            return t;
        });
        this.dispatcher = new Dispatcher(subscriptions, store, messages, areaNames, senders, pool, clock, config.zone(),
                config.retryAttempts(), config.retryBackoff(), config.ratePerHour());
        this.feeds = new Feeds(config.feedDir(), config.feedSender(), config.zone(), messages, areaNames);
        store.steps().forEach(lifecycle::take);
        feeds.publishMissing(store.steps());
        this.operator = OperatorChannel.open(config, clock);
        this.consumer = new KafkaConsumer<>(consumerProperties(config));
        consumer.subscribe(List.of(config.alertsTopic(), config.feedHealthTopic()));
    }

    /** Checks the subscribers file and the broker, then subscribes to the alerts topic. */
    public static Notifier start(NotifierConfig config, Clock clock, PrintStream out) {
        return start(config, clock, Map.of(), out);
    }

    /** As {@link #start(NotifierConfig, Clock, PrintStream)}, with senders that replace the configured ones. */
    static Notifier start(NotifierConfig config, Clock clock, Map<Channel.Kind, Sender> senders, PrintStream out) {
        Subscriptions subscriptions = Subscriptions.open(config.subscriptions());
        checkBroker(config.kafkaBootstrap());
        return new Notifier(config, subscriptions, clock, senders, out);
    }

    /** One poll: the records it brings are processed and their offsets committed; held messages that are due go. */
    public int poll(Duration timeout) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.topic().equals(config.feedHealthTopic())) {
                decodeFeedHealth(r).ifPresent(this::tellOperators);
                continue;
            }
            Optional<Alert> alert = decode(r);
            alert.ifPresent(this::process);
        }
        if (!records.isEmpty()) {
            consumer.commitSync();
        }
        dispatcher.releaseDue(store.steps());
        tellSubscriptionsProblem();
        return records.count();
    }

    /** Polls until {@link #wakeup()} is called from another thread (the command's shutdown hook). */
    public void run() {
        out.println("notify: reading " + config.alertsTopic() + " at " + config.kafkaBootstrap() + "; feeds in "
                + config.feedDir().toAbsolutePath());
        try {
            while (true) {
                poll(Duration.ofSeconds(1));
            }
        } catch (WakeupException e) {
            out.println("notify: stopped");
        }
    }

    public void wakeup() {
        consumer.wakeup();
    }

    /** The store (for tests and the next session's operator commands). */
    public NotifierStore store() {
        return store;
    }

    private void tellSubscriptionsProblem() {
        String problem = subscriptions.problem();
        if (problem != null && !problem.equals(toldProblem)) {
            out.println("notify: " + problem + "; the last good version is used until it is fixed");
        }
        toldProblem = problem;
    }

    void process(Alert alert) {
        Optional<AlertStep> next = lifecycle.next(alert);
        if (next.isEmpty()) {
            return;
        }
        AlertStep step = next.get();
        // Deliver first, journal after: a crash in between redoes the step, and the keys skip what was sent.
        dispatcher.dispatch(step);
        store.addStep(step);
        lifecycle.take(step);
        feeds.publish(step, store.steps());
        out.println("notify: alert " + step.spikeId() + " " + step.code() + " (area " + step.areaId() + ", "
                + step.signal() + ", " + step.severity().code() + ")");
    }

    private void tellOperators(FeedHealth episode) {
        for (String outcome : operator.take(episode)) {
            out.println("notify: feed " + episode.getSource() + " " + episode.getStatus() + ": " + outcome);
        }
    }

    private Optional<FeedHealth> decodeFeedHealth(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Optional.of(FeedHealth.getDecoder().decode(r.value()));
        } catch (Exception e) {
            out.println("notify: skipped a record that is not a FeedHealth (partition " + r.partition() + ", offset "
                    + r.offset() + ")");
            return Optional.empty();
        }
    }

    private Optional<Alert> decode(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Optional.of(Alert.getDecoder().decode(r.value()));
        } catch (Exception e) {
            out.println("notify: skipped a record that is not an Alert (partition " + r.partition() + ", offset "
                    + r.offset() + ")");
            return Optional.empty();
        }
    }

    private static Properties consumerProperties(NotifierConfig config) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private static void checkBroker(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) BROKER_CHECK.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) BROKER_CHECK.toMillis()))) {
            admin.describeCluster().nodes().get(BROKER_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new UsageException("cannot reach Kafka at " + bootstrap + " (kafka.bootstrap)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageException("interrupted while checking Kafka at " + bootstrap);
        }
    }

    @Override
    public void close() {
        consumer.close();
        pool.shutdownNow();
        store.close();
        operator.close();
    }
}
