package lookout.detect;

import java.time.LocalDate;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

import lookout.aggregate.BatchTies;
import lookout.schema.Alert;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.DetectorAlarm;

/** Wires the space-time scan: the alerting signals' events and their daily verdicts' expectations, per signal. */
final class ClusterScans {
    private ClusterScans() {}

    static DataStream<Alert> attach(DataStream<DeidentifiedEvent> events, DataStream<DetectorAlarm> verdicts,
            DetectionSettings settings, ScanSettings scan) {
        DataStream<ScanInput> counted = events
                .filter(e -> settings.alertSignals().contains(e.getSignal()))
                .map(e -> ScanInput.event(e.getAreaId(), e.getSignal(), e.getOccurredMinute()))
                .returns(TypeInformation.of(ScanInput.class))
                .name("events-for-scan");
        DataStream<ScanInput> expected = verdicts
                .filter(v -> v.getMethod().equals(settings.alertMethod()) && v.getExpected() != null
                        && settings.alertSignals().contains(v.getSignal()))
                .map(v -> ScanInput.expectation(v.getAreaId(), v.getSignal(), LocalDate.parse(v.getDay()).toEpochDay(),
                        v.getExpected()))
                .returns(TypeInformation.of(ScanInput.class))
                .name("expectations-for-scan");
        return counted.union(expected)
                .keyBy(in -> in.signal)
                .process(new ClusterScanDetector(settings, scan,
                        BatchTies.isBatch(BatchTies.modeOf(events), "the space-time scan")))
                .returns(TypeInformation.of(Alert.class))
                .name("scan-clusters")
                .uid("scan-clusters");
    }
}
