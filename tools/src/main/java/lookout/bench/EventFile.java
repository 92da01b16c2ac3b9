package lookout.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import lookout.ingest.Source;

/**
 * Writes seeded NDJSON of {@code lines} records spread evenly over a time span, streaming to disk so that
 * millions of lines need no memory: a share are exact re-sends of a recent valid line (duplicates) and a share
 * are broken records (dead letters). Lines are dealt round-robin into {@code shards} files, as a history export
 * split by month or by source would be, because Lookout's file source reads each file on one thread. Returns
 * what the files hold, so the bench can check that every run counted what it should.
 */
public final class EventFile {
    /** Duplicates re-send one of the last this-many valid lines, as an upstream retry would. */
    private static final int RECENT = 1024;

    /**
     * What a written file holds; {@code unique} valid events are what the pipeline must accept; {@code people} how
     * the persons of those events came out; {@code checkingSites} how many drug-checking sites reported.
     */
    public record Contents(List<Path> files, long lines, long unique, long duplicates, long bad,
            Map<Source, Long> uniqueBySource, ContractLines.People people, int checkingSites) {
        /** The input in a sentence, for the report. */
        public String describe() {
            long[] k = people.byReports();
            long more = 0;
            for (int i = 3; i < k.length; i++) {
                more += k[i];
            }
            return String.format("%,d lines in %d file(s): %,d unique valid events, %,d duplicates, %,d bad records;"
                    + " %,d persons (%,d in one report, %,d in two, %,d in three or more), %,d paramedic call +"
                    + " naloxone pairs of one person within 90 minutes; %d drug-checking sites", lines, files.size(),
                    unique, duplicates, bad, people.persons(), k[1], k[2], more, people.linkedPairs(), checkingSites);
        }
    }

    public record Settings(long lines, Instant start, Duration span, double duplicateFraction, double badFraction) {}

    private EventFile() {}

    public static Contents write(Path dir, String name, int shards, ContractLines factory, Settings s) throws IOException {
        String[] recent = new String[RECENT];
        int recentCount = 0;
        long unique = 0;
        long duplicates = 0;
        long bad = 0;
        Map<Source, Long> bySource = new EnumMap<>(Source.class);
        ContractLines.Break[] breaks = ContractLines.Break.values();
        long startMillis = s.start().toEpochMilli();
        double step = (double) s.span().toMillis() / Math.max(1, s.lines());
        var random = factory.random();
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        BufferedWriter[] outs = new BufferedWriter[shards];
        try {
            for (int k = 0; k < shards; k++) {
                files.add(dir.resolve(String.format("%s-%02d.ndjson", name, k)));
                outs[k] = Files.newBufferedWriter(files.get(k), StandardCharsets.UTF_8);
            }
            for (long i = 0; i < s.lines(); i++) {
                BufferedWriter out = outs[(int) (i % shards)];
                long occurred = startMillis + (long) (i * step) + random.nextLong(60_000);
                double u = random.nextDouble();
                Source source = factory.drawSource();
                String line;
                if (u < s.duplicateFraction() && recentCount > 0) {
                    line = recent[random.nextInt(Math.min(recentCount, RECENT))];
                    duplicates++;
                } else if (u >= s.duplicateFraction() && u < s.duplicateFraction() + s.badFraction()) {
                    line = factory.broken(source, occurred, breaks[random.nextInt(breaks.length)]);
                    bad++;
                } else {
                    line = factory.valid(source, occurred);
                    recent[recentCount++ % RECENT] = line;
                    unique++;
                    bySource.merge(source, 1L, Long::sum);
                }
                out.write(line);
                out.write('\n');
            }
        } finally {
            for (BufferedWriter out : outs) {
                if (out != null) {
                    out.close();
                }
            }
        }
        return new Contents(List.copyOf(files), s.lines(), unique, duplicates, bad, bySource, factory.people(),
                factory.siteCount());
    }
}
