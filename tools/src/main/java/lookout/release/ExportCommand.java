package lookout.release;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import lookout.config.LookoutConfig;
import lookout.dashboards.ReleaseManifest.PendingSignal;
import lookout.dashboards.Users;
import lookout.kernel.Command;
import lookout.kernel.Disclosure;
import lookout.kernel.Options;
import lookout.kernel.UsageException;

/** {@code lookout export --tier public}: the open-data release of a restricted database snapshot. */
public final class ExportCommand implements Command {
    private final Clock clock;

    public ExportCommand() {
        this(Clock.systemUTC());
    }

    /** @param clock gives an open-data release its publication time */
    ExportCommand(Clock clock) {
        this.clock = clock;
    }

    /**
     * No event before this date is plausible (Lookout did not exist; the same bound as the ingest plausibility
     * window's default), so counts dated earlier are left out of every release.
     */
    public static final LocalDate EARLIEST_PLAUSIBLE = LocalDate.ofInstant(LookoutConfig.DEFAULT_EARLIEST, ZoneOffset.UTC);
    /** The options, all of which take a value. */
    private static final Set<String> OPTIONS = Set.of("tier", "db", "out", "open-data", "ledger", "users", "k", "zone",
            "from", "through", "coroner-lag", "dp-epsilon", "dp-budget");
    /** Without --from, a first release covers at most this many whole months before the month of --through. */
    public static final int DEFAULT_MONTHS = 24;
    /**
     * The longest release period: every day costs memory and suppression work in every signal and area, and a
     * period may only grow from release to release (see {@link PublicRelease}).
     */
    public static final int MAX_RELEASE_DAYS = 5 * 366;
    /**
     * The largest --k: above the minimum cell sizes disclosure rules ask for (3 to 11, 20 at most). A cell a release
     * suppresses stays suppressed in every later release of the ledger, so "--k 50" for 5, or 1000000, withdrew a
     * whole period's open data for good.
     */
    static final int MAX_K = 20;
    public static final String LEDGER_FILE_NAME = "public-release-ledger.csv";
    /** How the summary's line on where the coroner counts end begins, for the demo that repeats that line. */
    public static final String CORONER_PERIOD = "  coroner counts to ";
    public static final BigDecimal DEFAULT_DP_BUDGET = new BigDecimal("5");
    /** With these bounds epsilon's fraction, times the sensitivity, always fits the sampler's integers. */
    private static final BigDecimal MAX_DP_EPSILON = new BigDecimal("1000");
    private static final int MAX_DP_DECIMALS = 6;

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "write the public tier (suppressed counts by area and day/week/month) as CSV and Parquet";
    }

    @Override
    public String usage() {
        return """
                Usage: ./lookout export --tier public --db FILE (--out DIR | --open-data DIR) [--k N] [--zone ZONE]
                                        [--from DATE] [--through DATE] [--coroner-lag DAYS] [--ledger FILE]
                                        [--users FILE] [--dp-epsilon E [--dp-budget B]]

                Writes public_day, public_week and public_month as CSV and Parquet, DATA_DICTIONARY.md and
                SUPPRESSION_POLICY.md into DIR. Reads FILE (a published database snapshot) read-only.

                  --tier public    the only exported tier; the restricted tier is the database itself
                  --db FILE        database snapshot to read
                  --out DIR        output directory (created if missing)
                  --open-data DIR  publish instead as a new release in DIR/<last day>/ (never replaced), adding
                                   what changed since the previous release in DIR (REVISIONS.csv, REVISIONS.md),
                                   the licence and manifest.json (every file's size and SHA-256); served by
                                   ./lookout serve --open-data DIR
                  --k N            minimum published count, 2 to %d (default %d)
                  --zone ZONE      time zone of the pipeline's days (default America/Toronto)
                  --from DATE      first day of the release period (default: the day of the earliest count, at
                                   most %d whole months before the month of --through; never before
                                   %s, and earlier releases in the ledger are always covered); counts dated
                                   before %s are implausible and left out; the period is at most %d days
                  --through DATE   last day to publish (default: the last complete day in the snapshot);
                                   never after the day before the snapshot was last updated
                  --coroner-lag DAYS
                                   the coroner counts end DAYS days before the last day (default %d, 0 to %d):
                                   deaths are reported weeks or months late, and a withheld day keeps its first
                                   count in every later total, so a day is first published once most of its
                                   reports are in; never before the last coroner day of earlier releases
                  --ledger FILE    restricted release ledger, read and updated so revisions stay safe
                                   (default: public-release-ledger.csv beside the database file); never
                                   inside the directory the release goes to
                  --users FILE     the users file of ./lookout serve: each outreach account sees every count of
                                   its own areas, so more cells are withheld that it could otherwise work out
                                   from them; the ledger remembers the accounts for every later release
                  --dp-epsilon E   also write differentially private counts (dp_* files) spending epsilon E
                  --dp-budget B    total epsilon all releases together may spend (default 5); recorded in the ledger
                                   (E and B: above 0, at most 1000, with at most 6 decimal places)
                """.formatted(MAX_K, Disclosure.K, DEFAULT_MONTHS, EARLIEST_PLAUSIBLE, EARLIEST_PLAUSIBLE,
                MAX_RELEASE_DAYS, CoronerLag.DEFAULT_DAYS, CoronerLag.MAX_DAYS);
    }

    @Override
    public int run(List<String> args, PrintStream out) {
        Options o = Options.parse(name(), args, OPTIONS, Set.of());
        String tier = o.get("tier");
        Path db = path(o, "db");
        Path dir = path(o, "out");
        Path openData = path(o, "open-data");
        Path ledgerFile = path(o, "ledger");
        Path usersFile = path(o, "users");
        int k = o.has("k") ? parseK(o.get("k")) : Disclosure.K;
        ZoneId zone = o.has("zone") ? parseZone(o.get("zone")) : ZoneId.of("America/Toronto");
        LocalDate from = o.has("from") ? parseFrom(o.get("from")) : null;
        LocalDate through = o.has("through") ? parseDate("--through", o.get("through"), "2026-03-31") : null;
        int coronerLag = o.has("coroner-lag") ? CoronerLag.parse(o.get("coroner-lag")) : CoronerLag.DEFAULT_DAYS;
        BigDecimal dpEpsilon = o.has("dp-epsilon") ? parsePositive("--dp-epsilon", o.get("dp-epsilon")) : null;
        BigDecimal dpBudget = o.has("dp-budget") ? parsePositive("--dp-budget", o.get("dp-budget"))
                : DEFAULT_DP_BUDGET;
        if (tier == null) {
            throw new UsageException("--tier is required (lookout export --tier public --db FILE --out DIR)");
        }
        if (!tier.equals("public")) {
            throw new UsageException("unknown tier " + tier + ": only the public tier is exported");
        }
        if (db == null) {
            throw new UsageException("--db FILE is required");
        }
        if ((dir == null) == (openData == null)) {
            throw new UsageException("give one of --out DIR and --open-data DIR");
        }
        if (ledgerFile == null) {
            Path parent = db.toAbsolutePath().getParent();
            ledgerFile = parent.resolve(LEDGER_FILE_NAME);
        }

        Optional<List<Insider>> insiders = Optional.ofNullable(usersFile).map(ExportCommand::insiders);
        RestrictedCounts counts = RestrictedCounts.read(db, zone, EARLIEST_PLAUSIBLE);
        Path releaseDir = dir != null ? dir : openData;
        if (ledgerFile.toAbsolutePath().normalize().startsWith(releaseDir.toAbsolutePath().normalize())) {
            // The ledger holds the restricted counts behind the suppressions, and there it would be overwritten by a
            // release's file or published with one.
            throw new UsageException("the release ledger " + ledgerFile + " is inside " + (dir != null ? "--out "
                    : "--open-data ") + releaseDir + ", which is published: keep it with the restricted database");
        }
        ReleaseLedger prior = ReleaseLedger.readOrEmpty(ledgerFile);
        LocalDate firstData = counts.firstDay();
        if (firstData == null) {
            throw new UsageException(counts.implausibleRows() == 0 ? "no daily counts of a public signal in " + db
                    : "no daily counts of a public signal dated from " + EARLIEST_PLAUSIBLE + " on in " + db + " ("
                            + counts.implausibleRows() + " earlier left out)");
        }
        LocalDate counted = counts.snapshotDay().minusDays(1);
        if (through != null && through.isAfter(counted)) {
            // Days the job has not counted whole would be published as zeros, and the ledger would then make every
            // later release cover them.
            throw new UsageException("--through " + through + " is after " + counted + ", the last day " + db
                    + " has counted whole");
        }
        LocalDate last = through != null ? through : counts.lastCompleteDay();
        LocalDate first = from != null ? from : defaultFrom(firstData, last);
        LocalDate ledgerFirst = null;
        for (String signal : PublicRelease.PUBLIC_SIGNALS) {
            LocalDate[] range = prior.range(signal);
            if (range != null && (ledgerFirst == null || range[0].isBefore(ledgerFirst))) {
                ledgerFirst = range[0];
            }
        }
        if (ledgerFirst != null && ledgerFirst.isBefore(first)) {
            first = ledgerFirst;
        }
        if (last.isBefore(first)) {
            throw new UsageException("--through " + last + " is before the first day of the release period (" + first + ")");
        }
        long periodDays = ChronoUnit.DAYS.between(first, last) + 1;
        if (periodDays > MAX_RELEASE_DAYS) {
            throw new UsageException(first.equals(ledgerFirst)
                    ? "the earlier releases in " + ledgerFile + " start on " + first + ", so the release period " + first
                            + ".." + last + " would be " + periodDays + " days long, more than " + MAX_RELEASE_DAYS
                            + ": start a new release ledger"
                    : "the release period " + first + ".." + last + " is " + periodDays + " days long, more than "
                            + MAX_RELEASE_DAYS + ": choose a later --from");
        }
        OpenDataPublisher publisher = openData == null ? null : new OpenDataPublisher(openData);
        String id = OpenDataPublisher.id(last);
        if (publisher != null) {
            publisher.requirePublishable(id);
        }
        Map<String, DailyCounts> tables = counts.tables(first, CoronerLag.lastDays(last, coronerLag, prior));
        PublicRelease release;
        try {
            release = PublicRelease.build(tables, k, prior, insiders, counts.snapshotDay());
        } catch (IllegalStateException e) {
            throw new UsageException("cannot publish safely: " + e.getMessage());
        }
        List<PendingSignal> pending = CoronerLag.pending(counts.has(CoronerLag.SIGNAL), release.figures(), first,
                coronerLag);
        List<NoisyCounts.NoisyCell> noisy = null;
        String dpNote = null;
        if (dpEpsilon != null) {
            BigDecimal spent = prior.dpEpsilonSpent();
            if (spent.add(dpEpsilon).compareTo(dpBudget) > 0) {
                throw new UsageException("privacy budget exhausted: epsilon " + spent.toPlainString() + " of "
                        + dpBudget.toPlainString() + " already spent, this release asks " + dpEpsilon.toPlainString());
            }
            noisy = NoisyCounts.of(release.cells(), tables, k, new DiscreteLaplace(dpEpsilon, NoisyCounts.SENSITIVITY));
            release.ledger().spendDpEpsilon(dpEpsilon);
            dpNote = PublicTierText.dpNote(dpEpsilon, release.ledger().dpEpsilonSpent(), dpBudget);
        }
        Path target = publisher == null ? dir : publisher.staging(id);
        PublicReleaseWriter writer = new PublicReleaseWriter(target, counts.areaNames(), zone);
        List<PublicReleaseWriter.Written> files;
        try {
            // The ledger is written before any public file: a release the ledger does not know about could later be
            // subtracted from a revision. The output is probed first, so a release that cannot be written is never
            // recorded and spends no privacy budget.
            writer.requireWritable();
            release.ledger().write(ledgerFile);
            files = writer.write(release, pending, k, first, last, noisy, dpNote);
        } catch (UsageException e) {
            if (publisher != null) {
                OpenDataPublisher.delete(target);
            }
            throw e;
        }
        OpenDataPublisher.Published published = null;
        int fileCount = files.size();
        if (publisher != null) {
            published = publisher.publish(id, target, files, first, last, release.figures(), pending, k,
                    clock.instant().truncatedTo(ChronoUnit.SECONDS));
            dir = published.dir();
            fileCount = published.files();
        }

        long cells = release.cells().size();
        long suppressed = release.cells().stream().filter(PublicCell::suppressed).count();
        out.printf("public release %s..%s, k=%d: %d cells, %d suppressed, %d files in %s%n",
                first, last, k, cells, suppressed, fileCount, dir);
        for (PublicRelease.SignalFigures f : release.figures()) {
            out.printf("  %s: %d cells, %d below k, %d kept from earlier releases, %d to protect others%s%n",
                    f.signal(), f.cells(), f.primary(), f.carriedOver(), f.complementary(),
                    release.insiders() == 0 ? "" : " (" + f.forInsiders() + " of them from outreach accounts)");
        }
        coronerPeriod(release, pending, counts, last, coronerLag, out);
        if (release.insiders() > 0) {
            out.printf("  outreach profiles whose areas' counts were treated as known: %d%n", release.insiders());
        }
        for (PublicRelease.Unhidden u : release.unhidden()) {
            out.printf("  warning: earlier releases, made before outreach account %s was given its present areas,"
                    + " may let it work out up to %d withheld %s cell(s) from its own counts; this release tells it"
                    + " nothing more%n",
                    u.account(), u.cells(), u.signal());
        }
        if (counts.implausibleRows() > 0) {
            out.printf("  left out %d daily counts (%d events) dated before %s, the earliest plausible event date%n",
                    counts.implausibleRows(), counts.implausibleEvents(), EARLIEST_PLAUSIBLE);
        }
        if (dpEpsilon != null) {
            out.printf("  differentially private counts: epsilon %s, %s of the budget %s spent%n", dpEpsilon.toPlainString(),
                    release.ledger().dpEpsilonSpent().toPlainString(), dpBudget.toPlainString());
        }
        if (published != null && published.previous() == null) {
            out.printf("  open data: release %s, the first in %s%n", id, openData);
        } else if (published != null) {
            out.printf("  open data: release %s in %s; %d published numbers changed since release %s%n",
                    id, openData, published.revisions().changed().size(), published.previous());
        }
        return 0;
    }

    /**
     * Where the coroner counts end, when not on the release's last day, and a warning when the snapshot's reporting
     * delays say that most of a day's coroner reports take longer than the lag to come in.
     */
    private static void coronerPeriod(PublicRelease release, List<PendingSignal> pending, RestrictedCounts counts,
            LocalDate last, int lag, PrintStream out) {
        if (!pending.isEmpty()) {
            out.printf("  coroner: no counts yet: --coroner-lag %d ends them on %s, before the period's first"
                    + " day%n", lag, last.minusDays(lag));
            return;
        }
        Optional<PublicRelease.SignalFigures> coroner = release.figures().stream()
                .filter(f -> f.signal().equals(CoronerLag.SIGNAL)).findFirst();
        if (coroner.isEmpty()) {
            return;
        }
        LocalDate end = coroner.get().last();
        long before = ChronoUnit.DAYS.between(end, last);
        if (before == lag && lag > 0) {
            out.printf(CORONER_PERIOD + "%s, %d days before %s (--coroner-lag %d): later deaths are still being"
                    + " reported%n", end, before, last, lag);
        } else if (before < lag) {
            out.printf(CORONER_PERIOD + "%s, %d days before %s: earlier releases published them that far, beyond"
                    + " --coroner-lag %d%n", end, before, last, lag);
        }
        OptionalInt most = CoronerLag.mostReportsIn(counts.coronerDelays());
        if (most.isPresent() && most.getAsInt() > lag) {
            out.printf("  warning: in this snapshot %d %% of a day's coroner reports are in only %d days after it,"
                    + " later than --coroner-lag %d: its latest coroner days published stay short of their deaths in"
                    + " every later total%n", Math.round(CoronerLag.MOST_REPORTS * 100), most.getAsInt(), lag);
        }
    }

    private static List<Insider> insiders(Path usersFile) {
        return Users.read(usersFile).outreachProfiles().entrySet().stream()
                .map(e -> new Insider(e.getKey(), e.getValue())).toList();
    }

    /**
     * The day of the earliest count, but no earlier than the first of the month {@link #DEFAULT_MONTHS} months before
     * {@code last}'s. Not the first of the earliest count's month: the days before the first count were not watched,
     * and a release starting on them would publish a partly watched first week and month as if it were whole.
     */
    private static LocalDate defaultFrom(LocalDate firstData, LocalDate last) {
        LocalDate earliest = Granularity.MONTH.start(last).minusMonths(DEFAULT_MONTHS);
        return firstData.isBefore(earliest) ? earliest : firstData;
    }

    private static Path path(Options o, String option) {
        return o.has(option) ? Path.of(o.get(option)) : null;
    }

    private static LocalDate parseFrom(String v) {
        LocalDate from = parseDate("--from", v, "2026-01-01");
        if (from.isBefore(EARLIEST_PLAUSIBLE)) {
            throw new UsageException("--from must not be before " + EARLIEST_PLAUSIBLE + ", the earliest plausible event date");
        }
        return from;
    }

    private static int parseK(String v) {
        try {
            int k = Integer.parseInt(v);
            if (k >= 2 && k <= MAX_K) {
                return k;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--k must be a whole number from 2 to " + MAX_K);
    }

    /**
     * An epsilon or a budget. The discrete Laplace sampler uses epsilon as an exact fraction of two integers up to a
     * billion, and the ledger writes both out in full: 1e-300 failed with an ArithmeticException after the
     * snapshot was read, and 1e99999999 ran for ever.
     */
    private static BigDecimal parsePositive(String option, String v) {
        try {
            BigDecimal d = new BigDecimal(v);
            if (d.signum() > 0 && d.stripTrailingZeros().scale() <= MAX_DP_DECIMALS
                    && d.compareTo(MAX_DP_EPSILON) <= 0) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " must be a positive number of at most " + MAX_DP_EPSILON
                + " with at most " + MAX_DP_DECIMALS + " decimal places");
    }

    private static ZoneId parseZone(String v) {
        try {
            return ZoneId.of(v);
        } catch (DateTimeException e) {
            throw new UsageException("--zone " + v + " is not a time zone id (e.g. America/Toronto)");
        }
    }

    private static LocalDate parseDate(String option, String v, String example) {
        try {
            return LocalDate.parse(v);
        } catch (DateTimeException e) {
            throw new UsageException(option + " must be a date like " + example);
        }
    }
}
