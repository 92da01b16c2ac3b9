package lookout.demo;

import java.time.LocalDate;
import java.time.Period;
import java.util.SplittableRandom;

/**
 * A fixed pool of obviously synthetic people. Drawing from a small pool lets the same person recur across
 * sources, which is what record linkage (and the privacy controls against it) must cope with.
 */
final class FakePeople {
    static final int POOL_SIZE = 500;
    private static final LocalDate OLDEST_BIRTH = LocalDate.of(1950, 1, 1);
    private static final int BIRTH_SPAN_DAYS = 20_000;
    private static final String[] SEXES = {"M", "M", "F", "M", "X"};

    record Person(int index, String name, LocalDate dateOfBirth, String healthNumber, String sex) {
        int ageOn(LocalDate date) {
            return Period.between(dateOfBirth, date).getYears();
        }
    }

    private FakePeople() {}

    static Person pick(SplittableRandom random) {
        return person(random.nextInt(POOL_SIZE));
    }

    static Person person(int index) {
        // A fixed multiplier spreads birthdays without an RNG, so person N is the same in every run and seed.
        LocalDate dob = OLDEST_BIRTH.plusDays((index * 7919L) % BIRTH_SPAN_DAYS);
        return new Person(index, String.format("Test Person %04d", index), dob,
                String.format("TEST-%06d-HN", index), SEXES[index % SEXES.length]);
    }
}
