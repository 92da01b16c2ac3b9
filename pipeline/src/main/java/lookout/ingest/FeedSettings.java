package lookout.ingest;

import java.io.Serializable;
import java.time.ZoneId;

import lookout.config.LookoutConfig;

/**
 * The settings of feed health ({@code feed.*}), as the operator {@link FeedWatch} takes them.
 *
 * @param window        the recent window of the dead-letter share and the reporting delay, ms
 * @param badShare      the dead-letter share above which a source is bad
 * @param badMinRecords records the window must hold before the share can make a source bad
 */
public record FeedSettings(ZoneId zone, double silenceMultiple, long usualGapFloor, int minHistory, long window,
        double badShare, int badMinRecords) implements Serializable {
    public static FeedSettings of(LookoutConfig config) {
        return new FeedSettings(config.zone(), config.feedSilenceMultiple(), config.feedUsualGapFloor().toMillis(),
                config.feedMinHistory(), config.feedWindow().toMillis(), config.feedBadShare(),
                config.feedBadMinRecords());
    }

    UsualGap usualGap() {
        return new UsualGap(silenceMultiple, usualGapFloor, minHistory);
    }
}
