package lookout.dashboards;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import lookout.dashboards.ReleaseManifest.Format;
import lookout.dashboards.ReleaseManifest.Kind;
import lookout.dashboards.ReleaseManifest.ReleaseFile;

/**
 * The open-data page, rendered on the server as plain HTML (no script): a release's downloads, what changed since
 * the release before it, its licence, data dictionary and suppression policy, and the earlier releases. The same
 * page shows the latest release at {@link OpenDataRoutes#PAGE} and any release at its own stable URL.
 */
final class OpenDataPage {
    /** The zone's abbreviation (EST, EDT) tells a reader elsewhere which clock the time is on. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm z", Locale.ENGLISH);
    private static final List<String> GRANULARITIES = List.of("day", "week", "month");

    private final OpenData openData;

    /** @param openData null when the server publishes no open data */
    OpenDataPage(OpenData openData) {
        this.openData = openData;
    }

    /**
     * The page body for {@code release} (the latest when {@code latest}), with {@code all} releases newest first; its
     * publication time in the city's {@code zone}, as every page shows times.
     */
    String body(ReleaseManifest release, boolean latest, List<ReleaseManifest> all, ZoneId zone) {
        StringBuilder b = new StringBuilder();
        b.append(intro(release.k()));
        b.append("<section id=\"release\" aria-labelledby=\"release-title\">\n<h2 id=\"release-title\">")
                .append(latest ? "Latest release: " : "Release ").append("<span class=\"release-id\">")
                .append(esc(release.id())).append("</span></h2>\n");
        if (!latest) {
            b.append("<p class=\"notice\">This is an earlier release, kept unchanged at this address. The latest is on ")
                    .append(link(OpenDataRoutes.PAGE, "the open-data page")).append(".</p>\n");
        }
        b.append("<p>Counts from ").append(day(release.periodStart())).append(" to ").append(day(release.periodEnd()))
                .append(", published ").append(esc(TIME.format(release.published().atZone(zone)))).append(".")
                .append(esc(ReleaseWords.afterSpaces(ReleaseWords.notes(release, all))))
                .append(" Counts below ").append(release.k()).append(" are withheld.</p>\n");
        b.append(downloads(release, Kind.COUNTS, "Counts by area"));
        b.append(downloads(release, Kind.NOISY_COUNTS, "Counts with random noise added (differential privacy)"));
        b.append(otherFiles(release));
        b.append("</section>\n");

        b.append(markdownSection(release, Kind.REVISION_SUMMARY, "changes", "What changed since the previous release",
                release.files(Kind.REVISIONS).stream().findFirst()
                        .map(f -> "<p>Every changed number, one row each: " + fileLink(release, f) + ".</p>\n").orElse("")));
        b.append(licence(release));
        b.append(markdownSection(release, Kind.DICTIONARY, "dictionary", "What the columns mean", ""));
        b.append(markdownSection(release, Kind.POLICY, "policy", "How small counts are withheld", ""));
        b.append(earlier(release, all));
        b.append("<p class=\"feed\">New releases are announced in an ")
                .append(link(OpenDataRoutes.FEED, "Atom feed")).append(" and listed as JSON at ")
                .append(link(OpenDataRoutes.API, OpenDataRoutes.API)).append(".</p>\n");
        return b.toString();
    }

    /** The page when there is nothing to list: no open data configured, or none published yet. */
    String emptyBody() {
        StringBuilder b = new StringBuilder();
        if (openData == null) {
            b.append("<p class=\"notice\">This server publishes no open data.</p>\n");
        } else {
            b.append("<p class=\"notice\">No release has been published yet. New releases will be announced in an ")
                    .append(link(OpenDataRoutes.FEED, "Atom feed")).append(".</p>\n");
        }
        return b.toString();
    }

    private static String intro(int k) {
        return "<p>Counts of overdose-related events (paramedic calls, deaths reported by the coroner, naloxone use and"
                + " drug-checking samples) per neighbourhood and per day, week and month, free to download and reuse."
                + " They are built so that no one can be picked out from them: counts below " + k + " are withheld,"
                + " and so are the few others from which a withheld count could be worked out. What withholding"
                + " cannot protect is set out <a href=\"#policy\">with the policy below</a>.</p>\n";
    }

    /** One row per period: its CSV and Parquet files, named by format so the table fits a phone. */
    private String downloads(ReleaseManifest r, Kind kind, String caption) {
        List<ReleaseFile> files = r.files(kind);
        if (files.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<table class=\"downloads\">\n<caption>").append(esc(caption))
                .append("</caption>\n<thead><tr><th scope=\"col\">Period</th><th scope=\"col\">Download</th></tr></thead>\n<tbody>\n");
        for (String g : GRANULARITIES) {
            List<String> links = new ArrayList<>();
            for (Format format : List.of(Format.CSV, Format.PARQUET)) {
                files.stream().filter(f -> g.equals(f.granularity()) && f.format() == format).findFirst()
                        .ifPresent(f -> links.add(fileLink(r, f, format == Format.CSV ? "CSV" : "Parquet")));
            }
            if (links.isEmpty()) {
                continue;
            }
            b.append("<tr><th scope=\"row\">").append(switch (g) {
                case "day" -> "Daily";
                case "week" -> "Weekly";
                default -> "Monthly";
            }).append("</th><td>").append(String.join(" · ", links)).append("</td></tr>\n");
        }
        return b.append("</tbody>\n</table>\n").toString();
    }

    private String otherFiles(ReleaseManifest r) {
        StringBuilder b = new StringBuilder("<ul class=\"files\">\n");
        for (ReleaseFile f : r.files()) {
            if (f.kind() != Kind.COUNTS && f.kind() != Kind.NOISY_COUNTS) {
                b.append("<li>").append(fileLink(r, f)).append("</li>\n");
            }
        }
        b.append("<li>").append(link(OpenDataRoutes.fileUrl(r.id(), ReleaseManifest.FILE_NAME), ReleaseManifest.FILE_NAME))
                .append(": every file's size and SHA-256 checksum</li>\n");
        return b.append("</ul>\n").toString();
    }

    private String licence(ReleaseManifest r) {
        ReleaseManifest.Licence l = r.licence();
        StringBuilder b = new StringBuilder("<section id=\"licence\" aria-labelledby=\"licence-title\">\n"
                + "<h2 id=\"licence-title\">Licence</h2>\n<p>Published under the ");
        b.append("<a rel=\"license\" href=\"").append(esc(l.url())).append("\">").append(esc(l.name())).append("</a>")
                .append(" licence. Reuse the data for any purpose, including commercially, as long as you credit the source,")
                .append(" for example: <q>Lookout open data, release ").append(esc(r.id())).append(", ").append(esc(l.id()))
                .append("</q>. Please keep the suppression policy with the numbers: a withheld count is not a zero.</p>\n");
        r.files(Kind.LICENCE).stream().findFirst()
                .ifPresent(f -> b.append("<p class=\"source\">The licence note: ").append(fileLink(r, f)).append("</p>\n"));
        return b.append("</section>\n").toString();
    }

    private String markdownSection(ReleaseManifest r, Kind kind, String id, String title, String after) {
        Optional<ReleaseFile> file = r.files(kind).stream().findFirst();
        Optional<String> text = file.flatMap(f -> read(r, f));
        if (text.isEmpty()) {
            return "";
        }
        return "<section id=\"" + id + "\" aria-labelledby=\"" + id + "-title\">\n<h2 id=\"" + id + "-title\">" + esc(title)
                + "</h2>\n<div class=\"doc\">" + Markdown.toHtml(text.get(), 3) + "</div>\n" + after
                + "<p class=\"source\">Source: " + fileLink(r, file.get()) + "</p>\n</section>\n";
    }

    private static String earlier(ReleaseManifest shown, List<ReleaseManifest> all) {
        StringBuilder b = new StringBuilder("<section id=\"earlier\" aria-labelledby=\"earlier-title\">\n"
                + "<h2 id=\"earlier-title\">All releases</h2>\n<p>Each release stays at its own address, unchanged.</p>\n<ul>\n");
        for (ReleaseManifest r : all) {
            b.append("<li>");
            String text = "Release " + r.id() + " (" + ReleaseWords.day(r.periodStart()) + " to "
                    + ReleaseWords.day(r.periodEnd()) + ")";
            if (r.id().equals(shown.id())) {
                b.append(esc(text)).append(" — shown above");
            } else {
                b.append(link(OpenDataRoutes.releaseUrl(r.id()), text));
            }
            b.append("</li>\n");
        }
        return b.append("</ul>\n</section>\n").toString();
    }

    private Optional<String> read(ReleaseManifest r, ReleaseFile f) {
        return openData.file(r, f.name()).flatMap(p -> {
            try {
                return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    private static String fileLink(ReleaseManifest r, ReleaseFile f) {
        return fileLink(r, f, f.name());
    }

    private static String fileLink(ReleaseManifest r, ReleaseFile f, String text) {
        return "<a href=\"" + esc(OpenDataRoutes.fileUrl(r.id(), f.name())) + "\" download>" + esc(text) + "</a>"
                + " <span class=\"size\">(" + size(f.bytes()) + ")</span>";
    }

    private static String link(String href, String text) {
        return "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
    }

    private static String day(LocalDate d) {
        return esc(ReleaseWords.day(d));
    }

    /** A file size a reader can judge before downloading on a phone. */
    static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + " bytes";
        }
        if (bytes < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", bytes / 1000.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }

    private static String esc(String s) {
        return Html.text(s);
    }
}
