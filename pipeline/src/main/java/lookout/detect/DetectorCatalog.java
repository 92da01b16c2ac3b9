package lookout.detect;

import java.util.List;

/** The detectors and settings Lookout offers, by the names used in {@code detector_alarms.method}. */
public final class DetectorCatalog {
    /** Recommended for one series. Benchmark: POD 0.79 at FPR 0.0024, beating glrnb (0.78 at 0.0029). */
    public static final double DEFAULT_H = 5;
    /**
     * The most sensitive setting within the benchmark's FPR cap of 0.03: POD 0.93 (68/73) at FPR 0.027, what the
     * same test reaches there knowing the true means (docs/DETECTION.md, "oracle").
     */
    public static final double SENSITIVE_H = 2.3;
    /**
     * What opens alerts: a city runs ~300 area-signal series side by side, so a per-series false-alarm rate of
     * 0.0024 would be five false alerts a week. With the intraday warning, h = 9 keeps the city near one a week
     * (docs/DETECTION.md). Benchmark: see the table there.
     */
    public static final double ALERT_H = 9;

    private DetectorCatalog() {}

    /** The recommended single-series setting (the benchmark's default). */
    public static ExcessGlrDetector alertDefault() {
        return new ExcessGlrDetector("default", DEFAULT_H);
    }

    /** The daily method whose alarms open alerts for outreach, city-wide. */
    public static ExcessGlrDetector alerting() {
        return new ExcessGlrDetector("alert", ALERT_H);
    }

    public static ExcessGlrDetector sensitive() {
        return new ExcessGlrDetector("sensitive", SENSITIVE_H);
    }

    /** The methods written to detector_alarms for analysts. */
    public static List<DailyDetector> analystDetectors() {
        return List.of(new EarsC(EarsC.Variant.C1), new EarsC(EarsC.Variant.C2), new EarsC(EarsC.Variant.C3),
                alertDefault(), sensitive(), alerting());
    }

    /** Eight-hour windows: a bad batch shows as a cluster within hours, which a 24-hour window dilutes. */
    public static IntradayDetector intradayDefault() {
        return new IntradayDetector(8, 56, 1e-4);
    }

    public static ToxicityRule toxicityDefault() {
        return new ToxicityRule(24, 28, 0.01, 7);
    }

    /** Every daily method and setting the benchmark command scores, the package's EARS first. */
    public static List<DailyDetector> benchmarkDetectors() {
        return List.of(
                new EarsC(EarsC.Variant.C1),
                new EarsC(EarsC.Variant.C2),
                new EarsC(EarsC.Variant.C3, 0.001, 0),
                new EarsC(EarsC.Variant.C3, 0.025, 0),
                new EarsC(EarsC.Variant.TEXTBOOK_C3, 0.001, 0),
                new EarsC(EarsC.Variant.TEXTBOOK_C3, 0.025, 0),
                alerting(),
                new ExcessGlrDetector("h6", 6),
                alertDefault(),
                new ExcessGlrDetector("h4", 4),
                new ExcessGlrDetector("h3", 3),
                new ExcessGlrDetector("h2.5", 2.5),
                sensitive(),
                new ExcessGlrDetector("h2", 2));
    }
}
