package lookout.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * Everything a bench run is parameterised by. {@link #full()} is the documented run; {@link #quick()} is the
 * CI smoke test's, small enough that the whole run stays under two minutes on two cores.
 */
public record BenchSettings(
        boolean quick,
        long events,
        int days,
        long seed,
        double duplicateFraction,
        double badFraction,
        int syntheticAreas,
        int parallelism,
        int streamingRate,
        Duration streamingDuration,
        int[] sweepRates,
        Duration checkpointInterval,
        int stateDays,
        double stateEventsPerAreaDay,
        int jmhIterations,
        Duration jmhIterationTime,
        int jmhForks,
        Set<String> parts,
        Path dir,
        Path sharedDir,
        ZoneId zone) {

    public static final Set<String> ALL_PARTS = Set.of("backfill", "baselines", "state", "micro", "streaming");

    /** Backfill history starts here: far enough back that no event is refused as lying in the future. */
    public Instant historyStart() {
        return ZonedDateTime.of(2023, 1, 1, 0, 0, 0, 0, zone).toInstant();
    }

    public Duration historySpan() {
        return Duration.ofDays(days);
    }

    public static BenchSettings full(Path dir, Path sharedDir) {
        return new BenchSettings(false, 5_000_000, 365, 42, 0.01, 0.001, 10_000,
                Runtime.getRuntime().availableProcessors(), 20_000, Duration.ofSeconds(60),
                new int[] {10_000, 20_000, 30_000, 40_000, 60_000}, Duration.ofSeconds(2), 90, 1.0,
                5, Duration.ofSeconds(1), 1, ALL_PARTS, dir, sharedDir, ZoneId.of("America/Toronto"));
    }

    public static BenchSettings quick(Path dir, Path sharedDir) {
        return new BenchSettings(true, 20_000, 30, 42, 0.01, 0.001, 10_000,
                Runtime.getRuntime().availableProcessors(), 2_000, Duration.ofSeconds(6),
                new int[] {2_000, 4_000}, Duration.ofSeconds(1), 90, 0.02,
                1, Duration.ofMillis(100), 0, ALL_PARTS, dir, sharedDir, ZoneId.of("America/Toronto"));
    }

    public BenchSettings withEvents(long value) {
        return new BenchSettings(quick, value, days, seed, duplicateFraction, badFraction, syntheticAreas, parallelism,
                streamingRate, streamingDuration, sweepRates, checkpointInterval, stateDays, stateEventsPerAreaDay,
                jmhIterations, jmhIterationTime, jmhForks, parts, dir, sharedDir, zone);
    }

    public BenchSettings withDays(int value) {
        return new BenchSettings(quick, events, value, seed, duplicateFraction, badFraction, syntheticAreas, parallelism,
                streamingRate, streamingDuration, sweepRates, checkpointInterval, stateDays, stateEventsPerAreaDay,
                jmhIterations, jmhIterationTime, jmhForks, parts, dir, sharedDir, zone);
    }

    public BenchSettings withSeed(long value) {
        return new BenchSettings(quick, events, days, value, duplicateFraction, badFraction, syntheticAreas, parallelism,
                streamingRate, streamingDuration, sweepRates, checkpointInterval, stateDays, stateEventsPerAreaDay,
                jmhIterations, jmhIterationTime, jmhForks, parts, dir, sharedDir, zone);
    }

    public BenchSettings withStreaming(int rate, Duration duration, int[] sweep) {
        return new BenchSettings(quick, events, days, seed, duplicateFraction, badFraction, syntheticAreas, parallelism,
                rate, duration, sweep, checkpointInterval, stateDays, stateEventsPerAreaDay,
                jmhIterations, jmhIterationTime, jmhForks, parts, dir, sharedDir, zone);
    }

    public BenchSettings withCheckpointInterval(Duration value) {
        return new BenchSettings(quick, events, days, seed, duplicateFraction, badFraction, syntheticAreas, parallelism,
                streamingRate, streamingDuration, sweepRates, value, stateDays, stateEventsPerAreaDay,
                jmhIterations, jmhIterationTime, jmhForks, parts, dir, sharedDir, zone);
    }

    public BenchSettings withParallelism(int value) {
        return new BenchSettings(quick, events, days, seed, duplicateFraction, badFraction, syntheticAreas, value,
                streamingRate, streamingDuration, sweepRates, checkpointInterval, stateDays, stateEventsPerAreaDay,
                jmhIterations, jmhIterationTime, jmhForks, parts, dir, sharedDir, zone);
    }

    public BenchSettings withParts(Set<String> value) {
        return new BenchSettings(quick, events, days, seed, duplicateFraction, badFraction, syntheticAreas, parallelism,
                streamingRate, streamingDuration, sweepRates, checkpointInterval, stateDays, stateEventsPerAreaDay,
                jmhIterations, jmhIterationTime, jmhForks, value, dir, sharedDir, zone);
    }

    public boolean runs(String part) {
        return parts.contains(part);
    }
}
