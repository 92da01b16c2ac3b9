package lookout.release;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

import lookout.dashboards.ReleaseManifest.PendingSignal;
import lookout.dashboards.ReleaseWords;
import lookout.kernel.Signal;

/** The data dictionary and the suppression policy shipped beside every public release. */
final class PublicTierText {
    /** Point 2's addition when outreach accounts were taken into account (how many is not the public's to know). */
    private static final String INSIDERS_NOTE = """

               Outreach workers see the exact counts of the areas they serve, so this release was also protected from
               each outreach account: for every suppressed cell an account does not know, a proof changes no count
               it knows, and its own counts do not reveal the cell either.\
            """;
    /** Added to it when earlier releases, made before an account had its areas, let that account read some cells. */
    private static final String UNHIDDEN_NOTE = """

               Cells withheld by releases made before an account was given its areas may stay readable to it: no
               later release can hide them again, and this one adds nothing to them.\
            """;

    /**
     * What suppression cannot do, for the people who reuse the files (docs/PRIVACY.md section 7 in the public's
     * terms): the page that offers the downloads says the counts are protected, so it must also say how far.
     */
    private static final String LIMITS = """
            ## What withholding cannot protect

            - Counts of k or more can still point at a place: five overdoses in a neighbourhood dominated by one
              shelter or one building point at that building.
            - Someone who already knows of an event (a neighbour's overdose on a given day) learns that the area's
              count includes it. Withholding hides how many others there were, not what a reader already knows.
            - Drug-checking samples are counted in the area of the service that checked them, so an area's
              drug-checking counts show that a service is there.
            - Other publishers' tables (emergency department visits, the coroner's own reports, tables on other
              boundaries) can be combined with these to narrow a count. Lookout accounts only for its own releases.
            - Which cells are withheld depends on the data, and the method is public: the protection covers the
              published numbers, not every inference from the pattern of blanks.
            """;

    private PublicTierText() {}

    /**
     * @param zone the zone whose local days the release counts by, named so a reader need not guess a default
     * @param last the release's last day
     * @param figures the release's signals, with their periods
     * @param pending the signals with no counts in the release yet
     */
    static String dataDictionary(int k, ZoneId zone, LocalDate last, List<PublicRelease.SignalFigures> figures,
            List<PendingSignal> pending) {
        return """
                # Lookout public counts: data dictionary

                Files: `public_day`, `public_week` and `public_month`, each as CSV (UTF-8, comma separated, header row)
                and Parquet with the same rows. One row per signal, period and area, plus one row per signal and period
                for all areas together.

                | column | type | meaning |
                |---|---|---|
                | signal | text | %s |
                | granularity | text | `day`, `week` (ISO week, Monday to Sunday) or `month` (calendar month) |
                | period_start | date | first local day of the period (YYYY-MM-DD) |
                | period_end | date | last local day of the period, inclusive |
                | area_id | text | neighbourhood area id, or `ALL` for all areas together |
                | area_name | text | neighbourhood name, or `All areas` |
                | count | integer | number of events in the area and period; empty in CSV and NULL in Parquet when suppressed |
                | suppressed | boolean | `true` when the count is withheld, see SUPPRESSION_POLICY.md |

                A suppressed count is between 0 and %d, or is withheld so that another suppressed count cannot be worked
                out from the published ones. Weeks and months appear only when they lie wholly inside their signal's
                period: the release period, or the coroner's shorter one.
                Files `dp_day`, `dp_week` and `dp_month`, present only when the release includes differentially
                private counts, have the same columns except `noisy_count` (the count plus random noise, for every cell
                including suppressed ones; empty when the noisy value is below %d) and `below_k` instead of `count` and
                `suppressed`. Noisy counts do not add up and must not be combined with the exact counts.
                Events are counted by the local day in %s on which they occurred. Late reports revise published day
                cells, and the weeks, months and all-areas totals above them, in later releases; a late report in a
                suppressed day cell is added to no published number (see SUPPRESSION_POLICY.md), so totals can fall
                short of the true counts.%s
                """.formatted(signals(), k - 1, k, zone.getId(), afterSpace(coronerNote(last, figures, pending)));
    }

    /** The public signals as the dictionary's {@code signal} row gives them: each code and what it counts. */
    private static String signals() {
        return Signal.publicSignals().stream().map(s -> "`" + s.code() + "` (" + counts(s) + ")")
                .collect(Collectors.joining(", "));
    }

    /**
     * What a signal counts, for the people who reuse the files. A switch over every signal, so a new one does not
     * compile until it is described; the derived signal too, should the public tier ever publish it.
     */
    private static String counts(Signal signal) {
        return switch (signal) {
            case PARAMEDIC -> "overdose calls attended by paramedics";
            case CORONER -> "suspected overdose deaths reported by the coroner or medical examiner";
            case NALOXONE -> "naloxone administrations reported by distribution programs";
            case DRUG_CHECKING -> "samples checked by drug-checking services";
            case COMBINED -> "overdoses attended by paramedics or reported by naloxone programs, each counted once";
        };
    }

    /** "`a`", "`a` and `b`", "`a`, `b` and `c`": signal codes as the policy names them. */
    private static String listed(List<Signal> signals) {
        List<String> codes = signals.stream().map(s -> "`" + s.code() + "`").toList();
        return codes.size() == 1 ? codes.get(0)
                : String.join(", ", codes.subList(0, codes.size() - 1)) + " and " + codes.get(codes.size() - 1);
    }

    private static String afterSpace(String sentences) {
        return sentences.isEmpty() ? "" : " " + sentences;
    }

    /**
     * Why the coroner counts end where they do: a reader who sees fewer deaths in the latest weeks must learn that
     * they are not yet reported, not that deaths fell; without any, that and when they will appear, in the words the
     * open-data page uses. Empty when the snapshot has no coroner counts.
     */
    private static String coronerNote(LocalDate last, List<PublicRelease.SignalFigures> figures,
            List<PendingSignal> pending) {
        LocalDate end = coronerLast(figures);
        if (end == null) {
            return pending.stream().map(ReleaseWords::notYet).collect(Collectors.joining(" "));
        }
        if (end.isBefore(last)) {
            return """
                    Coroner reports come weeks or months after a death, so a day's coroner counts are first
                    published only once most of its reports are in: in this release they run to %s, %d days before
                    its last day, and later deaths are still being reported. Later releases add the days whose
                    reports have come in since and keep every day already published."""
                    .formatted(end, ChronoUnit.DAYS.between(end, last));
        }
        return """
                Coroner reports come weeks after a death, so the coroner counts of the
                latest weeks are far from complete when first released, and most of their days are withheld and keep
                that count in every later week, month and all-areas total: fewer deaths in the latest weeks is not a
                fall in deaths.""";
    }

    /** The coroner's last day in the release, or null when it holds no coroner counts. */
    private static LocalDate coronerLast(List<PublicRelease.SignalFigures> figures) {
        return figures.stream().filter(f -> f.signal().equals(CoronerLag.SIGNAL))
                .map(PublicRelease.SignalFigures::last).findFirst().orElse(null);
    }

    /**
     * The policy's sentence about a coroner period that ends before the release's, empty otherwise, with its reason:
     * rule 3 applied to reports that come weeks late.
     */
    private static String coronerPeriod(LocalDate last, List<PublicRelease.SignalFigures> figures) {
        LocalDate end = coronerLast(figures);
        if (end == null || !end.isBefore(last)) {
            return "";
        }
        return " Coroner counts to " + end + " (" + ChronoUnit.DAYS.between(end, last) + " days earlier): coroner"
                + " reports come weeks or months after a death, and by rule 3 a withheld day keeps its first count in"
                + " every later total, so a coroner day is first released only once most of its reports are in.";
    }

    static String dpNote(java.math.BigDecimal epsilon, java.math.BigDecimal spent, java.math.BigDecimal budget) {
        return """
                Differentially private counts (dp_* files): discrete Laplace noise, epsilon %s for this release at
                sensitivity %d (one event changes six cells: its area's day, week and month and the three all-areas
                totals), drawn fresh for every cell from a cryptographically secure generator. Releases add up:
                epsilon %s of the budget %s has now been spent; Lookout refuses a release that would exceed it.
                The guarantee is per event: a person with several events in a release is protected with epsilon times
                that number.
                """.formatted(epsilon.toPlainString(), NoisyCounts.SENSITIVITY, spent.toPlainString(), budget.toPlainString());
    }

    static String suppressionPolicy(int k, LocalDate first, LocalDate last, List<PublicRelease.SignalFigures> figures,
            boolean insiders, boolean unhidden, String dpNote) {
        StringBuilder b = new StringBuilder();
        b.append("""
                # Lookout public counts: suppression policy

                Minimum cell size k = %d. Release period %s to %s.%s

                1. Small cells. Every count from 0 to %d is suppressed. Zero is never published: a suppressed cell does
                   not tell "nobody" from "a few".
                2. Complementary suppression. Further cells are suppressed so that no suppressed count can be worked out
                   from published counts by subtraction or any other combination: area against all-areas totals, days
                   against their week and month, weeks against months, and this release against earlier ones. For every
                   suppressed cell Lookout keeps a proof: a small change to the underlying daily counts that leaves every
                   published number of every release unchanged, keeps all counts non-negative and changes that cell.%s
                3. Revisions. A cell's status never changes: once published it is always published, once suppressed
                   it stays suppressed. Every published number is a sum of area-day counts in which a suppressed
                   area-day keeps the count it had when first released, while published area-days take their latest
                   count. So late reports revise published day cells and the totals above them, and a late report in a
                   suppressed area-day changes no published number: comparing releases shows only what published day
                   cells show, never whether a suppressed cell changed. A restricted release ledger records every
                   cell's status and those first-released counts.
                4. Signals. The source signals (%s) are published. The `%s` signal, which counts %s together,
                   each overdose once, is not: published beside them it would reveal how many people appear in more
                   than one of them.

                Which withheld cells are below k, which are withheld to protect others and which were withheld by an
                earlier release is not published: knowing that a withheld cell is below k would narrow it.

                | signal | cells | withheld |
                |---|---|---|
                """.formatted(k, first, last, coronerPeriod(last, figures), k - 1,
                !insiders ? "" : INSIDERS_NOTE + (unhidden ? UNHIDDEN_NOTE : ""), listed(Signal.publicSignals()),
                Signal.COMBINED.code(), listed(Signal.COMBINED.countedFrom())));
        for (PublicRelease.SignalFigures f : figures) {
            b.append("| ").append(f.signal()).append(" | ").append(f.cells()).append(" | ").append(f.withheld())
                    .append(" |\n");
        }
        if (dpNote != null) {
            b.append('\n').append(dpNote);
        }
        return b.append('\n').append(LIMITS).toString();
    }
}
