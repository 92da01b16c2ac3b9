package lookout.release;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import lookout.dashboards.ReleaseWords;
import lookout.release.PublicReleaseWriter.Row;

/**
 * What changed between two public releases, read from their published counts files only (so it tells nothing
 * that the two releases do not already show side by side). A cell present in both releases changes when its
 * published count moves (late reports raise it), or, had the two releases been made with different ledgers, when
 * its status flips; cells for periods the earlier release did not cover are new and only counted.
 */
final class Revisions {
    static final String HEADER = "signal,granularity,period_start,period_end,area_id,area_name,change,previous_count,count";

    /** How a cell of the earlier release changed. */
    enum Change {
        RAISED("raised"), LOWERED("lowered"), NOW_PUBLISHED("now published"), NOW_WITHHELD("now withheld"),
        WITHDRAWN("withdrawn");

        final String code;

        Change(String code) {
            this.code = code;
        }
    }

    record Changed(Row before, Row after, Change change) {}

    private final List<Changed> changed;
    private final int added;
    private final int addedWithheld;

    private Revisions(List<Changed> changed, int added, int addedWithheld) {
        this.changed = List.copyOf(changed);
        this.added = added;
        this.addedWithheld = addedWithheld;
    }

    /** The changes from {@code before} to {@code after}, in the order of {@code before}'s rows. */
    static Revisions between(List<Row> before, List<Row> after) {
        Map<ReleaseLedger.Key, Row> now = new LinkedHashMap<>();
        for (Row r : after) {
            now.put(r.key(), r);
        }
        List<Changed> changed = new ArrayList<>();
        for (Row b : before) {
            Row a = now.remove(b.key());
            Change c = a == null ? Change.WITHDRAWN
                    : b.suppressed() && !a.suppressed() ? Change.NOW_PUBLISHED
                    : !b.suppressed() && a.suppressed() ? Change.NOW_WITHHELD
                    : b.suppressed() || a.count().equals(b.count()) ? null
                    : a.count() > b.count() ? Change.RAISED : Change.LOWERED;
            if (c != null) {
                changed.add(new Changed(b, a, c));
            }
        }
        int withheld = (int) now.values().stream().filter(Row::suppressed).count();
        return new Revisions(changed, now.size(), withheld);
    }

    List<Changed> changed() {
        return changed;
    }

    /** Every changed cell, one CSV row each; the counts are empty where withheld (or absent). */
    String csv() {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (Changed c : changed) {
            Row r = c.after() != null ? c.after() : c.before();
            b.append(String.join(",", r.signal(), r.granularity().code(), r.periodStart().toString(),
                    r.granularity().end(r.periodStart()).toString(), PublicReleaseWriter.csv(r.areaId()),
                    PublicReleaseWriter.csv(r.areaName()), c.change().code, value(c.before()), value(c.after())))
                    .append('\n');
        }
        return b.toString();
    }

    private static String value(Row r) {
        return r == null || r.count() == null ? "" : r.count().toString();
    }

    /**
     * The changes in plain language. {@code previous} gives the previous release's period and which days are new
     * since (see {@link ReleaseWords#previousRelease}), null for a first release; {@code signalPeriods} says where a
     * signal's counts end before {@code last} or have not started (see {@link ReleaseWords#signalPeriods}), after
     * the release's period; {@code csvName} is the file holding every change.
     */
    String summary(String previous, LocalDate first, LocalDate last, String signalPeriods, String csvName) {
        StringBuilder b = new StringBuilder("# What changed since the previous release\n\n");
        String covers = "This release covers " + day(first) + " to " + day(last) + "." + signalPeriods;
        if (previous == null) {
            return b.append("This is the first release, so there is nothing to compare it with. ").append(covers)
                    .append('\n').toString();
        }
        b.append(covers).append(' ').append(previous).append("\n\n");
        Map<Change, Integer> byChange = new TreeMap<>();
        Map<String, Integer> raisedDays = new TreeMap<>();
        for (Changed c : changed) {
            byChange.merge(c.change(), 1, Integer::sum);
            if (c.change() == Change.RAISED && c.before().granularity() == Granularity.DAY
                    && !c.before().areaId().equals(PublicCell.ALL_AREAS)) {
                raisedDays.merge(c.before().signal(), 1, Integer::sum);
            }
        }
        if (changed.isEmpty()) {
            b.append("- No published number changed.\n");
        } else {
            int raised = byChange.getOrDefault(Change.RAISED, 0);
            if (raised > 0) {
                b.append("- ").append(numbers(raised)).append(" went up, most often because reports arrived late (coroner")
                        .append(" reports can take weeks).");
                if (!raisedDays.isEmpty()) {
                    b.append(" Among them are the counts of single areas and days: ");
                    List<String> parts = new ArrayList<>();
                    raisedDays.forEach((signal, n) -> parts.add(n + " " + signal));
                    b.append(String.join(", ", parts)).append("; the week, month and all-areas numbers that include")
                            .append(" those days went up with them.");
                }
                b.append('\n');
            }
            line(b, byChange, Change.LOWERED, " went down (a report was corrected or withdrawn).");
            line(b, byChange, Change.NOW_PUBLISHED, " withheld before %s now published.");
            line(b, byChange, Change.NOW_WITHHELD, " published before %s now withheld.");
            line(b, byChange, Change.WITHDRAWN, " of the previous release %s no longer in this one.");
        }
        if (!byChange.containsKey(Change.NOW_PUBLISHED) && !byChange.containsKey(Change.NOW_WITHHELD)) {
            b.append("- Every number withheld before is still withheld, and every number published before is still")
                    .append(" published: comparing the two releases cannot reveal a withheld count.\n");
        }
        if (added > 0) {
            b.append("- ").append(numbers(added)).append(" are new, for days, weeks and months the previous release")
                    .append(" did not cover; ").append(String.format(Locale.ENGLISH, "%,d", addedWithheld))
                    .append(" of them are withheld.\n");
        }
        b.append("\n`").append(csvName).append("` lists every changed number with its previous and new value.\n");
        return b.toString();
    }

    /** One line for the cells changed as {@code c}, if any; {@code text}'s {@code %s} is the verb "is" or "are". */
    private void line(StringBuilder b, Map<Change, Integer> byChange, Change c, String text) {
        Integer n = byChange.get(c);
        if (n != null) {
            b.append("- ").append(numbers(n)).append(text.formatted(n == 1 ? "is" : "are")).append('\n');
        }
    }

    private static String numbers(int n) {
        return n == 1 ? "1 number" : String.format(Locale.ENGLISH, "%,d numbers", n);
    }

    private static String day(LocalDate d) {
        return ReleaseWords.day(d);
    }
}
