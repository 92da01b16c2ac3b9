package lookout.bench;

/**
 * One measured number. {@code events} is how many input events the measurement covered (0 where it counts
 * something else, such as JMH operations); {@code note} says what exactly was measured, or why it is missing.
 */
public record Figure(String name, double value, String unit, long events, String note) {
    /** A figure that could not be measured in this run; it is still printed, with the reason. */
    public static Figure missing(String name, String unit, String reason) {
        return new Figure(name, Double.NaN, unit, 0, reason);
    }

    public boolean measured() {
        return !Double.isNaN(value);
    }

    String formattedValue() {
        if (!measured()) {
            return "n/a";
        }
        double a = Math.abs(value);
        if (a != 0 && a < 0.01) {
            return String.format("%.4f", value);
        }
        if (a < 100) {
            return String.format("%.2f", value);
        }
        return String.format("%,.0f", value);
    }
}
