package lookout.ingest;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalDouble;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import lookout.schema.FeedHealth;
import lookout.schema.FeedObservation;
import lookout.schema.IngestResult;

/**
 * Feed health per source (key: the source's code), in processing time, so it runs in STREAMING only: a backfill
 * reads files delivered long ago as fast as it can, where the time between records says nothing about a feed.
 * It learns each source's usual gap between accepted records by hour of the week ({@link UsualGap}), keeps the
 * dead-letter share and the mean reporting delay over the recent window in slots of a twelfth of it, and emits a
 * {@link FeedHealth} snapshot when an episode opens (silent or bad) and when it ends. State per source: 168 hours'
 * gaps, at most 13 slots and the two open episodes, whatever the number of records.
 *
 * <p>One timer per source at a time: it fires at the earliest moment the source could be silent and, if a record
 * came meanwhile, moves to the new deadline. The same figures are Flink gauges per source (group {@code source}):
 * {@value #SECONDS_SINCE_LAST_RECORD}, {@value #USUAL_GAP_SECONDS}, {@value #DEAD_LETTER_SHARE} and
 * {@value #REPORT_DELAY_SECONDS}, NaN while unknown (after a restore, until the source's next record or timer).
 */
public final class FeedWatch extends KeyedProcessFunction<String, FeedObservation, FeedHealth> {
    private static final long serialVersionUID = 1L;
    public static final String METRIC_GROUP = "source";
    public static final String SECONDS_SINCE_LAST_RECORD = "secondsSinceLastRecord";
    public static final String USUAL_GAP_SECONDS = "usualGapSeconds";
    public static final String DEAD_LETTER_SHARE = "deadLetterShare";
    public static final String REPORT_DELAY_SECONDS = "reportDelaySeconds";
    public static final String SILENT = "silent";
    public static final String BAD = "bad";
    private static final int SLOTS = 12;
    private static final int RECORDS = 0;
    private static final int DEAD = 1;
    private static final int DELAY_SUM = 2;
    private static final int DELAYS = 3;
    /** A record reported longer ago than this when it arrives is part of a backlog being caught up. */
    static final long CATCH_UP_MS = 3_600_000;
    /** How long the usual gap shown by the gauge may be reused before it is worked out again on a record. */
    private static final long GAUGE_REFRESH_MS = 60_000;

    private final FeedSettings settings;
    private transient UsualGap rule;
    private transient ValueState<Long> lastAccepted;
    private transient MapState<Integer, UsualGap.Gaps> gaps;
    private transient MapState<Long, long[]> slots;
    private transient ValueState<Long> timer;
    private transient ValueState<FeedHealth> silent;
    private transient ValueState<FeedHealth> bad;
    /** What the gauges read, per source; written by the task thread, read by the metric reporter's. */
    private transient Map<Source, Figures> figures;

    /** The latest figures of one source, for its gauges. */
    static final class Figures {
        volatile long lastAccepted = -1;
        volatile double usualMillis = Double.NaN;
        volatile long usualAt = Long.MIN_VALUE;
        volatile double share = Double.NaN;
        volatile double delayMillis = Double.NaN;
    }

    public FeedWatch(FeedSettings settings) {
        this.settings = settings;
    }

    /** What feed health needs of an ingested record, or null for one of no known source or a skipped line. */
    public static FeedObservation observe(IngestResult in) {
        if (in.getEvent() != null) {
            Long reported = in.getEvent().getReportedMinute();
            return new FeedObservation(in.getEvent().getSignal(), true,
                    reported == null ? null : reported - in.getEvent().getOccurredMinute(), reported);
        }
        if (in.getDeadLetter() != null && in.getDeadLetter().getSource() != null) {
            return new FeedObservation(in.getDeadLetter().getSource(), false, null, null);
        }
        return null;
    }

    @Override
    public void open(OpenContext ctx) {
        rule = settings.usualGap();
        lastAccepted = getRuntimeContext().getState(new ValueStateDescriptor<>("lastAccepted", Types.LONG));
        gaps = getRuntimeContext().getMapState(new MapStateDescriptor<>("gaps", Types.INT,
                TypeInformation.of(UsualGap.Gaps.class)));
        slots = getRuntimeContext().getMapState(new MapStateDescriptor<>("slots", Types.LONG,
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("timer", Types.LONG));
        silent = getRuntimeContext().getState(new ValueStateDescriptor<>(SILENT, new AvroTypeInfo<>(FeedHealth.class)));
        bad = getRuntimeContext().getState(new ValueStateDescriptor<>(BAD, new AvroTypeInfo<>(FeedHealth.class)));
        figures = new EnumMap<>(Source.class);
        for (Source s : Source.values()) {
            Figures f = new Figures();
            figures.put(s, f);
            MetricGroup g = getRuntimeContext().getMetricGroup().addGroup(METRIC_GROUP, s.code());
            g.gauge(SECONDS_SINCE_LAST_RECORD, (Gauge<Double>) () -> f.lastAccepted < 0 ? Double.NaN
                    : (System.currentTimeMillis() - f.lastAccepted) / 1000.0);
            g.gauge(USUAL_GAP_SECONDS, (Gauge<Double>) () -> f.usualMillis / 1000.0);
            g.gauge(DEAD_LETTER_SHARE, (Gauge<Double>) () -> f.share);
            g.gauge(REPORT_DELAY_SECONDS, (Gauge<Double>) () -> f.delayMillis / 1000.0);
        }
    }

    @Override
    public void processElement(FeedObservation in, Context ctx, Collector<FeedHealth> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        Window w = count(in, now);
        Figures f = figures(ctx.getCurrentKey());
        f.share = w.share();
        f.delayMillis = w.delayMillis();
        if (in.getAccepted()) {
            Long previous = lastAccepted.value();
            FeedHealth silence = silent.value();
            if (previous != null && silence == null && live(in, now)) {
                int hour = UsualGap.hourOfWeek(previous, settings.zone());
                UsualGap.Gaps g = gaps.get(hour);
                gaps.put(hour, (g == null ? new UsualGap.Gaps() : g).plus(now - previous));
            }
            lastAccepted.update(now);
            f.lastAccepted = now;
            if (now - f.usualAt > GAUGE_REFRESH_MS) {
                f.usualMillis = usual(now).orElse(Double.NaN);
                f.usualAt = now;
            }
            if (silence != null) {
                out.collect(ended(silence, now, w, f.usualMillis));
                silent.clear();
            }
        }
        judgeBad(ctx.getCurrentKey(), now, w, f, out);
        if (timer.value() == null) {
            schedule(ctx, now + rule.earliestSilenceMillis());
        }
    }

    @Override
    public void onTimer(long at, OnTimerContext ctx, Collector<FeedHealth> out) throws Exception {
        timer.clear();
        Long last = lastAccepted.value();
        if (last == null || silent.value() != null) {
            return;
        }
        Figures f = figures(ctx.getCurrentKey());
        OptionalDouble usual = usual(last);
        f.usualMillis = usual.orElse(Double.NaN);
        f.usualAt = at;
        if (usual.isEmpty()) {
            return; // too little history: the next accepted record schedules the next look
        }
        long deadline = last + rule.silenceAfterMillis(usual.getAsDouble());
        if (at < deadline) {
            schedule(ctx, deadline);
            return;
        }
        Window w = window(at);
        f.share = w.share();
        f.delayMillis = w.delayMillis();
        FeedHealth opened = snapshot(ctx.getCurrentKey(), SILENT, last, at, last, usual.getAsDouble(), w);
        silent.update(opened);
        out.collect(opened);
    }

    private void judgeBad(String source, long now, Window w, Figures f, Collector<FeedHealth> out) throws Exception {
        FeedHealth open = bad.value();
        boolean isBad = w.records() > 0 && w.share() > settings.badShare();
        if (open == null && isBad && w.records() >= settings.badMinRecords()) {
            FeedHealth opened = snapshot(source, BAD, now, now, lastAccepted.value(), f.usualMillis, w);
            bad.update(opened);
            out.collect(opened);
        } else if (open != null && !isBad) {
            out.collect(ended(open, now, w, f.usualMillis));
            bad.clear();
        }
    }

    /**
     * Whether the record came at the feed's own pace: reported at most {@link #CATCH_UP_MS} before it arrived. A
     * job catching up a backlog reads old records back to back; those gaps are the job's, not the feed's, and are
     * not learned.
     */
    private static boolean live(FeedObservation in, long now) {
        return in.getReportedMinute() == null || now - in.getReportedMinute() <= CATCH_UP_MS;
    }

    private void schedule(Context ctx, long at) throws Exception {
        ctx.timerService().registerProcessingTimeTimer(at);
        timer.update(at);
    }

    private OptionalDouble usual(long gapStart) throws Exception {
        int hour = UsualGap.hourOfWeek(gapStart, settings.zone());
        Map<Integer, UsualGap.Gaps> known = new HashMap<>();
        for (Map.Entry<Integer, UsualGap.Gaps> e : gaps.entries()) {
            known.put(e.getKey(), e.getValue());
        }
        return rule.usualMillis(hour, known::get);
    }

    private Figures figures(String source) {
        return figures.get(Source.fromCode(source).orElseThrow());
    }

    /** The snapshot that ends {@code open} at {@code now}, with the figures of the moment. */
    private FeedHealth ended(FeedHealth open, long now, Window w, double usualMillis) throws Exception {
        FeedHealth closed = snapshot(open.getSource(), open.getStatus(), open.getSince(), now, lastAccepted.value(),
                usualMillis, w);
        closed.setEpisodeId(open.getEpisodeId());
        closed.setUntil(now);
        return closed;
    }

    private static FeedHealth snapshot(String source, String status, long since, long now, Long last,
            double usualMillis, Window w) {
        return FeedHealth.newBuilder()
                .setEpisodeId(source + "-" + status + "-" + since)
                .setSource(source)
                .setStatus(status)
                .setSince(since)
                .setUpdatedAt(now)
                .setSecondsSinceLastRecord(last == null ? null : (now - last) / 1000.0)
                .setUsualGapSeconds(Double.isNaN(usualMillis) ? null : usualMillis / 1000.0)
                .setDeadLetterShare(w.records() == 0 ? null : w.share())
                .setReportDelaySeconds(w.delays() == 0 ? null : w.delayMillis() / 1000.0)
                .build();
    }

    /** The record counted in its slot; returns the window's totals as of {@code now}. */
    private Window count(FeedObservation in, long now) throws Exception {
        long slot = now - Math.floorMod(now, slotMillis());
        long[] c = slots.get(slot);
        if (c == null) {
            c = new long[4];
        }
        c[RECORDS]++;
        if (!in.getAccepted()) {
            c[DEAD]++;
        } else if (in.getReportDelayMillis() != null) {
            c[DELAY_SUM] += in.getReportDelayMillis();
            c[DELAYS]++;
        }
        slots.put(slot, c);
        return window(now);
    }

    /** Totals of the slots within the window ending at {@code now}; older slots are dropped. */
    private Window window(long now) throws Exception {
        long oldest = now - settings.window();
        long[] sum = new long[4];
        for (Iterator<Map.Entry<Long, long[]>> it = slots.iterator(); it.hasNext(); ) {
            Map.Entry<Long, long[]> e = it.next();
            if (e.getKey() + slotMillis() <= oldest) {
                it.remove();
            } else {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += e.getValue()[i];
                }
            }
        }
        return new Window(sum[RECORDS], sum[DEAD], sum[DELAY_SUM], sum[DELAYS]);
    }

    private long slotMillis() {
        return Math.max(1, settings.window() / SLOTS);
    }

    /** A window's totals. */
    record Window(long records, long deadLetters, long delaySumMillis, long delays) {
        double share() {
            return records == 0 ? Double.NaN : (double) deadLetters / records;
        }

        double delayMillis() {
            return delays == 0 ? Double.NaN : (double) delaySumMillis / delays;
        }
    }
}
