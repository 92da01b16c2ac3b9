package lookout.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import lookout.ingest.Source;

/**
 * Writes a seeded NDJSON file of {@code lines} records spread evenly over a time span, streaming to disk so
 * that millions of lines need no memory: a share are exact re-sends of a recent valid line (duplicates) and
 * a share are broken records (dead letters). Returns what the file holds, so the bench can check that every
 * run counted what it should.
 */
public final class EventFile {
    /** Duplicates re-send one of the last this-many valid lines, as an upstream retry would. */
    private static final int RECENT = 1024;

    /** What a written file holds; {@code unique} valid events are what the pipeline must accept. */
    public record Contents(long lines, long unique, long duplicates, long bad, Map<Source, Long> uniqueBySource) {}

    public record Settings(long lines, Instant start, Duration span, double duplicateFraction, double badFraction) {}

    private EventFile() {}

    public static Contents write(Path file, ContractLines factory, Settings s) throws IOException {
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
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long i = 0; i < s.lines(); i++) {
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
        }
        return new Contents(s.lines(), unique, duplicates, bad, bySource);
    }
}
