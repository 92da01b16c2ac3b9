package lookout.release;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One signal's restricted counts per area and local day over a release period. Restricted data: it holds
 * the small counts the public tier must hide, so it is never written out as such.
 */
public final class DailyCounts {
    private final List<String> areas;
    private final Map<String, Integer> areaIndex = new HashMap<>();
    private final LocalDate first;
    private final LocalDate last;
    private final long[][] counts;

    /** An all-zero table for {@code areas} (in publication order) over {@code first..last} inclusive. */
    public DailyCounts(List<String> areas, LocalDate first, LocalDate last) {
        if (last.isBefore(first)) {
            throw new IllegalArgumentException("release period ends before it starts");
        }
        this.areas = List.copyOf(areas);
        for (int i = 0; i < this.areas.size(); i++) {
            if (areaIndex.put(this.areas.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate area id in release");
            }
        }
        this.first = first;
        this.last = last;
        this.counts = new long[this.areas.size()][days()];
    }

    /** Adds {@code count} events; days outside the period are ignored (they belong to no published bucket). */
    public void add(String area, LocalDate day, long count) {
        Integer a = areaIndex.get(area);
        if (a == null) {
            throw new IllegalArgumentException("area not in release");
        }
        if (count < 0) {
            throw new IllegalArgumentException("negative count");
        }
        if (day.isBefore(first) || day.isAfter(last)) {
            return;
        }
        counts[a][(int) ChronoUnit.DAYS.between(first, day)] += count;
    }

    public List<String> areas() {
        return areas;
    }

    public LocalDate first() {
        return first;
    }

    public LocalDate last() {
        return last;
    }

    public int days() {
        return (int) ChronoUnit.DAYS.between(first, last) + 1;
    }

    public long get(int area, int day) {
        return counts[area][day];
    }

    public long get(String area, LocalDate day) {
        return counts[areaIndex.get(area)][(int) ChronoUnit.DAYS.between(first, day)];
    }

    /** The true count behind a public cell: its area (or all areas) over its period. */
    public long total(PublicCell cell) {
        long sum = 0;
        for (String area : areas) {
            if (!cell.areaId().equals(PublicCell.ALL_AREAS) && !cell.areaId().equals(area)) {
                continue;
            }
            for (LocalDate d = cell.periodStart(); !d.isAfter(cell.periodEnd()); d = d.plusDays(1)) {
                sum += get(area, d);
            }
        }
        return sum;
    }
}
