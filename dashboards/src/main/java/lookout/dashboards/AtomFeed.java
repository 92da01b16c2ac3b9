package lookout.dashboards;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The Atom 1.0 feed (RFC 4287) announcing the open-data releases, one entry per release, newest first. Ids are
 * name-based UUIDs of the release id, so they never change and do not depend on the host name a request used;
 * links are relative to the feed's own address.
 */
final class AtomFeed {
    static final String MEDIA_TYPE = "application/atom+xml";
    static final String CONTENT_TYPE = MEDIA_TYPE + "; charset=utf-8";

    private AtomFeed() {}

    /** @param emptyUpdated the feed's {@code updated} when there is no release yet */
    static String of(List<ReleaseManifest> releases, Instant emptyUpdated) {
        Instant updated = releases.stream().map(ReleaseManifest::published).max(Instant::compareTo).orElse(emptyUpdated);
        StringBuilder b = new StringBuilder("""
                <?xml version="1.0" encoding="utf-8"?>
                <feed xmlns="http://www.w3.org/2005/Atom">
                  <id>%s</id>
                  <title>Lookout open data releases</title>
                  <subtitle>Overdose-related counts per neighbourhood, with small counts withheld</subtitle>
                  <updated>%s</updated>
                  <author><name>Lookout</name></author>
                  <link rel="self" type="application/atom+xml" href="%s"/>
                  <link rel="alternate" type="text/html" href="%s"/>
                """.formatted(urn("feed"), updated, OpenDataRoutes.FEED, OpenDataRoutes.PAGE));
        releases.forEach(r -> b.append(entry(r, releases)));
        return b.append("</feed>\n").toString();
    }

    /** The entry of release {@code r}, one of {@code all}, where its previous release is found. */
    private static String entry(ReleaseManifest r, List<ReleaseManifest> all) {
        return """
                  <entry>
                    <id>%s</id>
                    <title>Release %s: counts through %s</title>
                    <published>%s</published>
                    <updated>%s</updated>
                    <link rel="alternate" type="text/html" href="%s"/>
                    <link rel="related" type="application/json" href="%s"/>
                    <summary>%s</summary>
                    <rights>%s</rights>
                  </entry>
                """.formatted(urn("release " + r.id()), Html.text(r.id()), Html.text(ReleaseWords.day(r.periodEnd())),
                r.published(), r.published(), Html.text(OpenDataRoutes.releaseUrl(r.id())),
                Html.text(OpenDataRoutes.fileUrl(r.id(), ReleaseManifest.FILE_NAME)), Html.text(summary(r, all)),
                Html.text(r.licence().name()));
    }

    /**
     * The release's period and files, where a signal's counts end earlier or have not started yet, and which of its
     * days are new since the previous release.
     */
    private static String summary(ReleaseManifest r, List<ReleaseManifest> all) {
        return "Counts from " + ReleaseWords.day(r.periodStart()) + " to " + ReleaseWords.day(r.periodEnd())
                + " by area and day, week and month, as CSV and Parquet; counts below " + r.k() + " withheld."
                + ReleaseWords.afterSpaces(ReleaseWords.notes(r, all));
    }

    private static String urn(String name) {
        return "urn:uuid:" + UUID.nameUUIDFromBytes(("lookout open data " + name).getBytes(StandardCharsets.UTF_8));
    }
}
