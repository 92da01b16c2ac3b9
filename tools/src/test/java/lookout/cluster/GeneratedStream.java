package lookout.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import lookout.config.LookoutConfig;
import lookout.demo.DemoStreamGenerator;
import lookout.demo.DemoStreamGenerator.Truth;
import lookout.geo.Area;
import lookout.geo.AreaIndex;

/**
 * The demo city's generated stream the cluster tests feed through Kafka: eight days of the four sources with 2 %
 * bad records, 3 % duplicates and a spike, and its truth (what the counts must be).
 */
final class GeneratedStream {
    final List<String> lines;
    final Truth truth;

    private GeneratedStream(List<String> lines, Truth truth) {
        this.lines = lines;
        this.truth = truth;
    }

    static GeneratedStream eightDays() {
        AreaIndex city = AreaIndex.demoCity();
        DemoStreamGenerator generator = new DemoStreamGenerator(DemoStreamGenerator.Settings
                .builder(city.areas().stream().map(Area::id).toList(), city)
                .seed(11).days(8).badFraction(0.02).duplicateFraction(0.03)
                .spike("D05", Instant.parse("2026-03-05T02:00:00Z"), 5, 8).build());
        return new GeneratedStream(generator.generate(), generator.truth());
    }

    /** Publishes the lines in 40 equal parts spread over {@code over}, so a job reads them as a live stream. */
    void publishSlowly(LookoutConfig config, Duration over) {
        int parts = 40;
        int size = (lines.size() + parts - 1) / parts;
        for (int i = 0; i < lines.size(); i += size) {
            LookoutOnCluster.publish(config, lines.subList(i, Math.min(lines.size(), i + size)));
            try {
                Thread.sleep(over.toMillis() / parts);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
