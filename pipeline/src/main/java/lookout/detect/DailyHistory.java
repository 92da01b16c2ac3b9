package lookout.detect;

import java.time.DayOfWeek;

/**
 * What a {@link DailyDetector} may read when it judges day {@code t}.
 *
 * @param counts    daily counts, oldest first; {@code counts[t]} is the day judged, later entries are ignored
 * @param t         index of the day judged
 * @param dayOfWeek the weekday of day {@code t}, for detectors with a weekly profile
 * @param lastAlarm index of the last day on which this detector alarmed, or {@link #NO_ALARM}; detectors that
 *                  restart after an alarm do not let evidence from that day or before count again
 */
public record DailyHistory(int[] counts, int t, DayOfWeek dayOfWeek, int lastAlarm) {
    public static final int NO_ALARM = Integer.MIN_VALUE;
}
