package lookout.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import lookout.demo.DemoStreamGenerator;
import lookout.geo.Area;
import lookout.geo.AreaIndex;
import lookout.ingest.Source;

/**
 * The generated history the dashboards are tested and benchmarked on: events at about Toronto's yearly counts of
 * overdose calls, naloxone reports and deaths spread evenly over the areas (so quiet areas fall below k over four
 * weeks), points inside the real polygons, duplicates and bad records, and a spike in one area over the last
 * {@value #SPIKE_HOURS} hours, so that its alert is still open when the data ends.
 */
public final class YearOfEvents {
    public static final int SPIKE_HOURS = 30;
    /** Times the area's usual hourly rate during the spike: about 15 extra paramedic calls in 30 hours. */
    public static final double SPIKE_MULTIPLIER = 40;

    private YearOfEvents() {}

    /** {@code days} days ending at {@code end}, with the spike in {@code spikeArea}; seeded, so repeatable. */
    public static DemoStreamGenerator.Settings.Builder settings(AreaIndex city, String spikeArea, Instant end, int days,
            ZoneId zone, long seed) {
        List<String> ids = city.areas().stream().map(Area::id).toList();
        return DemoStreamGenerator.Settings.builder(ids, city)
                .seed(seed).start(end.minus(Duration.ofDays(days))).days(days).zone(zone)
                .ratePerDay(Source.PARAMEDIC, 0.3).ratePerDay(Source.NALOXONE, 0.15).ratePerDay(Source.CORONER, 0.02)
                .ratePerDay(Source.DRUG_CHECKING, 4)
                .spike(spikeArea, spikeStart(end), SPIKE_HOURS, SPIKE_MULTIPLIER);
    }

    public static Instant spikeStart(Instant end) {
        return end.minus(Duration.ofHours(SPIKE_HOURS));
    }
}
