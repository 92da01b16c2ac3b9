package lookout.release;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import lookout.kernel.UsageException;

/**
 * What earlier public releases revealed, so a revision can never be subtracted from an earlier release to
 * recover a suppressed cell or to learn that it changed. For every cell ever released it keeps whether it was
 * suppressed (a cell's status never changes afterwards), and for every area-day cell its count in the release's
 * basis: for a suppressed area-day the count it had when first released, which every later release keeps using
 * in its totals (see {@link CellSuppressor}). These counts are restricted data: the ledger lives beside the
 * restricted database, never in a public output directory.
 *
 * <p>It also remembers every outreach account ({@link Insider}) any of its releases was protected from, and for each
 * area it was ever given the last day whose counts it may have seen: the account still knows them, so every later
 * release protects from it too. An area the account still has is known through the day each release's snapshot was
 * last updated; one taken from it since the last release, through that day of this release (when it lost the area
 * is not known); after that the area's later days are hidden from it again.
 */
public final class ReleaseLedger {
    static final String HEADER = "signal,granularity,period_start,area_id,suppressed,basis";
    /** Ledgers written before the basis rule: their releases published revised totals, so they cannot be continued. */
    static final String OLD_HEADER = "signal,granularity,period_start,area_id,suppressed,floor";
    private static final String DP_SPENT = "# dp_epsilon_spent=";
    /**
     * {@code # insider=NAME AREA:THROUGH:current|former,...}: names and area ids hold neither spaces, commas nor
     * colons (the users file's rule).
     */
    private static final String INSIDER = "# insider=";

    /** A released cell's identity. */
    public record Key(String signal, Granularity granularity, LocalDate periodStart, String areaId)
            implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = signal.compareTo(o.signal);
            if (c == 0) c = granularity.compareTo(o.granularity);
            if (c == 0) c = periodStart.compareTo(o.periodStart);
            if (c == 0) c = areaId.compareTo(o.areaId);
            return c;
        }
    }

    /**
     * @param basis for an area-day, the count it contributed to the latest release's published numbers (fixed
     *     since its first release when suppressed); -1 for aggregates, which are sums of area-days
     */
    public record Entry(boolean suppressed, long basis) {}

    private final Map<Key, Entry> entries = new TreeMap<>();
    private BigDecimal dpEpsilonSpent = BigDecimal.ZERO;
    /** What an outreach account knows of one area: its counts through a day, and whether it still has the area. */
    record Known(LocalDate through, boolean current) {}

    /** Every area each outreach account ever knew, by account name, in the order first given. */
    private final Map<String, Map<String, Known>> insiders = new LinkedHashMap<>();

    public static ReleaseLedger empty() {
        return new ReleaseLedger();
    }

    /** The ledger in {@code file}, or an empty one when the file does not exist yet (first release). */
    public static ReleaseLedger readOrEmpty(Path file) {
        ReleaseLedger ledger = new ReleaseLedger();
        if (!Files.exists(file)) {
            return ledger;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = r.readLine();
            if (OLD_HEADER.equals(line)) {
                throw new UsageException("release ledger " + file + " was written before revisions froze suppressed"
                        + " counts, so its releases cannot be continued safely; start a new ledger (--ledger NEW_FILE)");
            }
            if (!HEADER.equals(line)) {
                throw new UsageException("release ledger " + file + " is not a Lookout release ledger");
            }
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.startsWith(DP_SPENT)) {
                    try {
                        ledger.dpEpsilonSpent = new BigDecimal(line.substring(DP_SPENT.length()));
                    } catch (NumberFormatException e) {
                        throw new UsageException("release ledger " + file + " is damaged at line " + lineNo);
                    }
                    continue;
                }
                if (line.startsWith(INSIDER)) {
                    if (!ledger.readInsider(line.substring(INSIDER.length()))) {
                        throw new UsageException("release ledger " + file + " is damaged at line " + lineNo);
                    }
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != 6) {
                    throw new UsageException("release ledger " + file + " is damaged at line " + lineNo);
                }
                try {
                    ledger.entries.put(new Key(f[0], Granularity.valueOf(f[1].toUpperCase(java.util.Locale.ROOT)),
                                    LocalDate.parse(f[2]), f[3]),
                            new Entry(Boolean.parseBoolean(f[4]), Long.parseLong(f[5])));
                } catch (IllegalArgumentException | DateTimeParseException e) {
                    throw new UsageException("release ledger " + file + " is damaged at line " + lineNo);
                }
            }
        } catch (IOException e) {
            throw new UsageException("cannot read release ledger " + file);
        }
        return ledger;
    }

    /** Writes atomically, so an interrupted export leaves the previous ledger intact. */
    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".ledger", ".tmp");
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write(HEADER);
                w.newLine();
                w.write(DP_SPENT + dpEpsilonSpent.toPlainString());
                w.newLine();
                for (Map.Entry<String, Map<String, Known>> i : insiders.entrySet()) {
                    List<String> areas = new ArrayList<>();
                    i.getValue().forEach((area, k) -> areas.add(area + ":" + k.through() + ":"
                            + (k.current() ? "current" : "former")));
                    w.write(INSIDER + i.getKey() + " " + String.join(",", areas));
                    w.newLine();
                }
                for (Map.Entry<Key, Entry> e : entries.entrySet()) {
                    Key k = e.getKey();
                    w.write(k.signal() + "," + k.granularity().code() + "," + k.periodStart() + "," + k.areaId()
                            + "," + e.getValue().suppressed() + "," + e.getValue().basis());
                    w.newLine();
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UsageException("cannot write release ledger " + file);
        }
    }

    public Optional<Entry> get(Key key) {
        return Optional.ofNullable(entries.get(key));
    }

    void put(Key key, Entry entry) {
        entries.put(key, entry);
    }

    /** The signals with released cells. */
    public SortedSet<String> signals() {
        SortedSet<String> signals = new TreeSet<>();
        entries.keySet().forEach(k -> signals.add(k.signal()));
        return signals;
    }

    /** The first and last day covered by {@code signal}'s released cells, or null before its first release. */
    public LocalDate[] range(String signal) {
        LocalDate first = null;
        LocalDate last = null;
        for (Key k : entries.keySet()) {
            if (!k.signal().equals(signal)) continue;
            LocalDate end = k.granularity().end(k.periodStart());
            if (first == null || k.periodStart().isBefore(first)) first = k.periodStart();
            if (last == null || end.isAfter(last)) last = end;
        }
        return first == null ? null : new LocalDate[] {first, last};
    }

    /** The area ids (without the all-areas total) of {@code signal}'s released cells. */
    public SortedSet<String> areas(String signal) {
        SortedSet<String> areas = new TreeSet<>();
        for (Key k : entries.keySet()) {
            if (k.signal().equals(signal) && !k.areaId().equals(PublicCell.ALL_AREAS)) {
                areas.add(k.areaId());
            }
        }
        return areas;
    }

    public int size() {
        return entries.size();
    }

    /** The differential privacy budget spent by all earlier releases together (epsilons add up). */
    public BigDecimal dpEpsilonSpent() {
        return dpEpsilonSpent;
    }

    void spendDpEpsilon(BigDecimal epsilon) {
        dpEpsilonSpent = dpEpsilonSpent.add(epsilon);
    }

    /** One {@code # insider=} line's value; false when it is damaged. */
    private boolean readInsider(String value) {
        String[] f = value.split(" ", -1);
        if (f.length != 2 || f[0].isEmpty()) {
            return false;
        }
        Map<String, Known> areas = new TreeMap<>();
        for (String a : f[1].split(",", -1)) {
            String[] p = a.split(":", -1);
            if (p.length != 3 || p[0].isEmpty() || !(p[2].equals("current") || p[2].equals("former"))) {
                return false;
            }
            try {
                if (areas.put(p[0], new Known(LocalDate.parse(p[1]), p[2].equals("current"))) != null) {
                    return false;
                }
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return insiders.putIfAbsent(f[0], areas) == null;
    }

    /** Every outreach account a release of this ledger was protected from, earliest first, with what it knows. */
    Map<String, Map<String, Known>> insiders() {
        return Collections.unmodifiableMap(insiders);
    }

    /** The accounts' names, earliest first. */
    public List<String> insiderNames() {
        return List.copyOf(insiders.keySet());
    }

    /**
     * Records what the outreach accounts know when a release is made of a snapshot whose counts the dashboards
     * served through {@code last}. {@code given} is the users file's accounts, or empty when the release was made
     * without one: then every account is taken to still have its areas. An account or area missing from a given
     * file has lost it: it may have seen its counts until now, so through {@code last}, and not after.
     */
    void recordInsiders(Optional<List<Insider>> given, LocalDate last) {
        Map<String, Set<String>> now = new LinkedHashMap<>();
        given.ifPresent(accounts -> accounts.forEach(i -> now.put(i.name(), i.areas())));
        for (Map.Entry<String, Map<String, Known>> account : insiders.entrySet()) {
            Set<String> has = now.getOrDefault(account.getKey(), Set.of());
            account.getValue().replaceAll((area, k) -> {
                boolean still = given.isEmpty() ? k.current() : has.contains(area);
                return k.current() || still ? new Known(max(k.through(), last), still) : k;
            });
        }
        now.forEach((name, areas) -> areas.forEach(area -> insiders.computeIfAbsent(name, n -> new TreeMap<>())
                .putIfAbsent(area, new Known(last, true))));
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    /** A copy, so a release that fails half-way cannot leave a half-updated ledger behind. */
    public ReleaseLedger copy() {
        ReleaseLedger c = new ReleaseLedger();
        c.entries.putAll(entries);
        c.dpEpsilonSpent = dpEpsilonSpent;
        insiders.forEach((name, areas) -> c.insiders.put(name, new TreeMap<>(areas)));
        return c;
    }
}
