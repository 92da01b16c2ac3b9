package lookout.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import lookout.testing.SharedData;

class BenchmarkOracleTest {

    @Test
    void knowingTheGeneratingProcessNoSettingReaches96PercentAtFpr3Percent() {
        Path series = SharedData.file("detection-benchmark/series.csv");
        BenchmarkData data = BenchmarkData.read(series, series.resolveSibling("outbreaks.csv"));
        BenchmarkOracle oracle = BenchmarkOracle.read(series);

        BenchmarkScore tail = oracle.score(new BenchmarkOracle.Setting(Double.NaN, 0.04), data);
        assertEquals("oracle_tail_alpha0.04", tail.method());
        assertEquals(68, tail.detected());
        assertEquals(207, tail.falseAlarms());

        BenchmarkScore glr = oracle.score(new BenchmarkOracle.Setting(2.5, 0), data);
        assertEquals(67, glr.detected());
        assertEquals(185, glr.falseAlarms());

        BenchmarkScore both = oracle.score(new BenchmarkOracle.Setting(5, 0.01), data);
        assertEquals("oracle_excessglr_h5_or_tail_alpha0.01", both.method());
        assertEquals(65, both.detected());
        assertEquals(57, both.falseAlarms());

        BenchmarkScore best = oracle.score(new BenchmarkOracle.Setting(6, 0.04), data);
        assertEquals(69, best.detected(), "the best oracle found within FPR 0.03");
        assertEquals(208, best.falseAlarms());

        BenchmarkScore loose = oracle.score(new BenchmarkOracle.Setting(1.6, 0), data);
        assertEquals(71, loose.detected(), "71 of 73 only at about FPR 0.05, where Farrington sits");
        assertEquals(356, loose.falseAlarms());
        assertEquals(6998, loose.nonOutbreakDays());
    }
}
