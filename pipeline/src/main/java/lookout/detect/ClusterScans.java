package lookout.detect;

import java.time.LocalDate;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

import lookout.aggregate.BatchTies;
import lookout.schema.Alert;
import lookout.schema.DetectorAlarm;

/** Wires the space-time scan: the alerting signals' events and their daily verdicts' expectations, per signal. */
final class ClusterScans {
    private ClusterScans() {}

    /**
     * @param perAreaAlerts the snapshots of the areas' own count alerts: the days they fired on no longer count
     *                      toward a cluster
     */
    static DataStream<Alert> attach(DataStream<AreaEvent> events, DataStream<DetectorAlarm> verdicts,
            DataStream<Alert> perAreaAlerts, DetectionSettings settings, ScanSettings scan) {
        DataStream<ScanInput> counted = events
                .filter(e -> settings.alertSignals().contains(e.signal()))
                .map(e -> ScanInput.event(e.area(), e.signal(), e.minute()))
                .returns(ScanInput.TYPE)
                .name("events-for-scan");
        DataStream<ScanInput> expected = verdicts
                .filter(v -> v.getMethod().equals(settings.alertMethod()) && v.getExpected() != null
                        && settings.alertSignals().contains(v.getSignal()))
                .map(v -> ScanInput.expectation(v.getAreaId(), v.getSignal(), LocalDate.parse(v.getDay()).toEpochDay(),
                        v.getExpected()))
                .returns(ScanInput.TYPE)
                .name("expectations-for-scan");
        DataStream<ScanInput> alerted = perAreaAlerts
                .filter(a -> !a.getStatus().equals(lookout.kernel.AlertStatus.CLOSED.code()))
                .map(a -> ScanInput.alerted(a.getAreaId(), a.getSignal(),
                        new DayClock(settings.zone()).dayOf(a.getUpdatedAt())))
                .returns(ScanInput.TYPE)
                .name("area-alerts-for-scan");
        return counted.union(expected, alerted)
                .keyBy(in -> DetectionKeys.signal(in.signal), Types.BYTE)
                .process(new ClusterScanDetector(settings, scan,
                        BatchTies.isBatch(BatchTies.modeOf(events), "the space-time scan")))
                .returns(TypeInformation.of(Alert.class))
                .name("scan-clusters")
                .uid("scan-clusters");
    }
}
