package lookout.notify;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import lookout.kernel.ExclusiveLock;
import lookout.kernel.UsageException;
import lookout.kernel.WritableDirectory;
import lookout.schema.Alert;
import lookout.schema.FeedHealth;

/**
 * The notifier: reads {@code lookout.alerts} (and {@code lookout.feed_health} for the {@link OperatorChannel}) in
 * a consumer group, turns snapshots into lifecycle steps
 * ({@link Lifecycle}), has each delivered ({@link Dispatcher}) and published ({@link Feeds}), and commits the
 * topic's offsets only once every record of a poll is done. Delivery from the topic is therefore at least once,
 * and the store's idempotency keys make each message at most once: a restart or a replay sends nothing twice.
 *
 * <p>A consumer group with no offsets yet (a new notifier, a new group, offsets expired) first reads the topic's
 * history ({@link CatchUp}): its steps are journaled and published in the feeds, and sent only to channels
 * the store says were told of the alert before ({@link Dispatcher#dispatchHistory}), so nobody is sent news that is
 * weeks old or an all-clear for an alert they never heard of, and nobody told of an alert misses its all-clear. Then,
 * and whenever the subscribers change, every channel is told of the open alerts that concern it and that it has had
 * no message about ({@link Dispatcher#tellOpen}).
 */
public final class Notifier implements AutoCloseable {
    private static final Duration BROKER_CHECK = Duration.ofSeconds(10);
    /** How long closing waits for the SMS replies still queued. */
    private static final Duration REPLIES_DRAIN = Duration.ofSeconds(5);
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
    private final ExecutorService replies;
    private final NotifierHttp http;
    private final int httpPort;
    private final OperatorChannel operator;
    private final NamesWait namesWait;
    private String toldProblem;
    private final CatchUp catchUp = new CatchUp();
    /** The subscribers as the last {@link Dispatcher#tellOpen} pass saw them; null before the first. */
    private List<Subscriber> toldSubscribers;
    /** The open alerts the last {@link Dispatcher#tellOpen} pass was given. */
    private List<String> toldOpen = List.of();
    private final Clock clock;
    private final List<ExclusiveLock> locks;

    private Notifier(List<ExclusiveLock> locks, NotifierConfig config, ManagedSubscribers managed, Subscriptions subscriptions,
            Clock clock, Map<Channel.Kind, Sender> extraSenders, PrintStream out) {
        this.locks = locks;
        this.config = config;
        this.clock = clock;
        this.out = out;
        this.subscriptions = subscriptions;
        AreaNames areaNames = config.snapshot() == null ? AreaNames.of(Map.of()) : AreaNames.fromSnapshot(config.snapshot());
        this.namesWait = config.snapshot() == null ? NamesWait.none() : new NamesWait(config.snapshot(),
                areaNames::read, config.snapshotWait(), clock, line -> out.println("notify: " + line));
        Messages messages = new Messages(config.zone(), config.alertsPage(), config.notificationsPage(),
                config.footers());
        Map<Channel.Kind, Sender> senders = new EnumMap<>(Channel.Kind.class);
        if (!config.smtpHost().isEmpty()) {
            senders.put(Channel.Kind.EMAIL, new EmailSender(config.smtpHost(), config.smtpPort(), config.smtpFrom(),
                    config.smtpUser(), config.smtpPassword(), messages, managed::keptByAccount));
        }
        senders.put(Channel.Kind.WEBHOOK, new WebhookSender(messages, areaNames));
        SmsGateway gateway = config.smsUrl() == null ? null : new HttpSmsGateway(config.smsUrl(), config.smsToken());
        if (gateway != null) {
            senders.put(Channel.Kind.SMS, new SmsSender(gateway));
        }
        senders.putAll(extraSenders);
        this.store = NotifierStore.open(config.store(), warning -> out.println("notify: " + warning));
        this.pool = Executors.newFixedThreadPool(SENDING_THREADS, r -> {
            Thread t = new Thread(r, "notifier-send");
            t.setDaemon(true);
            return t;
        });
        AreaNeighbours neighbours = config.snapshot() == null ? AreaNeighbours.NONE
                : AreaNeighbours.fromSnapshot(config.snapshot(), warning -> out.println("notify: " + warning));
        this.dispatcher = new Dispatcher(subscriptions, store, messages, areaNames, senders, pool, clock, config.zone(),
                config.retryAttempts(), config.retryBackoff(), config.ratePerHour(), neighbours, config.digestTime());
        this.feeds = new Feeds(config.feedDir(), config.feedSender(), config.zone(), messages, areaNames);
        store.steps().forEach(lifecycle::take);
        feeds.publishAll(store.steps());
        this.operator = OperatorChannel.open(config, clock, warning -> out.println("notify: " + warning));
        this.consumer = new KafkaConsumer<>(consumerProperties(config));
        consumer.subscribe(List.of(config.alertsTopic(), config.feedHealthTopic()), new HoldAlerts());
        this.replies = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "notifier-sms-replies");
            t.setDaemon(true);
            return t;
        });
        if (config.httpPort() == null) {
            this.http = null;
            this.httpPort = -1;
        } else {
            SmsInbox inbox = new SmsInbox(managed, subscriptions::fileSubscribers, areaNames, gateway, replies,
                    config.mapPage(), clock, config.smsRepliesPerHour());
            this.http = new NotifierHttp(config, subscriptions, managed, inbox, Set.copyOf(senders.keySet()), out);
            this.httpPort = startHttp();
        }
    }

    /** Starts the HTTP server; a port that cannot be had closes what was opened and stops with one line. */
    private int startHttp() {
        try {
            int port = http.start(config.httpBind(), config.httpPort());
            out.println("notify: HTTP at http://" + config.httpBind() + ":" + port + "/ (subscriptions API"
                    + (config.smsInboundToken().isEmpty() ? "" : ", SMS inbound webhook " + NotifierHttp.INBOUND) + ")");
            return port;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Checks the subscribers file and the broker, then subscribes to the alerts topic. */
    public static Notifier start(NotifierConfig config, Clock clock, PrintStream out) {
        return start(config, clock, Map.of(), out);
    }

    /** As {@link #start(NotifierConfig, Clock, PrintStream)}, with senders that replace the configured ones. */
    static Notifier start(NotifierConfig config, Clock clock, Map<Channel.Kind, Sender> senders, PrintStream out) {
        return open(config, clock, senders, out, true);
    }

    /**
     * @param checkBroker whether to stop when the broker cannot be reached; without, the consumer connects at its
     *                    first poll (tests of what a record does, which give records to {@link #process})
     */
    static Notifier open(NotifierConfig config, Clock clock, Map<Channel.Kind, Sender> senders, PrintStream out,
            boolean checkBroker) {
        checkPrivateFilesOutsideFeedDir(config);
        List<ExclusiveLock> locks = new ArrayList<>();
        try {
            locks.add(lockStore(config.store()));
            ManagedSubscribers managed = ManagedSubscribers.open(config.store());
            Subscriptions subscriptions = Subscriptions.open(config.subscriptions(), managed);
            checkNeighbours(config, subscriptions.current());
            checkFeedDir(config.feedDir());
            locks.add(lockFeedDir(config.feedDir()));
            if (checkBroker) {
                checkBroker(config.kafkaBootstrap());
            }
            return new Notifier(locks, config, managed, subscriptions, clock, senders, out);
        } catch (RuntimeException e) {
            closeQuietly(locks);
            throw e;
        }
    }

    /**
     * The feeds are public, and the store and the subscribers file hold subscribers' addresses and the journal's
     * counts: inside the feed directory, through a link too, they would be served with the feeds.
     */
    private static void checkPrivateFilesOutsideFeedDir(NotifierConfig config) {
        Path feedDir = resolved(config.feedDir());
        Map<String, Path> privateFiles = new LinkedHashMap<>();
        privateFiles.put("subscriptions", config.subscriptions());
        privateFiles.put("store", config.store());
        privateFiles.forEach((key, path) -> {
            if (resolved(path).startsWith(feedDir)) {
                throw new UsageException("config: " + key + " = '" + path + "' is inside feed.dir = '"
                        + config.feedDir() + "', which is published: put it elsewhere");
            }
        });
    }

    /** The path with its links resolved as far as it exists, so that a link into a directory is seen as inside it. */
    private static Path resolved(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? absolute : existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }

    /**
     * One notifier per store: two would each send what the other sent (they read the topic in groups of their own)
     * and write the same feed files.
     */
    private static ExclusiveLock lockStore(Path store) {
        try {
            Files.createDirectories(store);
        } catch (IOException e) {
            throw new UsageException("cannot create the notifier's store " + store);
        }
        return ExclusiveLock.take(store.resolve(".lock"), "the notifier's store",
                "the notifier's store " + store + " is in use by another notifier; stop it first");
    }

    /**
     * One notifier per feed directory too: two with stores of their own would each rewrite {@code alerts.atom} from
     * their own journal, each dropping the other's alerts from the public feed.
     */
    private static ExclusiveLock lockFeedDir(Path feedDir) {
        return ExclusiveLock.take(feedDir.resolve(".lock"), "feed.dir",
                "feed.dir " + feedDir + " is in use by another notifier; stop it first");
    }

    private static void closeQuietly(List<ExclusiveLock> locks) {
        for (ExclusiveLock lock : locks) {
            try {
                lock.close();
            } catch (IOException ignored) {
                // Closing the channel releases the lock; a failure to close leaves nothing to do.
            }
        }
    }

    /**
     * The feeds are first written when an alert comes, which ended the notifier long after it started; so the
     * directory is created and a probe file written and removed at start.
     */
    private static void checkFeedDir(Path dir) {
        try {
            WritableDirectory.probe(dir);
        } catch (IOException e) {
            throw new UsageException("config: feed.dir = '" + dir + "' cannot be created or written");
        }
    }

    /** Neighbours are read from the snapshot: a subscription that asks for them needs one. */
    private static void checkNeighbours(NotifierConfig config, List<Subscriber> subscribers) {
        if (config.snapshot() != null) {
            return;
        }
        subscribers.stream().filter(s -> !s.neighbourAreas().isEmpty()).findFirst().ifPresent(s -> {
            throw new UsageException("subscriber " + s.id() + " asks for the neighbours of an area, but no snapshot is"
                    + " configured to read them from (set `snapshot` to the job's published db)");
        });
    }

    /**
     * One poll: the records it brings are processed and their offsets committed; held messages that are due go,
     * and so do the daily digests when their time has come. While {@link NamesWait} holds, only feed health is read
     * and nothing that names an area goes.
     */
    public int poll(Duration timeout) {
        boolean holding = namesWait.holding();
        if (!holding) {
            consumer.resume(consumer.paused());
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.topic().equals(config.feedHealthTopic())) {
                decodeFeedHealth(r).ifPresent(this::tellOperators);
                continue;
            }
            boolean history = catchUp.readHistory(r);
            decode(r).ifPresent(alert -> process(alert, history));
        }
        boolean wasCatchingUp = catchUp.running();
        catchUp.advance(consumer);
        if (wasCatchingUp && !catchUp.running()) {
            out.println("notify: read the history of " + config.alertsTopic() + " (" + catchUp.summary()
                    + "), sent only to those told of its alerts before; " + currentOpenSteps().size()
                    + " alert(s) still open");
            // The alerts it left open are told now, whoever was told what before it.
            toldSubscribers = null;
        }
        if (!records.isEmpty() && !catchUp.running()) {
            // Offsets are committed only once the history is read: a notifier stopped in the middle reads it again
            // as history, instead of sending its second half as news.
            consumer.commitSync();
        }
        if (!holding && !catchUp.running()) {
            tellOpenAlerts();
            dispatcher.releaseDue(store.steps());
            dispatcher.sendDigests();
        }
        tellSubscriptionsProblem();
        return records.count();
    }

    /**
     * Tells channels of the open alerts they have no message about, when the subscribers or the open alerts that are
     * news are not those told: a new subscriber, or an alert a job catching up on a backlog opened as old news and
     * has now brought to the present.
     */
    private void tellOpenAlerts() {
        List<Subscriber> now = subscriptions.current();
        List<AlertStep> open = currentOpenSteps();
        List<String> openIds = open.stream().map(AlertStep::spikeId).toList();
        if (now.equals(toldSubscribers) && openIds.equals(toldOpen)) {
            return;
        }
        dispatcher.tellOpen(open).forEach((step, channels) -> out.println("notify: alert "
                + step.spikeId() + " is open (area " + step.areaId() + ", " + step.signal() + ", "
                + step.severity().code() + "): told " + channels + " channel(s) that had no message about it"));
        toldSubscribers = now;
        toldOpen = openIds;
    }

    /** The open alerts with a snapshot recent enough to be news ({@code news.within}). */
    private List<AlertStep> currentOpenSteps() {
        return lifecycle.openSteps(newsSince());
    }

    /** The oldest time in the job (epoch ms) that is still news by this notifier's clock. */
    private long newsSince() {
        return clock.millis() - config.newsWithin().toMillis();
    }

    /**
     * Pauses the alerts topic's partitions as they are assigned while {@link NamesWait} holds, before the poll that
     * assigned them fetches from them: their records stay on the topic, uncommitted. Feed health is never held.
     * Partitions of the alerts topic that the group has no offset for are read as history up to their end
     * ({@link CatchUp}).
     */
    private final class HoldAlerts implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            List<TopicPartition> alerts = partitions.stream()
                    .filter(p -> p.topic().equals(config.alertsTopic())).toList();
            catchUp.assigned(consumer, alerts);
            if (namesWait.holding()) {
                consumer.pause(alerts);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing to hand over: offsets are committed after every poll (after the history, while catching up).
            catchUp.revoked(partitions);
        }
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

    /** The port of the HTTP server, or -1 when {@code http.port} is not set. */
    public int httpPort() {
        return httpPort;
    }

    /** The store (for tests). */
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
        process(alert, false);
    }

    /**
     * A step older than {@code news.within} (a job catching up on a backlog: a first run over months of input, a
     * restart after a long stop) is no news either, and goes as the history does.
     *
     * @param history whether the record was on the topic before this consumer group first read it: its step is
     *                journaled and published, and sent only to channels told of its alert before
     */
    private void process(Alert alert, boolean history) {
        if (!AlertStep.safeId(alert.getSpikeId())) {
            // Its id would name a feed file, maybe outside the feed's directory; nothing the job makes looks so.
            out.println("notify: skipped an alert whose spike_id is not an id the job makes");
            return;
        }
        lifecycle.saw(alert);
        Optional<AlertStep> next = lifecycle.next(alert);
        if (next.isEmpty()) {
            return;
        }
        AlertStep step = next.get();
        boolean oldNews = !history && step.at() < newsSince();
        // Deliver first, journal after: a crash in between redoes the step, and the keys skip what was sent.
        if (history) {
            catchUp.stepRead();
        }
        if (history || oldNews) {
            dispatcher.dispatchHistory(step);
        } else {
            dispatcher.dispatch(step);
        }
        store.addStep(step);
        lifecycle.take(step);
        feeds.publish(step, store.steps());
        if (history) {
            return;
        }
        out.println("notify: alert " + step.spikeId() + " " + step.code() + " (area " + step.areaId() + ", "
                + step.signal() + ", " + step.severity().code() + ")" + (oldNews ? ", at "
                + Instant.ofEpochMilli(step.at()) + ", older than news.within: sent only to those told of it before"
                : ""));
    }

    private void tellOperators(FeedHealth episode) {
        for (String outcome : operator.take(episode)) {
            out.println("notify: feed " + episode.getSource() + " " + episode.getStatus() + ": " + outcome);
        }
    }

    private Optional<FeedHealth> decodeFeedHealth(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Optional.of(ContractDecoders.FEED_HEALTH.decode(r.value()));
        } catch (Exception e) {
            out.println("notify: skipped a record that is not a FeedHealth (partition " + r.partition() + ", offset "
                    + r.offset() + ")");
            return Optional.empty();
        }
    }

    private Optional<Alert> decode(ConsumerRecord<byte[], byte[]> r) {
        try {
            return Optional.of(ContractDecoders.ALERT.decode(r.value()));
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
        if (http != null) {
            http.close();
        }
        consumer.close();
        pool.shutdownNow();
        if (replies != null) {
            // A STOP's confirmation queued a moment ago still goes.
            replies.shutdown();
            try {
                replies.awaitTermination(REPLIES_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        store.close();
        operator.close();
        closeQuietly(locks);
    }
}
