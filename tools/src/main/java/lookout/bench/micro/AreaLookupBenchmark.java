package lookout.bench.micro;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import lookout.geo.AreaIndex;

/**
 * {@link AreaIndex#areaAt} for points where events happen: inside areas, every area equally likely, so a
 * city's large sparse areas weigh no more than its small dense ones.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AreaLookupBenchmark {
    private static final int POINTS = 1 << 14;

    @Param({MicroCities.TORONTO, MicroCities.SYNTHETIC})
    public String city;

    private AreaIndex index;
    private double[] lat;
    private double[] lon;
    private int next;

    @Setup
    public void setUp() {
        index = MicroCities.load(city);
        SplittableRandom random = new SplittableRandom(11);
        lat = new double[POINTS];
        lon = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            double[] p = index.pointIn(index.areas().get(random.nextInt(index.size())).id(), random);
            lat[i] = p[0];
            lon[i] = p[1];
        }
    }

    @Benchmark
    public String areaAt() {
        int i = next++ & (POINTS - 1);
        return index.areaAt(lat[i], lon[i]);
    }
}
