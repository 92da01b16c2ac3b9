package lookout.release;

import java.util.Set;

/**
 * A reader of the public release who also knows the exact daily counts of some areas: an outreach account of the
 * dashboards, which sees every count of the areas in its profile. Complementary suppression that assumes nobody
 * knows any cell is undone by such a reader, who subtracts their own areas from an all-areas total.
 *
 * @param name the account, named in the export's warnings
 * @param areas the area ids whose counts it knows
 */
public record Insider(String name, Set<String> areas) {
    public Insider {
        areas = Set.copyOf(areas);
    }
}
