package lookout.bench;

/** One of the budgets checked against this run's figure; {@code met} is null when it could not be judged. */
public record Budget(String name, String target, String measured, Boolean met) {
    public static Budget atLeast(String name, String target, Figure figure, double minimum) {
        return judge(name, target, figure, figure.measured() ? figure.value() >= minimum : null);
    }

    public static Budget atMost(String name, String target, Figure figure, double maximum) {
        return judge(name, target, figure, figure.measured() ? figure.value() <= maximum : null);
    }

    private static Budget judge(String name, String target, Figure figure, Boolean met) {
        return new Budget(name, target, figure.formattedValue() + " " + figure.unit(), met);
    }

    public String verdict() {
        return met == null ? "not judged" : met ? "met" : "MISSED";
    }
}
