package lookout.detect;

import java.util.Set;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import lookout.aggregate.BatchTies;
import lookout.kernel.Signal;
import lookout.schema.Alert;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.DetectorAlarm;

/**
 * Wires the detectors onto the spine's de-identified, deduplicated events. Every count detector reads the event's
 * {@link AreaEvent}, made once; what needs more of an event reads the whole one: the drug-checking novelty (its
 * substances), and the coroner's {@link CoronerConfirmation} and {@link ReportingDelayWatch} (a death's report
 * time). Every keyBy has a number for key ({@link DetectionKeys}): a backfill sorts each keyed input by its key, and
 * numbers sort by comparing a few bytes where strings need a comparison of variable length.
 */
public final class Detection {
    private Detection() {}

    /**
     * The detectors on {@code events}, with the space-time scan when {@code scan} is enabled, the area-keyed operators
     * keyed by {@code keys}: by the areas' hashes in a job that may restore state, by their places in a backfill that
     * knows its city's areas ({@link DetectionKeys.Scheme#of}).
     */
    public static DetectionStreams attach(DataStream<DeidentifiedEvent> events, DetectionSettings settings,
            ScanSettings scan, DetectionKeys.Scheme keys) {
        DetectionKeys.requireDistinct(settings.neighbours().keySet());
        DetectionKeys.requireDistinct(scan.scan().zones().areas());
        boolean batch = BatchTies.isBatch(BatchTies.modeOf(events), "detection");
        // At the events' own parallelism, so it chains to their operator: a rebalance here would interleave one
        // area's events from two subtasks out of time order, and days would be judged before all their events came.
        DataStream<AreaEvent> counted = events.map(AreaEvent::of, AreaEvent.TYPE).name("area events")
                .setParallelism(events.getParallelism());
        BroadcastStream<WatchedPeriod> watchingSince = counted
                .filter(new WatchingSince.EarlierThanSeen())
                .name("earliest event times")
                .keyBy(e -> DetectionKeys.signal(e.signalValue()), Types.BYTE)
                .process(new WatchingSince(settings.watchingSince()))
                .returns(TypeInformation.of(WatchedPeriod.class))
                .name("watching-since")
                .uid("watching-since")
                .broadcast(WatchingSince.BROADCAST);
        SingleOutputStreamOperator<DetectorAlarm> perArea = counted
                .keyBy(e -> keys.areaSignal(e.area(), e.signalValue()), keys.type())
                .connect(watchingSince)
                .process(new AreaSignalDetector(settings, batch))
                .returns(TypeInformation.of(DetectorAlarm.class))
                .name("detect-area-signal")
                .uid("detect-area-signal");
        DataStream<Alert> countAlerts = perArea.getSideOutput(AreaSignalDetector.ALERTS);

        DataStream<ToxicityInput> findings = events
                .filter(e -> Signal.DRUG_CHECKING.is(e.getSignal()))
                .name("drug-checking")
                .keyBy(e -> DetectionKeys.CITY, Types.BYTE)
                .process(new SubstanceNovelty(settings.watch(), settings.noveltyDays(), settings.neighbours(),
                        settings.zone()))
                .returns(TypeInformation.of(Finding.class))
                .name("substance-novelty")
                .uid("substance-novelty")
                .flatMap((Finding f, org.apache.flink.util.Collector<ToxicityInput> out) -> {
                    out.collect(ToxicityInput.finding(f));
                    for (String n : settings.neighbours().getOrDefault(f.foundInArea, Set.of())) {
                        out.collect(ToxicityInput.finding(f.routedTo(n)));
                    }
                })
                .returns(ToxicityInput.TYPE)
                .name("route-findings-to-neighbours");
        DataStream<ToxicityInput> overdoses = counted
                .filter(e -> e.is(Signal.PARAMEDIC) || e.is(Signal.NALOXONE))
                .map(e -> ToxicityInput.event(e.area(), e.minute(), e.signal()))
                .returns(ToxicityInput.TYPE)
                .name("overdoses-for-toxicity");
        DataStream<Alert> toxicityAlerts = overdoses.union(findings)
                .keyBy(in -> keys.area(in.area), keys.type())
                .connect(watchingSince)
                .process(new ToxicityDetector(settings, batch))
                .returns(TypeInformation.of(Alert.class))
                .name("detect-toxicity")
                .uid("detect-toxicity");
        // From the whole event, which has the report time; chained to the events' operator like the area events.
        DataStream<ConfirmationInput> deaths = events
                .filter(e -> Signal.CORONER.is(e.getSignal()))
                .setParallelism(events.getParallelism())
                .map(ConfirmationInput::coroner)
                .returns(TypeInformation.of(ConfirmationInput.class))
                .setParallelism(events.getParallelism())
                .name("coroner-reports");
        DataStream<Alert> perAreaAlerts = countAlerts.union(toxicityAlerts);
        if (scan.enabled()) {
            perAreaAlerts = perAreaAlerts.union(ClusterScans.attach(counted, perArea, countAlerts, settings, scan));
        }
        BroadcastStream<ReportingShares> coronerDelays = events
                .filter(e -> Signal.CORONER.is(e.getSignal()))
                .name("coroner-reports-for-delays")
                .keyBy(e -> DetectionKeys.signal(e.getSignal()), Types.BYTE)
                .process(new ReportingDelayWatch(settings.zone()))
                .returns(TypeInformation.of(ReportingShares.class))
                .name("coroner-reporting-delays")
                .uid("coroner-reporting-delays")
                .broadcast(CoronerConfirmation.SHARES);
        DataStream<Alert> alerts = perAreaAlerts
                .map(ConfirmationInput::alert)
                .returns(TypeInformation.of(ConfirmationInput.class))
                .name("alerts-for-confirmation")
                .union(deaths)
                .keyBy(in -> keys.area(in.area), keys.type())
                .connect(coronerDelays)
                .process(new CoronerConfirmation(settings.zone()))
                .returns(TypeInformation.of(Alert.class))
                .name("coroner-confirmation")
                .uid("coroner-confirmation");
        return new DetectionStreams(perArea, alerts);
    }
}
