package lookout.detect;

import java.io.Serializable;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import lookout.kernel.AlertSignals;
import lookout.kernel.Signal;

/**
 * Everything the detection operators need, with the defaults documented in docs/DETECTION.md.
 *
 * @param zone               the zone whose calendar days the daily detectors count
 * @param analystDetectors   every daily method written to detector_alarms
 * @param alertMethod        the daily method whose alarms open alerts (one of analystDetectors)
 * @param intraday           the intraday early warning that also opens alerts
 * @param toxicity           the multi-signal toxicity rule
 * @param watch              the adulterant watch list
 * @param noveltyDays        a substance is new if first seen in the city within this many days
 * @param alertSignals       signals whose count alerts reach outreach (coroner is too late to gate alerts)
 * @param neighbours         area id to the ids of the areas bordering it
 * @param quietDaysToClose   whole days without a firing before an alert closes
 * @param stopAfterQuietDays zero-count days after which an area's daily timer chain stops until its next event
 * @param latenessMillis     how late an event may be and still count for its day (the spine's out-of-orderness)
 * @param watchingSince      epoch ms since which the job has watched the city, if before its first event
 *                           ({@code detection.watching_since}), else {@link #UNSET}: see {@link WatchingSince}
 */
public record DetectionSettings(ZoneId zone, List<DailyDetector> analystDetectors, String alertMethod,
        IntradayDetector intraday, ToxicityRule toxicity, SubstanceWatch watch, int noveltyDays,
        Set<String> alertSignals, Map<String, Set<String>> neighbours, int quietDaysToClose, int stopAfterQuietDays,
        long latenessMillis, long watchingSince) implements Serializable {
    /** No configured start: the city's history starts at the first event the job sees. */
    public static final long UNSET = Long.MAX_VALUE;

    public DetectionSettings {
        if (analystDetectors.stream().noneMatch(d -> d.method().equals(alertMethod))) {
            throw new IllegalArgumentException("the alert detector must be one of the analyst detectors");
        }
        analystDetectors = List.copyOf(analystDetectors);
        alertSignals = Set.copyOf(alertSignals);
        neighbours = Map.copyOf(neighbours);
    }

    /** Lookout's defaults: what outreach receives (see docs/DETECTION.md for the figures behind them). */
    public static DetectionSettings defaults(Map<String, Set<String>> neighbours) {
        return new DetectionSettings(ZoneId.of("America/Toronto"), DetectorCatalog.analystDetectors(),
                DetectorCatalog.alerting().method(),
                DetectorCatalog.intradayDefault(), DetectorCatalog.toxicityDefault(), SubstanceWatch.defaults(), 14,
                AlertSignals.COUNTED.stream().map(Signal::code).collect(Collectors.toSet()), neighbours, 2, 14,
                3_600_000L, UNSET);
    }

    public DetectionSettings withZone(ZoneId z) {
        return new DetectionSettings(z, analystDetectors, alertMethod, intraday, toxicity, watch, noveltyDays,
                alertSignals, neighbours, quietDaysToClose, stopAfterQuietDays, latenessMillis, watchingSince);
    }

    /** The spine's bounded out-of-orderness: events up to this late still count for their day. */
    public DetectionSettings withLateness(long millis) {
        return new DetectionSettings(zone, analystDetectors, alertMethod, intraday, toxicity, watch, noveltyDays,
                alertSignals, neighbours, quietDaysToClose, stopAfterQuietDays, millis, watchingSince);
    }

    /** The configured start of watching (epoch ms); the first event seen still counts if it is earlier. */
    public DetectionSettings withWatchingSince(long epochMillis) {
        return new DetectionSettings(zone, analystDetectors, alertMethod, intraday, toxicity, watch, noveltyDays,
                alertSignals, neighbours, quietDaysToClose, stopAfterQuietDays, latenessMillis, epochMillis);
    }

    /** The toxicity alert's watch list, always-notable list, change thresholds and novelty (detection.toxicity.*). */
    public DetectionSettings withWatch(SubstanceWatch w, int novelty) {
        return new DetectionSettings(zone, analystDetectors, alertMethod, intraday, toxicity, w, novelty,
                alertSignals, neighbours, quietDaysToClose, stopAfterQuietDays, latenessMillis, watchingSince);
    }

    /** Days of daily counts each area and signal keeps: the longest history any daily method reads. */
    public int historyDays() {
        return analystDetectors.stream().mapToInt(DailyDetector::historyDays).max().orElse(0);
    }
}
