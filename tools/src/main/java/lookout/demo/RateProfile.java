package lookout.demo;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;

import lookout.ingest.Source;

/**
 * Turns a daily rate into an hourly Poisson mean. Overdoses cluster at night and towards the weekend;
 * drug checking only happens while the sites are open.
 */
final class RateProfile {
    private static final double[] NIGHT_HEAVY = normalise(new double[] {
        1.6, 1.7, 1.6, 1.4, 1.1, 0.8, 0.6, 0.5, 0.5, 0.6, 0.7, 0.8,
        0.8, 0.9, 0.9, 1.0, 1.0, 1.1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6});
    private static final double[] WEEKDAY = normalise(new double[] {0.9, 0.9, 0.95, 0.95, 1.1, 1.25, 1.05});
    static final int SITE_OPENS = 10;
    static final int SITE_CLOSES = 20;

    private RateProfile() {}

    /** Mean number of events in the hour starting at {@code localHour}, before any spike multiplier. */
    static double hourlyMean(Source source, double perDay, ZonedDateTime localHour) {
        int hour = localHour.getHour();
        if (source == Source.DRUG_CHECKING) {
            boolean open = hour >= SITE_OPENS && hour < SITE_CLOSES;
            return open ? perDay / (SITE_CLOSES - SITE_OPENS) : 0.0;
        }
        DayOfWeek day = localHour.getDayOfWeek();
        return perDay / 24.0 * NIGHT_HEAVY[hour] * WEEKDAY[day.getValue() - 1];
    }

    private static double[] normalise(double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double[] out = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            out[i] = weights[i] * weights.length / sum;
        }
        return out;
    }
}
