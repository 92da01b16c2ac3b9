package lookout.job;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.Collector;

import lookout.aggregate.BatchTies;
import lookout.aggregate.CombineIncrements;
import lookout.aggregate.CountedEvent;
import lookout.aggregate.Deduplicate;
import lookout.aggregate.TimeBuckets;
import lookout.config.LookoutConfig;
import lookout.detect.Detection;
import lookout.detect.DetectionKeys;
import lookout.detect.DetectionSettings;
import lookout.detect.DetectionStreams;
import lookout.detect.ScanSettings;
import lookout.detect.SubstanceChange;
import lookout.detect.SubstanceWatch;
import lookout.geo.AreaAdjacency;
import lookout.geo.AreaIndex;
import lookout.geo.Boundaries;
import lookout.ingest.FeedSettings;
import lookout.ingest.EventSerializer;
import lookout.ingest.FeedWatch;
import lookout.kernel.UsageException;
import lookout.ingest.RouteIngested;
import lookout.link.OverdoseLinker;
import lookout.schema.Alert;
import lookout.schema.DeadLetter;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.FeedHealth;
import lookout.schema.FeedObservation;
import lookout.schema.IngestResult;
import lookout.schema.TableRow;
import lookout.sink.PublishedAreas;
import lookout.sink.TableRowSerializer;

/**
 * The one job graph of every mode: streaming from Kafka, backfill from files, and the tests. Sources and
 * sinks are injected; everything between them is here, in the order the data flows.
 */
public final class LookoutJob {
    /**
     * Where a mode sends the results: the tables; the refused records with their raw bytes; the alerts for the
     * notification topic. The tables' output is made once the job has read its boundaries, and is given the
     * areas' names and web shapes for the {@code areas} and {@code area_shapes} tables.
     */
    public record Outputs(Function<PublishedAreas, Output<TableRow>> tables,
            Output<DeadLetter> restrictedDeadLetters, Output<Alert> alerts, Output<FeedHealth> feedHealth) {
        /** Outputs without a feed-health topic (its episodes still reach the tables). */
        public Outputs(Function<PublishedAreas, Output<TableRow>> tables, Output<DeadLetter> restrictedDeadLetters,
                Output<Alert> alerts) {
            this(tables, restrictedDeadLetters, alerts, Output.nothing());
        }
    }

    private static final TypeInformation<TableRow> ROW = TableRowSerializer.TYPE;
    /** About a metre: real boundary files leave slivers between areas that share a street. */
    private static final double NEIGHBOUR_TOLERANCE_DEGREES = 1e-5;

    private LookoutJob() {}

    /** @param ingested records already parsed, validated and de-identified by the source (see lookout.ingest) */
    public static void build(DataStream<IngestResult> ingested, LookoutConfig config, Outputs outputs) {
        // Every operator here builds new records and never changes or keeps a record it is given (state keeps
        // what a keyed input deserialised for it), so chained operators can share one object instead of each
        // receiving a deep copy of the Avro record.
        ingested.getExecutionEnvironment().getConfig().enableObjectReuse();
        SingleOutputStreamOperator<DeidentifiedEvent> events = ingested
                .process(new RouteIngested(), EventSerializer.TYPE).name("route events and dead letters");
        DataStream<DeadLetter> deadLetters = events.getSideOutput(RouteIngested.DEAD_LETTERS);

        DataStream<DeidentifiedEvent> unique = Deduplicate.unique(events, config.dedupeHorizon());

        DataStream<CountedEvent> combined = OverdoseLinker.combined(unique, config.linkageWindow(),
                config.linkageMaxReportDelay());

        AreaIndex areas = Boundaries.load(config.boundaries());
        Map<String, Set<String>> neighbours = areas.neighbours(NEIGHBOUR_TOLERANCE_DEGREES);
        DetectionSettings settings = DetectionSettings.defaults(neighbours)
                .withZone(config.zone()).withLateness(config.maxOutOfOrderness().toMillis())
                .withWatchingSince(config.watchingSince().map(Instant::toEpochMilli).orElse(DetectionSettings.UNSET))
                .withWatch(watch(config.toxicity()), config.toxicity().noveltyDays());
        Map<String, Set<String>> adjacency = AreaAdjacency.of(areas);
        ScanSettings scan = ScanSettings.defaults(adjacency, areas.names());
        DetectionKeys.Scheme keys = DetectionKeys.Scheme.of(BatchTies.isBatch(BatchTies.modeOf(unique), "detection"),
                areas.names().keySet());
        DetectionStreams detection = Detection.attach(unique, settings, scan, keys);

        SubstanceWatch watch = settings.watch();
        DataStream<TableRow> cells = unique.map(CountedEvent::of, CountedEvent.TYPE).name("counted events")
                .union(combined)
                .partitionCustom(CombineIncrements.BY_AREA, CountedEvent::area)
                .transform("counts, reporting delays and substances summed per cell", ROW, new CombineIncrements(
                        new TimeBuckets(config.zone()), substance -> watch.match(substance).orElse(null)))
                .uid("combine-increments");

        DataStream<FeedHealth> feedHealth = feedHealth(ingested, config);

        DataStream<TableRow> rows = cells.union(
                feedHealth.map(f -> TableRow.newBuilder().setFeedHealth(f).build(), ROW).name("feed health rows"),
                deadLetters.map(d -> TableRow.newBuilder().setDeadLetter(withoutRawBytes(d)).build(), ROW)
                        .name("dead letter rows without raw bytes"),
                detection.alarms().map(a -> TableRow.newBuilder().setAlarm(a).build(), ROW).name("alarm rows"),
                detection.alerts().map(a -> TableRow.newBuilder().setAlert(a).build(), ROW).name("spike rows"));
        outputs.tables().apply(PublishedAreas.of(areas, adjacency)).attach(rows);
        outputs.restrictedDeadLetters().attach(deadLetters);
        outputs.alerts().attach(detection.alerts());
        outputs.feedHealth().attach(feedHealth);
    }

    /**
     * Feed health per source, in processing time: in STREAMING only (see {@link FeedWatch}); a BATCH run gets an
     * empty stream. One subtask holds every source, so each source's gauges come from one place.
     */
    private static DataStream<FeedHealth> feedHealth(DataStream<IngestResult> ingested, LookoutConfig config) {
        TypeInformation<FeedHealth> type = new AvroTypeInfo<>(FeedHealth.class);
        if (ingested.getExecutionEnvironment().getConfiguration().get(ExecutionOptions.RUNTIME_MODE)
                == RuntimeExecutionMode.BATCH) {
            return ingested.flatMap((IngestResult in, Collector<FeedHealth> out) -> {}, type)
                    .name("no feed health in batch");
        }
        SingleOutputStreamOperator<FeedObservation> observed = ingested
                .flatMap((IngestResult in, Collector<FeedObservation> out) -> {
                    FeedObservation o = FeedWatch.observe(in);
                    if (o != null) {
                        out.collect(o);
                    }
                }, new AvroTypeInfo<>(FeedObservation.class)).name("feed observations");
        return observed.keyBy(FeedObservation::getSource)
                .process(new FeedWatch(FeedSettings.of(config)), type)
                .name("feed health").uid("feed-health").setParallelism(1);
    }

    /** The configured watch list as the detectors use it; a name the vocabulary lacks stops with one line. */
    static SubstanceWatch watch(LookoutConfig.ToxicitySubstances t) {
        try {
            return new SubstanceWatch(t.watchList(), t.alwaysNotable(), new SubstanceChange(t.baselineDays(),
                    t.recentDays(), t.risingAlpha(), t.risingMinSamples()));
        } catch (IllegalArgumentException e) {
            throw new UsageException("config: detection.toxicity: " + e.getMessage());
        }
    }

    /** Raw bytes may hold identifiers: only the restricted topic gets them, never DuckDB or its checkpoints. */
    private static DeadLetter withoutRawBytes(DeadLetter d) {
        return DeadLetter.newBuilder(d).setRaw(null).build();
    }
}
