package lookout.notify;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The history of the alerts topic that a consumer group finds when it first reads it: for each assigned partition
 * the group has no committed offset for, the records before the partition's end at that moment. A notifier reads
 * them as history: journal and feeds, and messages only to channels told of the alert before
 * ({@link Dispatcher#dispatchHistory}). Alerts long closed are no news, and nobody should get an all-clear seconds
 * after an alert they were never told of. What is still open at the end is told by {@link Dispatcher#tellOpen}.
 */
final class CatchUp {
    /** How long one poll waits for a partition's position (a paused one may need the broker's committed offset). */
    private static final Duration POSITION_WAIT = Duration.ofSeconds(5);
    /** Per partition being caught up: the offset where its history ends. */
    private final Map<TopicPartition, Long> ends = new HashMap<>();
    private int records;
    private int steps;

    /**
     * Partitions assigned: those without a committed offset are caught up to their current end. A broker that does
     * not answer in time leaves them read as before this existed (from the group's offsets, or the topic's start).
     */
    void assigned(Consumer<?, ?> consumer, List<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            Set<TopicPartition> fresh = new HashSet<>();
            for (TopicPartition p : partitions) {
                if (committed.get(p) == null) {
                    fresh.add(p);
                }
            }
            if (!fresh.isEmpty()) {
                consumer.endOffsets(fresh).forEach((p, end) -> {
                    if (end > 0) {
                        ends.put(p, end);
                    }
                });
            }
        } catch (TimeoutException e) {
            // Thrown from a rebalance listener it would end the poll, and the notifier, with a stack trace.
        }
    }

    void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(ends::remove);
    }

    /** Whether this record, just read, is part of a history being caught up (and if so, counts it). */
    boolean readHistory(ConsumerRecord<?, ?> r) {
        Long end = ends.get(new TopicPartition(r.topic(), r.partition()));
        boolean history = end != null && r.offset() < end;
        if (history) {
            records++;
        }
        return history;
    }

    /** Counts a lifecycle step taken from the history. */
    void stepRead() {
        steps++;
    }

    /**
     * Forgets the partitions whose history has been read (the consumer's position is at or past its end); one whose
     * position the broker does not give in time is asked again at the next poll.
     */
    void advance(Consumer<?, ?> consumer) {
        ends.entrySet().removeIf(e -> {
            try {
                return consumer.position(e.getKey(), POSITION_WAIT) >= e.getValue();
            } catch (TimeoutException notYet) {
                return false;
            }
        });
    }

    boolean running() {
        return !ends.isEmpty();
    }

    /** What was read as history so far, for the operator's log. */
    String summary() {
        return records + " record(s), " + steps + " new lifecycle step(s)";
    }
}
