package lookout.evaluate;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import lookout.detect.DetectorCatalog;
import lookout.detect.ExcessGlrDetector;
import lookout.detect.ScanSettings;
import lookout.detect.ScanZones;
import lookout.detect.SubstanceChange;
import lookout.evaluate.ToxicityCityEvaluation.Carried;
import lookout.geo.AreaAdjacency;
import lookout.geo.AreaIndex;
import lookout.geo.BoundaryException;
import lookout.kernel.Command;
import lookout.kernel.Options;
import lookout.kernel.UsageException;

/**
 * {@code ./lookout eval-city-detection}: the default alerting on a generated Toronto-sized city (158 areas,
 * paramedic and naloxone) with injected spikes; prints the share of spikes alerted within their window, the
 * alerts opened outside spikes per week city-wide, and the hours from a spike's first extra event to its alert.
 */
public final class EvalCityCommand implements Command {

    @Override
    public String name() {
        return "eval-city-detection";
    }

    @Override
    public String summary() {
        return "score the default alerting on a generated 158-area city with injected spikes";
    }

    @Override
    public String usage() {
        return """
                Usage: ./lookout eval-city-detection [--seed N] [--days N] [--spikes N] [--k X] [--min-extra N]
                                                     [--new-hotspots N] [--h X] [--alpha X] [--linked]
                                                     [--clusters N] [--cluster-extra N] [--scan-h X[,X...]]
                                                     [--scan-areas N] [--scan-zones nearest|connected]
                                                     [--adjacency FILE]
                       ./lookout eval-city-detection --toxicity [--seed N] [--days N] [--spikes N]
                                                     [--background-share X] [--spike-samples N] [--rising-alpha X]

                Generates two years of hourly paramedic and naloxone events for 158 areas plus --days (default 182,
                14 to 1830) evaluation days with --spikes (default 150, 1 to 316) injected spikes of 1-3 days, each day
                adding --k (default 3, above 0 and at most 100) usual standard deviations of extra events, at least
                --min-extra (default 4). --new-hotspots (default 0) areas of spikes have had no event before theirs:
                the spike brings the first events ever seen there.
                Runs the default alerting (daily excess GLR, intraday warning, alert lifecycle) and prints what
                outreach would have received. --h (default 9) and --alpha (default 1e-4) change the daily GLR's
                threshold and the intraday warning's false-alarm rate. --linked generates overdoses instead, each
                reported by a paramedic call, a naloxone report or both, with spikes of overdoses (at most one per
                area), and prints the alerting of paramedic and naloxone, with the combined signal too, and of
                the combined signal alone. --clusters N (0-40) adds N multi-area clusters (2-5 adjacent quiet areas,
                1-3 days, extra events at ordinary hours: in each area the most a day, up to 8, that its own
                detectors stay silent on over the cluster's days, or --cluster-extra N a day) and prints
                the clusters alerted, the median hours to their alert and the false alerts per week for the
                per-area detectors alone, with the space-time scan (threshold --scan-h, default 14, or up to 20
                separated by commas, one pair of rows each; zones of at most --scan-areas areas, default 5, the
                job's, at most 6), and with the scan on the true means (oracle). --scan-zones connected (the job's,
                the default) scans every connected set of 2 to --scan-areas areas, nearest the zones grown from each
                area by nearness. Where nothing was alerted, a median of hours to alert reads "none alerted".
                The areas border each other as hexagons, 13 to a row, or, with --adjacency FILE (a GeoJSON
                boundary file of 158 areas, such as Toronto's), as that city's areas do, taken in id order.

                --toxicity scores the multi-signal toxicity alert instead, with drug checking in every area (0.3
                samples a day each) where xylazine is in --background-share (default 0.6) of samples, and --spikes
                (default 60) overdose spikes bringing --spike-samples (default 4, at most 2000) extra samples a day, a
                third with a substance new to the city, a third with medetomidine (usually in 2 %), a third with nothing
                new. It prints the multi alerts of the rule before (any watch-list finding) and of the rule judging
                change (--rising-alpha, default that of detection.toxicity.rising_alpha).
                """;
    }

    /** Option {@code name} read by {@code parse}, or {@code absent} without it. */
    private static <T> T number(Options o, String name, T absent, Function<String, T> parse) {
        try {
            return o.has(name) ? parse.apply(o.get(name)) : absent;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " needs a number");
        }
    }

    /** The areas' adjacency in a boundaries file of as many areas as the generated city's, as its layout. */
    private static Map<Integer, List<Integer>> layout(String boundaries) {
        try {
            return CityEvaluation.Scan.layout(AreaAdjacency.of(AreaIndex.fromGeoJson(Path.of(boundaries))));
        } catch (BoundaryException | IllegalArgumentException e) {
            throw new UsageException("--adjacency: " + e.getMessage());
        }
    }

    /** The options that take a value. */
    private static final Set<String> OPTIONS = Set.of("seed", "days", "spikes", "background-share", "spike-samples",
            "rising-alpha", "k", "min-extra", "new-hotspots", "h", "alpha", "clusters", "cluster-extra", "scan-h",
            "scan-areas", "scan-zones", "adjacency");
    /** Extra events a day per spike or cluster area: a billion ran out of memory. */
    static final int MAX_EXTRA = 1000;
    /**
     * Extra drug-checking samples a day per spike, where an area checks 0.3 a day. The rising test's terms cost a few
     * operations each whatever the samples, so the evaluation's own samples bound it: 158 spikes at 2,000 take 20 s
     * of CPU and fit in half the default heap of 1 GB; at 10,000 they ran out of it after 226 s of CPU.
     */
    static final int MAX_SPIKE_SAMPLES = 2000;
    /** Thresholds of --scan-h, each a scan of its own: 0.23 s each over 14 days, ten thousand most of an hour. */
    static final int MAX_SCAN_THRESHOLDS = 20;
    /**
     * The most areas in a scan's zone: each area more makes about four times the zones and the time of a scan (on
     * Toronto's borders 27,267 zones and 4 ms a scan at 5, 112,950 and 17 ms at 6, 482,276 and 42 ms at 7,
     * 2,105,957 and 178 ms at 8, built in 7 s and holding 1.2 GB), so the longest run the other limits allow
     * (1,830 days, 20 thresholds: 146,400 scans) takes some 40 minutes at 6 and hours beyond. Up to 6 the zones
     * are also no more than the job's own scan builds for the largest city it scans every connected set of
     * ({@link ScanSettings#CONNECTED_ZONES_MAX_CITY}).
     */
    static final int MAX_SCAN_AREAS = 6;
    /** Five years of evaluation days; a million days ran for minutes, a hundred million out of memory. */
    static final int MAX_DAYS = 1830;
    /** A spike of more than this many standard deviations tells nothing a smaller one does not. */
    static final int MAX_K = 100;

    @Override
    public int run(List<String> args, PrintStream out) {
        Options o = Options.parse(name(), args, OPTIONS, Set.of("linked", "toxicity"));
        long seed = number(o, "seed", 20260101L, Long::parseLong);
        int days = number(o, "days", 182, Integer::parseInt);
        int spikes = 150;
        double k = number(o, "k", 3.0, Double::parseDouble);
        int minExtra = number(o, "min-extra", 4, Integer::parseInt);
        int hotspots = number(o, "new-hotspots", 0, Integer::parseInt);
        double h = number(o, "h", DetectorCatalog.ALERT_H, Double::parseDouble);
        double alpha = number(o, "alpha", DetectorCatalog.intradayDefault().alpha(), Double::parseDouble);
        boolean linked = o.has("linked");
        Integer clusters = number(o, "clusters", null, Integer::parseInt);
        Integer clusterExtra = number(o, "cluster-extra", null, Integer::parseInt);
        List<Double> scanH = number(o, "scan-h", List.of(ScanSettings.THRESHOLD),
                v -> Arrays.stream(v.split(",")).map(Double::parseDouble).toList());
        int scanAreas = number(o, "scan-areas", ScanSettings.MAX_AREAS, Integer::parseInt);
        boolean connected = !o.has("scan-zones") ? ScanSettings.CONNECTED_ZONES : switch (o.get("scan-zones")) {
            case "nearest" -> false;
            case "connected" -> true;
            default -> throw new UsageException("--scan-zones is nearest or connected");
        };
        String adjacency = o.get("adjacency");
        boolean toxicity = o.has("toxicity");
        Integer spikesGiven = number(o, "spikes", null, Integer::parseInt);
        double background = number(o, "background-share", 0.6, Double::parseDouble);
        int spikeSamples = number(o, "spike-samples", 4, Integer::parseInt);
        double risingAlpha = number(o, "rising-alpha", SubstanceChange.DEFAULT.alpha(), Double::parseDouble);
        if (days < 14 || days > MAX_DAYS) {
            throw new UsageException("--days must be from 14 to " + MAX_DAYS);
        }
        if (minExtra < 1 || minExtra > MAX_EXTRA || clusterExtra != null && clusterExtra > MAX_EXTRA) {
            throw new UsageException("--min-extra must be between 1 and " + MAX_EXTRA + " and --cluster-extra at most "
                    + MAX_EXTRA);
        }
        if (scanH.isEmpty() || scanH.size() > MAX_SCAN_THRESHOLDS) {
            throw new UsageException("--scan-h needs from 1 to " + MAX_SCAN_THRESHOLDS + " thresholds");
        }
        if (toxicity) {
            return toxicity(out, seed, days, spikesGiven == null ? 60 : spikesGiven, background, spikeSamples,
                    risingAlpha, linked || hotspots > 0 || clusters != null);
        }
        spikes = spikesGiven == null ? spikes : spikesGiven;
        if (spikes < 1 || spikes > CityEvaluation.AREAS * 2) {
            throw new UsageException("--spikes must be between 1 and " + CityEvaluation.AREAS * 2);
        }
        if (!(k > 0 && k <= MAX_K)) {
            throw new UsageException("--k must be a number above 0 and at most " + MAX_K);
        }
        if (hotspots < 0 || hotspots > spikes) {
            throw new UsageException("--new-hotspots must be between 0 and --spikes");
        }
        if (!(h > 0) || !(alpha > 0 && alpha < 1)) {
            throw new UsageException("--h must be positive and --alpha between 0 and 1");
        }
        if (linked && (spikes > CityEvaluation.AREAS || hotspots > 0)) {
            throw new UsageException("--linked places at most one spike per area (--spikes up to 158) and no hotspots");
        }
        if (clusters != null && (clusters < 0 || clusters > 40) || clusterExtra != null && clusterExtra < 1
                || !scanH.stream().allMatch(x -> x > 0)) {
            throw new UsageException("--clusters must be between 0 and 40, --cluster-extra at least 1 and --scan-h"
                    + " positive");
        }
        if (scanAreas < ScanZones.MIN_AREAS || scanAreas > MAX_SCAN_AREAS) {
            throw new UsageException("--scan-areas must be between " + ScanZones.MIN_AREAS + " and " + MAX_SCAN_AREAS);
        }
        if (adjacency != null && clusters == null) {
            throw new UsageException("--adjacency lays out the clusters' areas: it needs --clusters");
        }
        if (linked && clusters != null) {
            throw new UsageException("--clusters is not available with --linked");
        }
        CityEvaluation.Config config = new CityEvaluation.Config(seed, days, spikes, k, minExtra, hotspots,
                new ExcessGlrDetector("alert", h), DetectorCatalog.intradayDefault().withAlpha(alpha),
                clusters == null ? null : new CityEvaluation.Scan(clusters,
                        clusterExtra == null ? CityEvaluation.Scan.CALIBRATED : clusterExtra, scanH, scanAreas,
                        connected, adjacency == null ? null : layout(adjacency)));
        if (linked) {
            LinkedCityEvaluation.Results r = LinkedCityEvaluation.run(config);
            out.println("paramedic and naloxone alerting:");
            out.println(format(r.perSignal()));
            out.println("with the combined signal alerting too:");
            out.println(format(r.withCombined()));
            out.println("the combined signal alone:");
            out.println(format(r.combinedAlone()));
        } else {
            out.println(format(CityEvaluation.run(config)));
        }
        return 0;
    }

    private static int toxicity(PrintStream out, long seed, int days, int spikes, double background,
            int spikeSamples, double risingAlpha, boolean otherMode) {
        if (otherMode) {
            throw new UsageException("--toxicity does not go with --linked, --new-hotspots or --clusters");
        }
        if (spikes < 1 || spikes > CityEvaluation.AREAS) {
            throw new UsageException("--toxicity needs --spikes between 1 and " + CityEvaluation.AREAS);
        }
        if (!(background >= 0 && background <= 1) || spikeSamples < 0 || spikeSamples > MAX_SPIKE_SAMPLES
                || !(risingAlpha > 0 && risingAlpha < 1)) {
            throw new UsageException("--background-share must be between 0 and 1, --spike-samples between 0 and "
                    + MAX_SPIKE_SAMPLES + " and --rising-alpha between 0 and 1");
        }
        SubstanceChange d = SubstanceChange.DEFAULT;
        ToxicityCityEvaluation.Result r = ToxicityCityEvaluation.run(new ToxicityCityEvaluation.Config(seed, days,
                spikes, background, spikeSamples,
                new SubstanceChange(d.baselineDays(), d.recentDays(), risingAlpha, d.minSamples())));
        out.println(formatToxicity(r));
        return 0;
    }

    static String formatToxicity(ToxicityCityEvaluation.Result r) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "multi alerts | spikes with a new substance alerted | with rising medetomidine | with nothing new"
                        + " | alerts opened outside spikes (areas) | per week city-wide%n"));
        for (var row : List.of(Map.entry("presence (before)", r.presence()), Map.entry("change (after)", r.change()))) {
            ToxicityCityEvaluation.RuleResult x = row.getValue();
            b.append(String.format(Locale.ROOT, "%s | %d/%d | %d/%d | %d/%d | %d (%d) | %.2f%n", row.getKey(),
                    x.alerted(Carried.NEW), x.spikes(Carried.NEW), x.alerted(Carried.RISING), x.spikes(Carried.RISING),
                    x.alerted(Carried.NOTHING), x.spikes(Carried.NOTHING), x.falseAlerts(), x.falseAreas(),
                    x.falsePerWeek()));
        }
        return b.toString().stripTrailing();
    }

    static String format(CityEvaluation.Result r) {
        return r.scan() == null ? formatSpikes(r) : formatSpikes(r) + System.lineSeparator() + formatScan(r.scan());
    }

    static String formatScan(CityEvaluation.ScanFigures f) {
        // Without clusters there are no cluster areas to average the extra events of.
        String made = !f.calibrated() || f.clusters() == 0 ? "" : String.format(Locale.ROOT, " (each area the most"
                + " extra events a day its own detectors stay silent on: %.2f on average; %d areas got none)",
                f.meanExtra(), f.areasWithout());
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "multi-area clusters: %d%s, of which no area's own detectors alerted for %d; %d candidate zones",
                f.clusters(), made, f.unseenByAreas(), f.zones()));
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"per-area detectors alone", f.perArea()});
        for (CityEvaluation.ScanRows scan : f.scans()) {
            String at = f.scans().size() == 1 ? "" : String.format(Locale.ROOT, " at h = %s", scan.threshold());
            rows.add(new Object[] {"with the scan" + at, scan.withScan()});
            rows.add(new Object[] {"with the scan on the true means (oracle)" + at, scan.oracle()});
        }
        for (CityEvaluation.ScanRows scan : f.scans()) {
            b.append(String.format(Locale.ROOT, "%nclusters whose own areas and days, on the true means, exceed"
                    + " h = %s: %d/%d", scan.threshold(), scan.ownCylinderAbove(), f.clusters()));
        }
        for (Object[] row : rows) {
            CityEvaluation.Row r = (CityEvaluation.Row) row[1];
            String delay = hours("median %.1f hours from the first extra event", r.medianHours());
            b.append(String.format(Locale.ROOT, "%n%s: clusters alerted within their window %d/%d (%d/%d of those"
                    + " no area alerted for), %s; alerts opened outside spikes and clusters %d = %.2f per week"
                    + " city-wide (%d of them by the scan); spikes alerted %d", row[0], r.clustersAlerted(),
                    f.clusters(), r.unseenAlerted(), f.unseenByAreas(), delay, r.falseAlerts(),
                    r.falseAlerts() / (f.evalDays() / 7.0), r.falseByScan(), r.spikesAlerted()));
        }
        return b.toString();
    }

    static String formatSpikes(CityEvaluation.Result r) {
        String hotspots = r.hotspotSpikes() == 0 ? "" : String.format(Locale.ROOT,
                "%nspikes bringing the first events of their signal to their area, alerted: %d/%d",
                r.hotspotsDetected(), r.hotspotSpikes());
        return String.format(Locale.ROOT, """
                spikes alerted within their window: %d/%d (%.1f%%), on the day of the first extra event: %d
                alerts opened outside spikes: %d area-days in %d days = %.2f per week city-wide
                median hours from first extra event to alert: %s (daily detector alone: %s)
                alerts opened in total: %d%s""", r.detected(), r.spikes(), 100 * r.detectionRate(), r.detectedSameDay(),
                r.falseAlertAreaDays(), r.evalDays(), r.falseAreaDaysPerWeek(), hours("%.1f", r.medianHoursToAlert()),
                hours("%.1f", r.medianHoursDailyOnly()), r.alertsOpened(), hotspots);
    }

    /**
     * A median of hours to alert in {@code pattern}, or "none alerted" when there is none to take the median of:
     * a reader of the tables cannot tell what "NaN" means.
     */
    private static String hours(String pattern, double median) {
        return Double.isNaN(median) ? "none alerted" : String.format(Locale.ROOT, pattern, median);
    }
}
