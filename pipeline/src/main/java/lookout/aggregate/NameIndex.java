package lookout.aggregate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Names (area ids, signals, substances) numbered in the order first seen, so that a cell holds numbers, not strings. */
final class NameIndex {
    /** Numbers, and one more than them, fit in the 30 bits a cell gives each. */
    static final int LIMIT = (1 << 30) - 1;

    private final Map<String, Integer> numbers = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    /** The name numbered last and its number: an event's cells ask for the same string object one after another. */
    private String last;
    private int lastNumber = -1;

    int numberOf(String name) {
        if (lastNumber >= 0 && name == last) {
            return lastNumber;
        }
        Integer number = numbers.get(name);
        if (number == null) {
            if (names.size() == LIMIT) {
                throw new IllegalStateException("more than " + LIMIT + " distinct names in one round of cells");
            }
            number = names.size();
            numbers.put(name, number);
            names.add(name);
        }
        last = name;
        lastNumber = number;
        return number;
    }

    String name(int number) {
        return names.get(number);
    }

    void clear() {
        numbers.clear();
        names.clear();
        last = null;
        lastNumber = -1;
    }
}
