package lookout.detect;

import java.util.Map;

/**
 * One detector firing for an area: the evidence the alert lifecycle turns into an opened or updated alert.
 *
 * @param time        event time at which the detector fired, epoch ms
 * @param method      the detector's method name
 * @param observed    cases in the window judged
 * @param expected    cases usually seen in such a window
 * @param threshold   the count above which the detector fires
 * @param score       the detector's statistic
 * @param windowStart start of the window judged, epoch ms
 * @param windowEnd   end of the window judged, epoch ms
 * @param severity    low | moderate | high | critical
 * @param evidence    extra facts for the evidence JSON (already at the alert privacy tier)
 * @param explanation the plain-language sentence for outreach
 */
public record Firing(long time, String method, int observed, double expected, double threshold, double score,
        long windowStart, long windowEnd, String severity, Map<String, Object> evidence, String explanation) {}
