package lookout.privacy;

import java.time.LocalDate;
import java.time.Period;

/** Ten-year age bands, top-coded at both ends (0–14 and 75+) because the extremes are rare and so identifying. */
public final class AgeBand {
    private static final int MAX_PLAUSIBLE_AGE = 120;

    private AgeBand() {}

    /** The band for an age in whole years, or null when the age is missing or implausible. */
    public static String of(Integer age) {
        if (age == null || age < 0 || age > MAX_PLAUSIBLE_AGE) {
            return null;
        }
        if (age <= 14) {
            return "0-14";
        }
        if (age >= 75) {
            return "75+";
        }
        int low = 15 + (age - 15) / 10 * 10;
        return low + "-" + (low + 9);
    }

    /** The band at {@code onDate} for someone born on {@code dateOfBirth}. */
    public static String of(LocalDate dateOfBirth, LocalDate onDate) {
        if (dateOfBirth == null || onDate == null || dateOfBirth.isAfter(onDate)) {
            return null;
        }
        return of(Period.between(dateOfBirth, onDate).getYears());
    }
}
