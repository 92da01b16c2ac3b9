package lookout.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import lookout.detect.DailyVerdict;
import lookout.detect.EarsC;
import lookout.testing.SharedData;

/** Lookout's EARS against R surveillance 1.20.3's own output, every series, every day of the evaluation year. */
class EarsCAgreementTest {

    @ParameterizedTest
    @CsvSource({"C1, earsC_C1", "C2, earsC_C2", "C3, earsC_C3_alpha0.001"})
    void upperBoundsAndAlarmsMatchThePackageOnEveryDay(EarsC.Variant variant, String packageMethod) {
        Path seriesFile = SharedData.file("detection-benchmark/series.csv");
        Path alarmsFile = SharedData.file("detection-benchmark/alarms_" + packageMethod + ".csv");
        BenchmarkData data = BenchmarkData.read(seriesFile, seriesFile.resolveSibling("outbreaks.csv"));
        EarsC ears = new EarsC(variant);
        assertEquals(packageMethod, ears.method());
        Map<Integer, DailyVerdict[]> ours = BenchmarkRun.run(ears, data);

        int compared = 0;
        int na = 0;
        for (BenchmarkCsv.Row r : BenchmarkCsv.read(alarmsFile, "series_id", "date", "observed", "upperbound", "alarm")
                .rows()) {
            BenchmarkData.Series s = data.series().get(r.integer("series_id"));
            int t = indexOf(s, r.text("date"));
            DailyVerdict v = ours.get(s.id())[t];
            String where = "series " + s.id() + " " + r.text("date");
            assertEquals(r.integer("observed"), v.observed(), where);
            String ub = r.text("upperbound");
            String alarm = r.text("alarm");
            if (ub.equals("NA")) {
                assertEquals("NA", alarm, where);
                assertFalse(v.defined(), where + ": the package has NA here");
                assertFalse(v.alarm(), where);
                na++;
            } else {
                double expected = Double.parseDouble(ub);
                assertTrue(v.defined(), where + ": the package has a bound here");
                assertEquals(expected, v.upperbound(), 1e-9 * Math.max(1, Math.abs(expected)), where);
                assertEquals(alarm.equals("1"), v.alarm(), where);
            }
            compared++;
        }
        assertEquals(20 * 365, compared);
        assertEquals(variant == EarsC.Variant.C3 ? 29 : 0, na);
    }

    private static int indexOf(BenchmarkData.Series s, String date) {
        for (int i = 0; i < s.dates().length; i++) {
            if (s.dates()[i].toString().equals(date)) {
                return i;
            }
        }
        throw new AssertionError("no day " + date + " in series " + s.id());
    }
}
