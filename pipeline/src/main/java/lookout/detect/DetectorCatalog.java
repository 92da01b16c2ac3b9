package lookout.detect;

import java.util.List;

/** The detectors and settings Lookout offers, by the names used in {@code detector_alarms.method}. */
public final class DetectorCatalog {
    private DetectorCatalog() {}

    /** Every daily method and setting the benchmark command scores, the package's EARS first. */
    public static List<DailyDetector> benchmarkDetectors() {
        return List.of(
                new EarsC(EarsC.Variant.C1),
                new EarsC(EarsC.Variant.C2),
                new EarsC(EarsC.Variant.C3, 0.001, 0),
                new EarsC(EarsC.Variant.C3, 0.025, 0),
                new EarsC(EarsC.Variant.TEXTBOOK_C3, 0.001, 0),
                new EarsC(EarsC.Variant.TEXTBOOK_C3, 0.025, 0),
                new ExcessGlrDetector("h6", 6),
                new ExcessGlrDetector("h5", 5),
                new ExcessGlrDetector("h4", 4),
                new ExcessGlrDetector("h3", 3),
                new ExcessGlrDetector("h2.5", 2.5),
                new ExcessGlrDetector("h2", 2));
    }
}
