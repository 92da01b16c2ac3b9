package lookout.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything a bench run is parameterised by. {@link #full()} is the documented run; {@link #quick()} is the
 * CI smoke test's, small enough that the whole run takes about two and a half minutes on two idle cores.
 * {@code syntheticAreas} is the generated city's size for the area lookup, {@code stateAreas} for the state part's
 * job, whose detection state grows with areas: the quick run keeps the lookup's size and shrinks the job's.
 */
public record BenchSettings(
        boolean quick,
        long events,
        int days,
        boolean oneFile,
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
        int stateAreas,
        int jmhIterations,
        Duration jmhIterationTime,
        int jmhForks,
        int dashboardDays,
        int pageLoads,
        int apiRequestsPerClient,
        Set<String> parts,
        Path dir,
        Path sharedDir,
        ZoneId zone) {

    /** The parts in the order they run (and are listed to a user). */
    public static final List<String> PART_NAMES = List.of("backfill", "baselines", "state", "micro", "streaming",
            "dashboards", "notifier", "cluster");
    public static final Set<String> ALL_PARTS = Set.copyOf(PART_NAMES);
    /** What runs unless --parts says otherwise: all but the cluster, which needs the job jar built by -Pjob-jar. */
    public static final Set<String> DEFAULT_PARTS = PART_NAMES.stream().filter(p -> !p.equals("cluster"))
            .collect(Collectors.toUnmodifiableSet());

    /** Backfill history starts here: far enough back that no event is refused as lying in the future. */
    public Instant historyStart() {
        return ZonedDateTime.of(2023, 1, 1, 0, 0, 0, 0, zone).toInstant();
    }

    public Duration historySpan() {
        return Duration.ofDays(days);
    }

    public static BenchSettings full(Path dir, Path sharedDir) {
        return new BenchSettings(false, 5_000_000, 365, false, 42, 0.01, 0.001, 10_000,
                Runtime.getRuntime().availableProcessors(), 20_000, Duration.ofSeconds(60),
                new int[] {10_000, 20_000, 30_000, 40_000, 60_000}, Duration.ofSeconds(2), 90, 1.0, 10_000,
                5, Duration.ofSeconds(1), 1, 365, 5, 100, DEFAULT_PARTS, dir, sharedDir, ZoneId.of("America/Toronto"));
    }

    public static BenchSettings quick(Path dir, Path sharedDir) {
        return new BenchSettings(true, 20_000, 30, false, 42, 0.01, 0.001, 10_000,
                Runtime.getRuntime().availableProcessors(), 2_000, Duration.ofSeconds(6),
                new int[] {4_000}, Duration.ofSeconds(1), 90, 0.02, 2_000,
                1, Duration.ofMillis(100), 0, 30, 2, 10, DEFAULT_PARTS, dir, sharedDir, ZoneId.of("America/Toronto"));
    }

    /** These settings, to be changed by the command line's options before a run. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The settings the command line can change; every other one is kept from the settings it started from. */
    public static final class Builder {
        private final BenchSettings base;
        private long events;
        private int days;
        private boolean oneFile;
        private long seed;
        private int parallelism;
        private int streamingRate;
        private Duration streamingDuration;
        private int[] sweepRates;
        private Duration checkpointInterval;
        private Set<String> parts;

        private Builder(BenchSettings base) {
            this.base = base;
            events = base.events;
            days = base.days;
            oneFile = base.oneFile;
            seed = base.seed;
            parallelism = base.parallelism;
            streamingRate = base.streamingRate;
            streamingDuration = base.streamingDuration;
            sweepRates = base.sweepRates;
            checkpointInterval = base.checkpointInterval;
            parts = base.parts;
        }

        public Builder events(long value) {
            events = value;
            return this;
        }

        public Builder days(int value) {
            days = value;
            return this;
        }

        public Builder oneFile(boolean value) {
            oneFile = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder parallelism(int value) {
            parallelism = value;
            return this;
        }

        public Builder streamingRate(int value) {
            streamingRate = value;
            return this;
        }

        public Builder streamingDuration(Duration value) {
            streamingDuration = value;
            return this;
        }

        public Builder sweepRates(int[] value) {
            sweepRates = value;
            return this;
        }

        public Builder checkpointInterval(Duration value) {
            checkpointInterval = value;
            return this;
        }

        public Builder parts(Set<String> value) {
            parts = value;
            return this;
        }

        public BenchSettings build() {
            return new BenchSettings(base.quick, events, days, oneFile, seed, base.duplicateFraction, base.badFraction,
                    base.syntheticAreas, parallelism, streamingRate, streamingDuration, sweepRates, checkpointInterval,
                    base.stateDays, base.stateEventsPerAreaDay, base.stateAreas, base.jmhIterations,
                    base.jmhIterationTime, base.jmhForks, base.dashboardDays, base.pageLoads, base.apiRequestsPerClient,
                    parts, base.dir, base.sharedDir, base.zone);
        }
    }

    public boolean runs(String part) {
        return parts.contains(part);
    }
}
