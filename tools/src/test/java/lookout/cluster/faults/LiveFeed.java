package lookout.cluster.faults;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import lookout.config.LookoutConfig;
import lookout.ingest.ContractRouter;

/**
 * A run's input topics fed at a fixed rate from a thread of its own, as a live feed delivers records: a run reading
 * them is mid-stream for as long as the feed lasts, however fast the machine, so a fault injected while the feed is
 * on lands with some records counted and others not yet sent.
 *
 * <p>Every feed of the same records writes each one to the same partition at the same offset, so that two runs over
 * two feeds read the same records in the same places (a dead letter's {@code position} included, but for the topics'
 * prefix): routed as {@code replay} routes it (Avro where the contract allows), its partition fixed by its bytes, and
 * written exactly once in order by an idempotent producer, which a broker killed or frozen mid-feed cannot make write
 * a record twice.
 */
final class LiveFeed implements AutoCloseable {
    /** Partitions of each input topic (the tests create them so). */
    static final int PARTITIONS = 2;
    /**
     * How long the producer keeps offering a record, as a live publisher retries for as long as it takes: at a load
     * of 12 on 2 cores, a batch once went unacknowledged for the producer's default of 2 minutes after the broker was
     * frozen for 15 s, and the feed, not the job, failed the test.
     */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(4);

    private final List<byte[]> records;
    private final Duration over;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    private LiveFeed(LookoutConfig config, List<byte[]> records, Duration over) {
        this.records = records;
        this.over = over;
        this.thread = new Thread(() -> feed(config, over), "live-feed-" + config.topicPrefix());
        thread.setDaemon(true);
    }

    /** Starts feeding {@code records} to {@code config}'s topics, evenly over {@code over}. */
    static LiveFeed start(LookoutConfig config, List<byte[]> records, Duration over) {
        LiveFeed feed = new LiveFeed(config, records, over);
        feed.thread.start();
        return feed;
    }

    /** Publishes {@code records} to {@code config}'s topics at once, placed as every live feed of them places them. */
    static void publishAll(LookoutConfig config, List<byte[]> records) throws Exception {
        try (LiveFeed feed = start(config, records, Duration.ZERO)) {
            feed.awaitEnd();
        }
    }

    private void feed(LookoutConfig config, Duration over) {
        ContractRouter router = new ContractRouter();
        long start = System.nanoTime();
        long nanosPerRecord = over.toNanos() / records.size();
        Future<RecordMetadata> last = null;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records.size(); i++) {
                long wait = start + i * nanosPerRecord - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                ContractRouter.Routed routed = router.route(records.get(i));
                int partition = Math.floorMod(Arrays.hashCode(records.get(i)), PARTITIONS);
                last = producer.send(new ProducerRecord<>(config.topic(routed.topicSuffix()), partition, null, routed.value()),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                sent.incrementAndGet();
            }
            producer.flush();
            if (last != null) {
                last.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            failure.compareAndSet(null, e.getCause());
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Whether the feed is still on: it has not yet handed its last record to the producer. */
    boolean feeding() {
        return thread.isAlive() && sent.get() < records.size();
    }

    /** Records handed to the producer so far. */
    int sent() {
        return sent.get();
    }

    /**
     * Waits until every record is written and acknowledged; fails if the feed failed. It waits longer than the
     * producer keeps offering a record, so that a record given up says why.
     */
    void awaitEnd() throws InterruptedException {
        Duration timeout = over.plus(DELIVERY_TIMEOUT).plusSeconds(30);
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("the feed had sent " + sent.get() + " of " + records.size() + " records after "
                    + timeout.toSeconds() + " s");
        }
        if (failure.get() != null) {
            throw new AssertionError("the feed failed after " + sent.get() + " records", failure.get());
        }
    }

    /** Stops the feed if it is still on (a test that failed before its end). */
    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(Duration.ofSeconds(30).toMillis());
    }
}
