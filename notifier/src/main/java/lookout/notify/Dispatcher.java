package lookout.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Delivers a lifecycle step to every channel it concerns, each at most once: a key ({@link AlertStep#deliveryKey})
 * with a final outcome in the store is never sent again, so a restart or a replayed topic sends nothing twice.
 * Channels are served in parallel; a retryable failure is held and tried again after a backoff that doubles, up
 * to the configured attempts, then recorded undeliverable with its reason code.
 *
 * <p>Quiet hours and the per-channel rate limit hold a message instead of sending it. When held messages come
 * due, only the latest step of each alert is sent per channel and the earlier ones are recorded as merged; an
 * alert that opened and closed while held sends nothing. An all-clear goes only to channels that were told of
 * the alert, and is never held by the rate limit, so nobody is left believing an alert is still on.
 */
public final class Dispatcher {
    private static final long HOUR = 3_600_000L;

    private final Subscriptions subscriptions;
    private final NotifierStore store;
    private final Messages messages;
    private final AreaNames areaNames;
    private final Map<Channel.Kind, Sender> senders;
    private final ExecutorService pool;
    private final Clock clock;
    private final ZoneId zone;
    private final int attempts;
    private final Duration backoff;
    private final int ratePerHour;
    private final AreaNeighbours neighbours;
    private final LocalTime digestTime;

    /** Without neighbours, with digests at the default time (tests of immediate messages). */
    public Dispatcher(Subscriptions subscriptions, NotifierStore store, Messages messages, AreaNames areaNames,
            Map<Channel.Kind, Sender> senders, ExecutorService pool, Clock clock, ZoneId zone, int attempts,
            Duration backoff, int ratePerHour) {
        this(subscriptions, store, messages, areaNames, senders, pool, clock, zone, attempts, backoff, ratePerHour,
                AreaNeighbours.NONE, NotifierConfig.DEFAULT_DIGEST_TIME);
    }

    /**
     * @param neighbours which areas share a border, for subscriptions to an area and its neighbours
     * @param digestTime when, in {@code zone}, the daily digests are due
     */
    public Dispatcher(Subscriptions subscriptions, NotifierStore store, Messages messages, AreaNames areaNames,
            Map<Channel.Kind, Sender> senders, ExecutorService pool, Clock clock, ZoneId zone, int attempts,
            Duration backoff, int ratePerHour, AreaNeighbours neighbours, LocalTime digestTime) {
        this.neighbours = neighbours;
        this.digestTime = digestTime;
        this.subscriptions = subscriptions;
        this.store = store;
        this.messages = messages;
        this.areaNames = areaNames;
        this.senders = new EnumMap<>(senders);
        this.pool = pool;
        this.clock = clock;
        this.zone = zone;
        this.attempts = attempts;
        this.backoff = backoff;
        this.ratePerHour = ratePerHour;
    }

    /** Sends, holds or skips the step's message for every channel; returns when each has its outcome. */
    public void dispatch(AlertStep step) {
        dispatch(step, false);
    }

    /**
     * As {@link #dispatch(AlertStep)}, for a step of the history a consumer group reads when it has no offsets
     * ({@link CatchUp}): only to the channels that already have a message about the alert (offsets lost after it
     * was told), so that they hear of its worsening and its all-clear; nobody else hears of it from the history.
     */
    public void dispatchHistory(AlertStep step) {
        dispatch(step, true);
    }

    private void dispatch(AlertStep step, boolean toldOnly) {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (Subscriber s : subscriptions.current()) {
            // Those the alert tier concerns were told at its opening; the count reaching k is news to the public only.
            if (step.kind() == AlertStep.Kind.COUNTED && !s.publicTier() || !concerns(s, step)) {
                continue;
            }
            for (Channel c : s.channels()) {
                if (store.isFinal(step.deliveryKey(c)) || toldOnly && !store.recorded(step.spikeId(), c.id())) {
                    continue;
                }
                if (step.kind() == AlertStep.Kind.CLOSED && !store.delivered(step.spikeId(), c.id())
                        && !store.keptForDigest(step.spikeId(), c.id())) {
                    // Never told of the alert: nothing to clear. What is held of it will not be sent either.
                    if (mergeHeld(step.spikeId(), c.id())) {
                        store.record(new Delivery(step.deliveryKey(c), step.spikeId(), step.code(), c.id(),
                                Delivery.Outcome.MERGED, null, 0, clock.millis(), 0));
                    }
                    continue;
                }
                running.add(CompletableFuture.runAsync(() -> deliverOrHold(s, c, step), pool));
            }
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * Tells every channel of the open alerts that concern it and that it has no message about: a subscriber added
     * after an alert opened, or every subscriber of a notifier that read the topic's history without sending it.
     * Each is sent (or held, or kept for a digest) as the alert's latest step, under that step's key.
     *
     * @param open the latest step of each open alert ({@link Lifecycle#openSteps})
     * @return the alerts told to at least one channel, each with how many channels
     */
    public Map<AlertStep, Integer> tellOpen(List<AlertStep> open) {
        Map<AlertStep, Integer> told = new LinkedHashMap<>();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (Subscriber s : subscriptions.current()) {
            List<AlertStep> concerning = open.stream().filter(step -> concerns(s, step)).toList();
            for (Channel c : s.channels()) {
                List<AlertStep> untold = concerning.stream()
                        .filter(step -> !store.recorded(step.spikeId(), c.id())).toList();
                untold.forEach(step -> told.merge(step, 1, Integer::sum));
                if (!untold.isEmpty()) {
                    // One channel's alerts one after the other, so that its rate limit is counted right.
                    running.add(CompletableFuture.runAsync(() -> untold.forEach(step -> deliverOrHold(s, c, step)),
                            pool));
                }
            }
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
        return told;
    }

    /**
     * Sends (or merges) the held messages whose time has come: channels in parallel, and one channel's alerts one
     * after the other, so that its rate limit is counted right.
     */
    public void releaseDue(List<AlertStep> steps) {
        long now = clock.millis();
        Map<String, Map<String, List<Delivery>>> due = new LinkedHashMap<>();
        for (Delivery d : store.held()) {
            if (d.until() <= now && !Digest.isKey(d.key())) {
                due.computeIfAbsent(d.channel(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(d.spikeId(), k -> new ArrayList<>()).add(d);
            }
        }
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (Map<String, List<Delivery>> channel : due.values()) {
            running.add(CompletableFuture.runAsync(() -> channel.values().forEach(group -> release(group, steps)), pool));
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    }

    private void release(List<Delivery> group, List<AlertStep> steps) {
        Delivery first = group.get(0);
        Optional<Subscriber> subscriber = subscriptions.current().stream()
                .filter(s -> s.channels().stream().anyMatch(c -> c.id().equals(first.channel()))).findFirst();
        List<AlertStep> held = new ArrayList<>();
        for (Delivery d : group) {
            steps.stream().filter(st -> st.spikeId().equals(d.spikeId()) && st.code().equals(d.step()))
                    .findFirst().ifPresent(held::add);
        }
        held.sort(Comparator.comparing(AlertStep::kind).thenComparing(AlertStep::severity));
        if (subscriber.isEmpty() || held.isEmpty()) {
            // The subscriber was deleted, or the step was never journaled: nothing can be sent any more.
            group.forEach(d -> store.record(outcome(d, Delivery.Outcome.MERGED, "subscriber_gone", 0)));
            return;
        }
        AlertStep last = held.get(held.size() - 1);
        Channel channel = subscriber.get().channels().stream().filter(c -> c.id().equals(first.channel()))
                .findFirst().orElseThrow();
        boolean nothingToTell = last.kind() == AlertStep.Kind.CLOSED && !store.delivered(last.spikeId(), channel.id());
        for (Delivery d : group) {
            if (nothingToTell || !d.step().equals(last.code())) {
                store.record(outcome(d, Delivery.Outcome.MERGED, null, 0));
            }
        }
        if (!nothingToTell) {
            deliverOrHold(subscriber.get(), channel, last);
        }
    }

    private boolean concerns(Subscriber s, AlertStep step) {
        if (s.publicTier() && !isPublicNews(s, step)) {
            return false;
        }
        return step.kind() == AlertStep.Kind.CLOSED
                || s.wants(step.areaId(), step.signal(), step.severity(), neighbours)
                || step.zone().stream().anyMatch(area -> s.wants(area, step.signal(), step.severity(), neighbours));
    }

    /** Whether the subscriber is told this step in the public's words, without its count. */
    private boolean withoutCount(Subscriber s, AlertStep step) {
        return s.publicTier() || !toldOfWholeZone(s, step);
    }

    /**
     * Whether the subscriber is told of every area of a cluster alert's zone (of any other alert: true). A cluster's
     * count is its whole zone's, and less the counts of the subscriber's own areas it would give the other areas'
     * total, which may be below k: such a subscriber is told the cluster without its count.
     */
    private boolean toldOfWholeZone(Subscriber s, AlertStep step) {
        return step.zone().stream().allMatch(area -> s.wants(area, step.signal(), step.severity(), neighbours));
    }

    /**
     * Whether a subscriber nobody vouches for may hear of this step: as in the public feeds ({@link Feeds}), an alert
     * on a public signal from its first step of at least k events on, and its all-clear. Anyone can text
     * JOIN, so what such a subscriber is sent is published.
     */
    private boolean isPublicNews(Subscriber s, AlertStep step) {
        // An all-clear goes on to the dispatch, which sends it to a channel told of the alert and drops what is held
        // of it for the others: an opening held by the rate limit must not go out after the alert closed.
        return step.opensToThePublic() || step.isPublic() && (step.kind() == AlertStep.Kind.CLOSED
                || s.channels().stream().anyMatch(c -> store.delivered(step.spikeId(), c.id())));
    }

    /** Records every held message of this alert to this channel as merged; whether there was any. */
    private boolean mergeHeld(String spikeId, String channelId) {
        List<Delivery> held = heldOf(spikeId, channelId, null);
        held.forEach(d -> store.record(outcome(d, Delivery.Outcome.MERGED, null, 0)));
        return !held.isEmpty();
    }

    private List<Delivery> heldOf(String spikeId, String channelId, String exceptKey) {
        return store.held().stream().filter(d -> d.spikeId().equals(spikeId) && d.channel().equals(channelId)
                && !d.key().equals(exceptKey)).toList();
    }

    private void deliverOrHold(Subscriber s, Channel c, AlertStep step) {
        String key = step.deliveryKey(c);
        long now = clock.millis();
        if (!s.immediate()) {
            store.record(new Delivery(key, step.spikeId(), step.code(), c.id(), Delivery.Outcome.DIGEST, null, 0, now, 0));
            return;
        }
        long until = holdUntil(s, c, step, now);
        String reason = s.quietHours() != null && s.quietHours().contains(at(now)) ? "quiet_hours" : "rate_limit";
        List<Delivery> pending = heldOf(step.spikeId(), c.id(), key);
        if (!pending.isEmpty()) {
            // An earlier step of this alert is held for this channel: this one joins it, so they go (merged) in
            // order; if that one is already due, this later step replaces it now.
            Delivery last = pending.stream().max(Comparator.comparingLong(Delivery::until)).orElseThrow();
            if (last.until() > until) {
                until = last.until();
                reason = last.reason();
            } else if (last.until() <= now) {
                mergeHeld(step.spikeId(), c.id());
            }
        }
        Delivery earlier = store.latest(key);
        int attemptsMade = earlier == null ? 0 : earlier.attempts();
        if (until > now) {
            if (earlier == null || earlier.outcome() != Delivery.Outcome.HELD || earlier.until() != until) {
                store.record(new Delivery(key, step.spikeId(), step.code(), c.id(), Delivery.Outcome.HELD, reason,
                        attemptsMade, now, until));
            }
            return;
        }
        if (step.kind() == AlertStep.Kind.CLOSED) {
            // The all-clear says the last word on the alert; what is still held of it would only confuse.
            mergeHeld(step.spikeId(), c.id());
        }
        send(s, c, step, key, attemptsMade + 1);
    }

    /** When the message may go: now, the end of the quiet hours, or when the rate limit's hour frees a slot. */
    private long holdUntil(Subscriber s, Channel c, AlertStep step, long now) {
        if (s.quietHours() != null && s.quietHours().contains(at(now))) {
            return s.quietHours().end(at(now)).toInstant().toEpochMilli();
        }
        if (step.kind() == AlertStep.Kind.CLOSED) {
            return now;
        }
        List<Long> lastHour = store.deliveredSince(c.id(), now - HOUR + 1);
        if (lastHour.size() < ratePerHour) {
            return now;
        }
        return lastHour.get(lastHour.size() - ratePerHour) + HOUR;
    }

    /**
     * One attempt. A failure that may pass is held for a retry after the backoff (doubled per attempt made), so a
     * receiver that is down delays only its own messages; the last allowed attempt's failure is final.
     */
    private void send(Subscriber s, Channel c, AlertStep step, String key, int attempt) {
        String area = areaNames.name(step.areaId());
        boolean countless = withoutCount(s, step);
        Message message = countless ? messages.composePublic(step, area, s.language())
                : messages.compose(step, area, s.language());
        AlertStep told = countless ? step.withoutCount() : step;
        Sender sender = senders.get(c.kind());
        if (sender == null) {
            store.record(new Delivery(key, step.spikeId(), step.code(), c.id(), Delivery.Outcome.UNDELIVERABLE,
                    "channel_not_configured", 0, clock.millis(), 0));
            return;
        }
        try {
            sender.send(c, message, told, s);
            store.record(new Delivery(key, step.spikeId(), step.code(), c.id(), Delivery.Outcome.DELIVERED, null,
                    attempt, clock.millis(), 0));
        } catch (DeliveryFailure f) {
            failed(new Delivery(key, step.spikeId(), step.code(), c.id(), null, f.reason(), attempt, 0, 0), f);
        }
    }

    /** Records a failed attempt: held for a retry after the doubled backoff, or undeliverable when it is final. */
    private void failed(Delivery attempt, DeliveryFailure f) {
        long now = clock.millis();
        if (f.retryable() && attempt.attempts() < attempts) {
            long wait = backoff.toMillis() << Math.min(attempt.attempts() - 1, 30);
            store.record(new Delivery(attempt.key(), attempt.spikeId(), attempt.step(), attempt.channel(),
                    Delivery.Outcome.HELD, f.reason(), attempt.attempts(), now, now + wait));
        } else {
            store.record(new Delivery(attempt.key(), attempt.spikeId(), attempt.step(), attempt.channel(),
                    Delivery.Outcome.UNDELIVERABLE, f.reason(), attempt.attempts(), now, 0));
        }
    }

    /**
     * Sends the digest that is due (the latest digest time has passed) to every channel of every digest
     * subscriber that has not had it, in parallel; a channel with nothing kept since its previous digest gets none.
     */
    public void sendDigests() {
        LocalDate day = digestDay(clock.millis());
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (Subscriber s : subscriptions.current()) {
            if (s.immediate()) {
                continue;
            }
            for (Channel c : s.channels()) {
                if (!store.isFinal(Digest.key(day, c))) {
                    running.add(CompletableFuture.runAsync(() -> digest(s, c, day), pool));
                }
            }
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * One channel's digest of {@code day}: the steps kept from the previous digest's time (that of the last day
     * whose digest went or was given up, else the day before) to this day's. A digest still held for an earlier
     * day (retries not yet done) is merged into this one, whose period covers it.
     */
    private void digest(Subscriber s, Channel c, LocalDate day) {
        String key = Digest.key(day, c);
        long now = clock.millis();
        Delivery earlier = store.latest(key);
        if (earlier != null && earlier.until() > now) {
            return;
        }
        for (Delivery d : store.held()) {
            if (Digest.isKey(d.key()) && d.channel().equals(c.id()) && !d.key().equals(key)) {
                store.record(outcome(d, Delivery.Outcome.MERGED, null, d.attempts()));
            }
        }
        long since = digestInstant(store.lastDigest(c.id(), day).orElse(day.minusDays(1)));
        List<Delivery> keptSince = store.keptForDigest(c.id(), since, digestInstant(day));
        if (keptSince.isEmpty()) {
            return;
        }
        List<AlertStep> journal = store.steps();
        List<AlertStep> kept = new ArrayList<>();
        for (Delivery d : keptSince) {
            journal.stream().filter(st -> st.spikeId().equals(d.spikeId()) && st.code().equals(d.step()))
                    .findFirst().ifPresent(kept::add);
        }
        if (kept.isEmpty()) {
            return;
        }
        int attemptsMade = earlier == null ? 0 : earlier.attempts();
        if (s.quietHours() != null && s.quietHours().contains(at(now))) {
            long until = s.quietHours().end(at(now)).toInstant().toEpochMilli();
            store.record(new Delivery(key, "", Digest.STEP, c.id(), Delivery.Outcome.HELD, "quiet_hours",
                    attemptsMade, now, until));
            return;
        }
        Digest digest = messages.digest(day, kept, areaNames::name, s.language(), since, step -> withoutCount(s, step));
        int attempt = attemptsMade + 1;
        Sender sender = senders.get(c.kind());
        try {
            if (sender == null) {
                throw new DeliveryFailure("channel_not_configured", false);
            }
            sender.sendDigest(c, digest, s);
            store.record(new Delivery(key, "", Digest.STEP, c.id(), Delivery.Outcome.DELIVERED, null, attempt,
                    clock.millis(), 0));
        } catch (DeliveryFailure f) {
            failed(new Delivery(key, "", Digest.STEP, c.id(), null, f.reason(), attempt, 0, 0), f);
        }
    }

    /** The day of the latest digest time at or before {@code millis}. */
    private LocalDate digestDay(long millis) {
        LocalDate today = at(millis).toLocalDate();
        return digestInstant(today) <= millis ? today : today.minusDays(1);
    }

    private long digestInstant(LocalDate day) {
        return day.atTime(digestTime).atZone(zone).toInstant().toEpochMilli();
    }

    private ZonedDateTime at(long millis) {
        return Instant.ofEpochMilli(millis).atZone(zone);
    }

    private Delivery outcome(Delivery d, Delivery.Outcome outcome, String reason, int attempts) {
        return new Delivery(d.key(), d.spikeId(), d.step(), d.channel(), outcome, reason, attempts, clock.millis(), 0);
    }
}
