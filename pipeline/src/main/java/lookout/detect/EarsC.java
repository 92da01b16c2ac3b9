package lookout.detect;


import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * EARS C1, C2 and C3 on daily counts, computed as R's {@code surveillance::earsC} computes them (package 1.20), so
 * an epidemiologist can check Lookout's alarms against the package day by day.
 *
 * <p>The package's C3 differs from the textbook rule: it alarms iff the excesses of the two previous days' C2
 * statistics exceed z and today's count is positive; today's C2 is not used. {@link Variant#C3} is the package's
 * rule, {@link Variant#TEXTBOOK_C3} the published one (today's excess counted too).
 */
public final class EarsC implements DailyDetector {
    private static final long serialVersionUID = 1L;

    /** The package's {@code baseline} default: seven days. */
    public static final int BASELINE = 7;
    /** C2 and C3 skip the two days before today, so a spike building up does not raise its own baseline. */
    public static final int GUARD = 2;

    public enum Variant {
        C1("earsC_C1", BASELINE, 0),
        C2("earsC_C2", BASELINE + GUARD, GUARD),
        C3("earsC_C3", BASELINE + GUARD + 2, GUARD),
        TEXTBOOK_C3("textbookC3", BASELINE + GUARD + 2, GUARD);

        private final String prefix;
        private final int historyDays;
        private final int guard;

        Variant(String prefix, int historyDays, int guard) {
            this.prefix = prefix;
            this.historyDays = historyDays;
            this.guard = guard;
        }
    }

    private final Variant variant;
    private final double alpha;
    private final double z;
    private final double minSigma;

    public EarsC(Variant variant, double alpha, double minSigma) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1)");
        }
        this.variant = variant;
        this.alpha = alpha;
        this.minSigma = minSigma;
        this.z = new NormalDistribution().inverseCumulativeProbability(1 - alpha);
    }

    /** The package's defaults as the benchmark ran them: alpha 0.001 (z = 3.09), minSigma 0. */
    public EarsC(Variant variant) {
        this(variant, 0.001, 0);
    }

    /**
     * The name used in {@code detector_alarms.method} and in the benchmark's file names. C1 and C2 carry no alpha
     * because the benchmark names them that way; both C3 variants do, because two alphas are in common use.
     */
    @Override
    public String method() {
        return switch (variant) {
            case C1, C2 -> variant.prefix;
            case C3, TEXTBOOK_C3 -> variant.prefix + "_alpha" + formatAlpha(alpha);
        };
    }

    @Override
    public int historyDays() {
        return variant.historyDays;
    }

    public double z() {
        return z;
    }

    @Override
    public DailyVerdict evaluate(DailyHistory h) {
        return evaluate(h.counts(), h.t());
    }

    public DailyVerdict evaluate(int[] y, int t) {
        if (t < variant.historyDays) {
            throw new IllegalArgumentException("needs " + variant.historyDays + " days of history before day " + t);
        }
        return switch (variant) {
            case C1, C2 -> shewhart(y, t);
            case C3 -> packageC3(y, t);
            case TEXTBOOK_C3 -> textbookC3(y, t);
        };
    }

    private DailyVerdict shewhart(int[] y, int t) {
        int end = t - variant.guard;
        double mean = mean(y, end - BASELINE, end);
        double sigma = Math.max(sd(y, end - BASELINE, end, mean), minSigma);
        double ub = mean + z * sigma;
        return new DailyVerdict(y[t], mean, ub, y[t] > ub, (y[t] - mean) / sigma);
    }

    /** UB_t = max(0, y_t + sigma_t (z - S_t)) with S_t from days t-1 and t-2; R's NaN/Inf arithmetic kept. */
    private DailyVerdict packageC3(int[] y, int t) {
        double s = excess(y, t - 1) + excess(y, t - 2);
        double[] ms = c2Baseline(y, t);
        double ub = rMax0(y[t] + ms[1] * (z - s));
        boolean defined = !Double.isNaN(ub);
        return new DailyVerdict(y[t], ms[0], ub, defined && y[t] > ub, defined ? s : Double.NaN);
    }

    /**
     * The published rule: alarm iff the C2 excesses of days t-2, t-1 and t sum past z. The bound is the count at
     * which today's excess would close the gap, mean + sd (1 + z - S); when S alone exceeds z any count alarms.
     */
    private DailyVerdict textbookC3(int[] y, int t) {
        double s = excess(y, t - 1) + excess(y, t - 2);
        double[] ms = c2Baseline(y, t);
        double today = excess(y, t);
        double total = s + today;
        if (Double.isNaN(total)) {
            return new DailyVerdict(y[t], ms[0], Double.NaN, false, Double.NaN);
        }
        double ub = ms[0] + ms[1] * (1 + z - s);
        return new DailyVerdict(y[t], ms[0], ub, total > z, total);
    }

    /** max(0, C2_i - 1) as R evaluates it: NaN stays NaN and a zero sd gives +Inf or NaN. */
    private double excess(int[] y, int i) {
        double[] ms = c2Baseline(y, i);
        double c2 = (y[i] - ms[0]) / ms[1];
        return rMax0(c2 - 1);
    }

    private double[] c2Baseline(int[] y, int i) {
        int end = i - GUARD;
        double mean = mean(y, end - BASELINE, end);
        return new double[] {mean, Math.max(sd(y, end - BASELINE, end, mean), minSigma)};
    }

    /** R's max(0, x) returns NaN for NaN, as Math.max does; kept explicit because the NA rows depend on it. */
    private static double rMax0(double x) {
        return Double.isNaN(x) ? Double.NaN : Math.max(0, x);
    }

    static double mean(int[] y, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += y[i];
        }
        return sum / (to - from);
    }

    /** Sample sd with the n-1 denominator, as R's {@code sd()}. */
    static double sd(int[] y, int from, int to, double mean) {
        double ss = 0;
        for (int i = from; i < to; i++) {
            double d = y[i] - mean;
            ss += d * d;
        }
        return Math.sqrt(ss / (to - from - 1));
    }

    private static String formatAlpha(double alpha) {
        return java.math.BigDecimal.valueOf(alpha).stripTrailingZeros().toPlainString();
    }
}
