package lookout.release;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Small-cell and complementary suppression for one signal's public table: every area and the all-areas total
 * ({@link PublicCell#ALL_AREAS}), by day, ISO week and calendar month, where weeks and months are published only
 * when they lie wholly inside the release period.
 *
 * <p>The release's basis. Every published number is a sum of area-day counts of the release's <em>basis</em>:
 * an area-day published (or new) in this release counts with its current count, an area-day suppressed in an
 * earlier release with the count it had in the first release that covered it (kept in the {@link ReleaseLedger}).
 * So a late report in a suppressed area-day moves no published number in any later release: two releases
 * differ only where published area-days differ, and their difference says nothing about which suppressed cell
 * changed, or whether any did. Published day cells are always current; a week, month or all-areas total that
 * contains suppressed area-days lags by the late reports that landed in them.
 *
 * <p>Why it is sound. For every suppressed cell the suppressor keeps a <em>witness</em>: a change of +1/-1 to
 * one, two or four area-day counts of the basis that leaves every published sum (day, week, month, area or total)
 * unchanged, keeps every count non-negative, and changes the suppressed cell. The basis of an earlier release
 * differs from this one only in published area-days, which no witness touches, so the witness explains every
 * earlier release as well: adding it gives another history of tables that agrees with everything ever
 * published but gives the suppressed cell another value, and no subtraction, linear combination or bound
 * reasoning over published cells, totals, nested or overlapping windows or releases can pin it down. A witness
 * may only touch cells that are suppressed; when none exists the cheapest one is created by suppressing the
 * cells it touches (complementary suppression). Suppression is decided per cell once and for all through the
 * {@link ReleaseLedger}: a published cell stays published and a suppressed cell stays suppressed.
 *
 * <p>Insiders. An outreach account knows every count of the areas in its profile ({@link Insider}), which a
 * witness through those areas does not hide from it: it subtracts them from a published total. So each insider is
 * a <em>view</em> of its own, knowing each of its areas' counts through some day (the ledger's
 * {@link ReleaseLedger.Known}), and every suppressed cell it does not know also gets a witness that touches no
 * area-day it knows. The public view (nobody knows any cell) comes first, so insiders only add suppressions to
 * what the public needs. An insider who knows every area-day is not a view: nothing can be hidden from it.
 *
 * <p>Zero policy: counts 0..k-1 are all suppressed, so a suppressed cell never tells "nobody" from "a few".
 */
final class CellSuppressor {
    private static final int DAY = 0;
    private static final int WEEK = 1;
    private static final int MONTH = 2;
    private static final long INVALID = -1;
    /** Candidate witnesses examined per cell once one valid witness is known; the search is heuristic, soundness is not. */
    private static final int SEARCH_BUDGET = 200_000;
    /** Wider partners are tried only for aggregates: weeks and months need a partner day outside the bucket. */
    private static final int PARTNER_SPAN_DAYS = 31;

    private final String signal;
    private final DailyCounts counts;
    private final int k;
    private final int areas;
    private final int all;
    private final int days;
    private final int[] weekOf;
    private final int[] monthOf;
    private final List<LocalDate> weekStarts = new ArrayList<>();
    private final List<LocalDate> monthStarts = new ArrayList<>();
    private final long[][][] value = new long[3][][];
    private final boolean[][][] suppressed = new boolean[3][][];
    private final boolean[][][] frozenPublished = new boolean[3][][];
    /** The cells that already have a witness hidden from the view being protected. */
    private final boolean[][][] covered = new boolean[3][][];
    /** Every witness applied so far, to find the cells each later view already has a witness for. */
    private final List<Witness> applied = new ArrayList<>();
    /** Per view and area, the index of the last day whose count the view knows (-1: none; the public's row). */
    private final int[][] knownThrough;
    /** Per view, the insiders behind it (those that know the same area-days are one view). */
    private final List<List<String>> viewNames = new ArrayList<>();
    /** Per bucket of each level, the index of its last day. */
    private final int[][] lastDay = new int[3][];
    /** The count each area-day contributes to this release's published numbers (see the class comment). */
    private final long[][] basis;
    private int witnesses;
    private int primary;
    private int carried;
    private int forInsiders;
    /** Per view, the cells no witness hides from it: earlier releases, made before it was given, pinned them. */
    private final List<Set<Long>> unhidden = new ArrayList<>();

    private CellSuppressor(String signal, DailyCounts counts, int k,
            Map<String, Map<String, ReleaseLedger.Known>> insiders) {
        this.signal = signal;
        this.counts = counts;
        this.k = k;
        this.areas = counts.areas().size();
        this.all = areas;
        this.days = counts.days();
        this.weekOf = new int[days];
        this.monthOf = new int[days];
        this.basis = new long[areas][days];
        this.knownThrough = views(insiders);
        indexBuckets();
    }

    /**
     * The public view, then one per insider who knows some but not all of the area-days, in the insiders' order;
     * insiders who know the same area-days are one view.
     */
    private int[][] views(Map<String, Map<String, ReleaseLedger.Known>> insiders) {
        List<int[]> rows = new ArrayList<>();
        int[] none = new int[areas];
        Arrays.fill(none, -1);
        rows.add(none);
        viewNames.add(List.of());
        unhidden.add(new HashSet<>());
        for (Map.Entry<String, Map<String, ReleaseLedger.Known>> insider : insiders.entrySet()) {
            int[] row = new int[areas];
            for (int a = 0; a < areas; a++) {
                ReleaseLedger.Known k = insider.getValue().get(counts.areas().get(a));
                long through = k == null ? -1 : ChronoUnit.DAYS.between(counts.first(), k.through());
                row[a] = (int) Math.max(-1, Math.min(days - 1, through));
            }
            if (Arrays.stream(row).allMatch(d -> d < 0) || Arrays.stream(row).allMatch(d -> d == days - 1)) {
                continue;
            }
            int same = indexOf(rows, row);
            if (same < 0) {
                rows.add(row);
                viewNames.add(new ArrayList<>(List.of(insider.getKey())));
                unhidden.add(new HashSet<>());
            } else {
                viewNames.get(same).add(insider.getKey());
            }
        }
        return rows.toArray(new int[0][]);
    }

    private static int indexOf(List<int[]> rows, int[] row) {
        for (int i = 0; i < rows.size(); i++) {
            if (Arrays.equals(rows.get(i), row)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The result of protecting one signal: its public cells (suppressed ones without a count) and figures;
     * {@code views} insiders with areas of their own were protected from, {@code forInsiders} of the complementary
     * suppressions hide cells from them only, and {@code unhidden} counts, per insider, the cells that earlier
     * releases left it able to pin down.
     */
    record Outcome(List<PublicCell> cells, int primarySuppressions, int carriedSuppressions,
            int complementarySuppressions, int views, int forInsiders, Map<String, Integer> unhidden,
            int witnesses) {}

    /**
     * Protects {@code counts} so it can be published, honouring and then extending {@code ledger}.
     *
     * @throws IllegalStateException when a cell published earlier now has a count below k (counts were revised
     *     downwards or k was raised): publishing it would break the k rule, suppressing it would let the earlier
     *     release be subtracted from this one
     */
    static Outcome protect(String signal, DailyCounts counts, int k, ReleaseLedger ledger) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1");
        }
        CellSuppressor s = new CellSuppressor(signal, counts, k, ledger.insiders());
        s.computeValues(ledger);
        s.applyLedger(ledger);
        int complementary = s.protectAll();
        return new Outcome(s.record(ledger), s.primary, s.carried, complementary, s.knownThrough.length - 1,
                s.forInsiders, s.unhiddenByName(), s.witnesses);
    }

    private void indexBuckets() {
        LocalDate first = counts.first();
        LocalDate last = counts.last();
        for (int d = 0; d < days; d++) {
            LocalDate day = first.plusDays(d);
            weekOf[d] = bucketIndex(Granularity.WEEK, day, first, last, weekStarts);
            monthOf[d] = bucketIndex(Granularity.MONTH, day, first, last, monthStarts);
        }
        lastDay[DAY] = new int[days];
        lastDay[WEEK] = new int[weekStarts.size()];
        lastDay[MONTH] = new int[monthStarts.size()];
        for (int d = 0; d < days; d++) {
            lastDay[DAY][d] = d;
            if (weekOf[d] >= 0) lastDay[WEEK][weekOf[d]] = d;
            if (monthOf[d] >= 0) lastDay[MONTH][monthOf[d]] = d;
        }
    }

    private static int bucketIndex(Granularity g, LocalDate day, LocalDate first, LocalDate last, List<LocalDate> starts) {
        LocalDate start = g.start(day);
        if (start.isBefore(first) || g.end(start).isAfter(last)) {
            return -1;
        }
        if (starts.isEmpty() || !starts.get(starts.size() - 1).equals(start)) {
            starts.add(start);
        }
        return starts.size() - 1;
    }

    private int buckets(int level) {
        return level == DAY ? days : level == WEEK ? weekStarts.size() : monthStarts.size();
    }

    private void computeValues(ReleaseLedger ledger) {
        for (int level = DAY; level <= MONTH; level++) {
            int n = buckets(level);
            value[level] = new long[areas + 1][n];
            suppressed[level] = new boolean[areas + 1][n];
            frozenPublished[level] = new boolean[areas + 1][n];
            covered[level] = new boolean[areas + 1][n];
        }
        for (int a = 0; a < areas; a++) {
            for (int d = 0; d < days; d++) {
                long v = frozenCount(ledger, a, d).orElse(counts.get(a, d));
                basis[a][d] = v;
                addToCells(a, d, v);
            }
        }
    }

    private void addToCells(int a, int d, long v) {
        value[DAY][a][d] += v;
        value[DAY][all][d] += v;
        if (weekOf[d] >= 0) {
            value[WEEK][a][weekOf[d]] += v;
            value[WEEK][all][weekOf[d]] += v;
        }
        if (monthOf[d] >= 0) {
            value[MONTH][a][monthOf[d]] += v;
            value[MONTH][all][monthOf[d]] += v;
        }
    }

    /** The count a suppressed area-day had when first released, which it keeps in every later release. */
    private java.util.OptionalLong frozenCount(ReleaseLedger ledger, int a, int d) {
        var prior = ledger.get(key(DAY, a, d));
        if (prior.isPresent() && prior.get().suppressed()) {
            return java.util.OptionalLong.of(prior.get().basis());
        }
        return java.util.OptionalLong.empty();
    }

    private void applyLedger(ReleaseLedger ledger) {
        for (int level = DAY; level <= MONTH; level++) {
            for (int a = 0; a <= areas; a++) {
                for (int b = 0; b < buckets(level); b++) {
                    boolean small = value[level][a][b] < k;
                    var prior = ledger.get(key(level, a, b));
                    if (prior.isPresent() && !prior.get().suppressed()) {
                        if (small) {
                            throw new IllegalStateException("a " + signal + " " + granularity(level).code()
                                    + " cell published in an earlier release is now below k");
                        }
                        frozenPublished[level][a][b] = true;
                    } else if (small || prior.isPresent()) {
                        suppressed[level][a][b] = true;
                        if (small) {
                            primary++;
                        } else {
                            carried++;
                        }
                    }
                }
            }
        }
    }

    /**
     * Finds, for every view, a witness hidden from it for every suppressed cell it does not know, largest cells
     * first (their witnesses also cover small ones). A witness for one insider may suppress cells through another
     * insider's areas, which that one then needs a witness for, so the insiders are gone round until a round
     * suppresses nothing new; the public needs no second round, since no witness touches an area it knows.
     */
    private int protectAll() {
        int before = countSuppressed();
        protectFrom(0);
        int afterPublic = countSuppressed();
        int roundStart;
        do {
            roundStart = countSuppressed();
            for (int view = 1; view < knownThrough.length; view++) {
                protectFrom(view);
            }
        } while (countSuppressed() != roundStart);
        int after = countSuppressed();
        forInsiders = after - afterPublic;
        return after - before;
    }

    /** Per insider, how many cells no witness hides from it. */
    private Map<String, Integer> unhiddenByName() {
        Map<String, Integer> byName = new TreeMap<>();
        for (int view = 1; view < knownThrough.length; view++) {
            int n = unhidden.get(view).size();
            if (n > 0) {
                viewNames.get(view).forEach(name -> byName.put(name, n));
            }
        }
        return byName;
    }

    private void protectFrom(int view) {
        coverFrom(view);
        for (int level = MONTH; level >= DAY; level--) {
            for (int a = all; a >= 0; a--) {
                for (int b = 0; b < buckets(level); b++) {
                    if (a != all && lastDay[level][b] <= knownThrough[view][a]) continue;
                    boolean done = covered[level][a][b] || unhidden.get(view).contains(code(level, a, b));
                    if (!suppressed[level][a][b] || done) {
                        continue;
                    }
                    Witness w = bestWitness(view, level, a, b);
                    if (w != null) {
                        apply(w);
                    } else if (view == 0) {
                        throw new IllegalStateException("no safe suppression pattern exists for a " + signal + " "
                                + granularity(level).code() + " cell without un-publishing an earlier release");
                    } else {
                        // Only the frozen cells of earlier releases can block every witness, so what the insider can
                        // pin down it could already pin down from those releases: refusing this one would hide
                        // nothing, and its new cells are hidden from the insider.
                        unhidden.get(view).add(code(level, a, b));
                    }
                }
            }
        }
    }

    private static long code(int level, int a, int b) {
        return ((long) level << 50) | ((long) a << 25) | b;
    }

    private int countSuppressed() {
        int n = 0;
        for (boolean[][] level : suppressed) {
            for (boolean[] row : level) {
                for (boolean s : row) {
                    if (s) n++;
                }
            }
        }
        return n;
    }

    /** A +1/-1 change to up to four area-day counts, and the published cells it moves. */
    private final class Witness {
        final int[] area;
        final int[] day;
        final int[] sign;
        final long[] touched = new long[24];
        final int[] delta = new int[24];
        int size;

        Witness(int[] area, int[] day, int[] sign) {
            this.area = area;
            this.day = day;
            this.sign = sign;
            for (int i = 0; i < area.length; i++) {
                touch(DAY, area[i], day[i], sign[i]);
                touch(DAY, all, day[i], sign[i]);
                touch(WEEK, area[i], weekOf[day[i]], sign[i]);
                touch(WEEK, all, weekOf[day[i]], sign[i]);
                touch(MONTH, area[i], monthOf[day[i]], sign[i]);
                touch(MONTH, all, monthOf[day[i]], sign[i]);
            }
        }

        private void touch(int level, int a, int b, int s) {
            if (b < 0) {
                return;
            }
            long code = code(level, a, b);
            for (int i = 0; i < size; i++) {
                if (touched[i] == code) {
                    delta[i] += s;
                    return;
                }
            }
            touched[size] = code;
            delta[size++] = s;
        }

        boolean moves(int level, int a, int b) {
            long code = code(level, a, b);
            for (int i = 0; i < size; i++) {
                if (touched[i] == code) {
                    return delta[i] != 0;
                }
            }
            return false;
        }


        /** What the witness costs in newly suppressed cells, or INVALID when it would touch a frozen published cell. */
        long cost() {
            long cost = 0;
            for (int i = 0; i < size; i++) {
                if (delta[i] == 0) continue;
                int level = (int) (touched[i] >>> 50);
                int a = (int) ((touched[i] >>> 25) & 0x1FFFFFF);
                int b = (int) (touched[i] & 0x1FFFFFF);
                if (suppressed[level][a][b]) continue;
                if (frozenPublished[level][a][b]) return INVALID;
                cost += weight(level, a) + value[level][a][b];
            }
            return cost;
        }
    }

    /**
     * Losing an aggregate hides more than losing one area-day, and losing a total hides more than any area's cell:
     * city-wide figures are what readers look for first, so an all-areas day weighs five times an area's month.
     */
    private long weight(int level, int a) {
        long w = level == DAY ? 1 : level == WEEK ? 40 : 400;
        return a == all ? w * 2_000 : w;
    }

    /** Suppresses the cells the witness moves, which it hides from the view being protected. */
    private void apply(Witness w) {
        witnesses++;
        applied.add(w);
        mark(w, suppressed);
        mark(w, covered);
    }

    /** Starts a view: the witnesses applied for earlier views that touch none of its areas hide their cells from it. */
    private void coverFrom(int view) {
        for (boolean[][] level : covered) {
            for (boolean[] row : level) {
                Arrays.fill(row, false);
            }
        }
        for (Witness w : applied) {
            if (!touchesKnown(view, w.area, w.day)) {
                mark(w, covered);
            }
        }
    }

    private static void mark(Witness w, boolean[][][] cells) {
        for (int i = 0; i < w.size; i++) {
            if (w.delta[i] == 0) continue;
            int level = (int) (w.touched[i] >>> 50);
            int a = (int) ((w.touched[i] >>> 25) & 0x1FFFFFF);
            int b = (int) (w.touched[i] & 0x1FFFFFF);
            cells[level][a][b] = true;
        }
    }

    private boolean touchesKnown(int view, int[] witnessAreas, int[] witnessDays) {
        for (int i = 0; i < witnessAreas.length; i++) {
            if (witnessDays[i] <= knownThrough[view][witnessAreas[i]]) {
                return true;
            }
        }
        return false;
    }

    private final class Search {
        final int view;
        final int level;
        final int a;
        final int b;
        Witness best;
        long bestCost = Long.MAX_VALUE;
        int examined;

        Search(int view, int level, int a, int b) {
            this.view = view;
            this.level = level;
            this.a = a;
            this.b = b;
        }

        /**
         * True when the search can stop: a free witness was found, or the budget is spent and one is known. A
         * witness through an area-day the view knows hides nothing from it and is passed over.
         */
        boolean offer(int[] area, int[] day, int[] sign) {
            if (touchesKnown(view, area, day)) {
                return false;
            }
            examined++;
            if (!feasible(area, day, sign)) {
                return false;
            }
            Witness w = new Witness(area, day, sign);
            if (w.moves(level, a, b)) {
                long c = w.cost();
                if (c != INVALID && c < bestCost) {
                    best = w;
                    bestCost = c;
                }
            }
            return bestCost == 0 || (best != null && examined >= SEARCH_BUDGET);
        }
    }

    /** Adding or subtracting the witness must keep every area-day count of the basis non-negative. */
    private boolean feasible(int[] area, int[] day, int[] sign) {
        boolean up = true;
        boolean down = true;
        for (int i = 0; i < area.length; i++) {
            if (basis[area[i]][day[i]] < 1) {
                if (sign[i] < 0) up = false;
                else down = false;
            }
        }
        return up || down;
    }

    /** The cheapest witness for the cell that touches no area-day the view knows, or null. */
    private Witness bestWitness(int view, int level, int a, int b) {
        Search s = new Search(view, level, a, b);
        int[] through = knownThrough[view];
        for (int[] anchor : anchors(through, level, a, b)) {
            if (searchAround(s, through, anchor[0], anchor[1])) {
                break;
            }
        }
        return s.best;
    }

    /**
     * The area-days inside the target cell that the view does not know ({@code through}), suppressed ones first
     * (witnesses through them are cheapest).
     */
    private List<int[]> anchors(int[] through, int level, int a, int b) {
        List<int[]> inside = new ArrayList<>();
        List<int[]> rest = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            boolean inBucket = level == DAY ? d == b : level == WEEK ? weekOf[d] == b : monthOf[d] == b;
            if (!inBucket) continue;
            for (int x = 0; x < areas; x++) {
                if ((a != all && x != a) || d <= through[x]) continue;
                (suppressed[DAY][x][d] ? inside : rest).add(new int[] {x, d});
            }
        }
        inside.addAll(rest);
        return inside;
    }

    /**
     * Rectangles in the same week and month first: they move no aggregate at all. Then pairs: on the same day (no
     * all-areas cell moves), in the same area, and of two areas on two days of the same week and month (only those
     * days' all-areas totals move). Sparse counts need the last: on a day whose areas all have 0 nothing can make up
     * for a +1 on that day, and an area with no count near it has no other day of its own to take one from, so every
     * other shape moves a week's or month's all-areas total. Then partners in other weeks or months, and the cell
     * alone. Partners are never areas whose every day the view knows ({@code through}); {@link Search#offer} passes
     * over other known area-days.
     */
    private boolean searchAround(Search s, int[] through, int a1, int d1) {
        int lo = Math.max(0, d1 - PARTNER_SPAN_DAYS);
        int hi = Math.min(days - 1, d1 + PARTNER_SPAN_DAYS);
        for (int d2 = lo; d2 <= hi; d2++) {
            if (d2 == d1 || !sameSegment(d1, d2)) continue;
            for (int a2 = 0; a2 < areas; a2++) {
                if (a2 != a1 && through[a2] < days - 1 && offerRectangle(s, a1, a2, d1, d2)) {
                    return true;
                }
            }
        }
        for (int a2 = 0; a2 < areas; a2++) {
            if (a2 != a1 && through[a2] < days - 1
                    && s.offer(new int[] {a1, a2}, new int[] {d1, d1}, new int[] {1, -1})) {
                return true;
            }
        }
        for (int d2 = lo; d2 <= hi; d2++) {
            if (d2 != d1 && s.offer(new int[] {a1, a1}, new int[] {d1, d2}, new int[] {1, -1})) {
                return true;
            }
        }
        for (int d2 = lo; d2 <= hi; d2++) {
            if (d2 == d1 || !sameSegment(d1, d2)) continue;
            for (int a2 = 0; a2 < areas; a2++) {
                if (a2 != a1 && through[a2] < days - 1 && offerDiagonal(s, a1, a2, d1, d2)) {
                    return true;
                }
            }
        }
        for (int d2 = lo; d2 <= hi; d2++) {
            if (d2 == d1 || sameSegment(d1, d2)) continue;
            for (int a2 = 0; a2 < areas; a2++) {
                if (a2 != a1 && through[a2] < days - 1
                        && (offerRectangle(s, a1, a2, d1, d2) || offerDiagonal(s, a1, a2, d1, d2))) {
                    return true;
                }
            }
        }
        return s.offer(new int[] {a1}, new int[] {d1}, new int[] {1});
    }

    private static boolean offerRectangle(Search s, int a1, int a2, int d1, int d2) {
        return s.offer(new int[] {a1, a2, a1, a2}, new int[] {d1, d2, d2, d1}, new int[] {1, 1, -1, -1});
    }

    private static boolean offerDiagonal(Search s, int a1, int a2, int d1, int d2) {
        return s.offer(new int[] {a1, a2}, new int[] {d1, d2}, new int[] {1, -1});
    }

    private boolean sameSegment(int d1, int d2) {
        return weekOf[d1] == weekOf[d2] && monthOf[d1] == monthOf[d2];
    }

    private List<PublicCell> record(ReleaseLedger ledger) {
        List<PublicCell> cells = new ArrayList<>();
        for (int level = DAY; level <= MONTH; level++) {
            for (int a = 0; a <= areas; a++) {
                for (int b = 0; b < buckets(level); b++) {
                    ReleaseLedger.Key key = key(level, a, b);
                    boolean s = suppressed[level][a][b];
                    long f = level == DAY && a < all ? basis[a][b] : -1;
                    ledger.put(key, new ReleaseLedger.Entry(s, f));
                    cells.add(new PublicCell(signal, key.granularity(), key.periodStart(), key.areaId(),
                            s ? null : value[level][a][b]));
                }
            }
        }
        return cells;
    }

    private ReleaseLedger.Key key(int level, int a, int b) {
        LocalDate start = level == DAY ? counts.first().plusDays(b)
                : level == WEEK ? weekStarts.get(b) : monthStarts.get(b);
        return new ReleaseLedger.Key(signal, granularity(level), start, a == all ? PublicCell.ALL_AREAS : counts.areas().get(a));
    }

    private static Granularity granularity(int level) {
        return level == DAY ? Granularity.DAY : level == WEEK ? Granularity.WEEK : Granularity.MONTH;
    }
}
