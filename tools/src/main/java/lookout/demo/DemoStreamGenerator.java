package lookout.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import lookout.demo.DemoEventFactory.CheckingSite;
import lookout.geo.PointSampler;
import lookout.ingest.Source;

/**
 * A seeded, deterministic feed of NDJSON events in Lookout's input contract, in the order a live feed would
 * deliver them, together with the exact counts a correct pipeline must produce from it.
 */
public final class DemoStreamGenerator {
    /** Share of paramedic calls with a known person where a bystander's naloxone use is reported as well. */
    private static final double LINKED_NALOXONE_SHARE = 0.15;
    private static final Map<Source, Double> PERSON_SHARE = new EnumMap<>(Map.of(
            Source.PARAMEDIC, 0.8, Source.NALOXONE, 0.4, Source.CORONER, 1.0, Source.DRUG_CHECKING, 0.0));
    private static final String[] ADULTERANTS = {"carfentanil", "N-pyrrolidino protonitazene"};

    private final Settings settings;
    private List<TimedLine> lines;
    private Truth truth;

    public DemoStreamGenerator(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The NDJSON lines in delivery order. */
    public List<String> generate() {
        return timedLines().stream().map(TimedLine::line).toList();
    }

    /** The lines with the instant a live feed would deliver each one, for paced replay. */
    public List<TimedLine> timedLines() {
        run();
        return lines;
    }

    /** Exact expected counts for the lines {@link #generate()} returns. */
    public Truth truth() {
        run();
        return truth;
    }

    private void run() {
        if (lines == null) {
            new Run(settings).execute(this);
        }
    }

    /** Which way a bad record is broken. */
    public enum BadKind { NOT_JSON, UNKNOWN_SOURCE, MISSING_EVENT_ID, BAD_TIMESTAMP, COORDINATES_OUT_OF_RANGE }

    /** One bucket of the aggregates: a signal in an area for the hour or day starting at {@code start}. */
    public record CountKey(Source signal, String areaId, Instant start) {}

    /** A line and when a live feed delivers it: its reported_at, later for re-sent duplicates. */
    public record TimedLine(Instant deliverAt, String line) {}

    /**
     * A local surge: paramedic and naloxone rates in the area are multiplied for the given hours, and a
     * drug-checking site near the area finds a potent adulterant at the spike's start.
     */
    public record Spike(String areaId, Instant start, int durationHours, double multiplier) {
        public Spike {
            Objects.requireNonNull(areaId, "areaId");
            Objects.requireNonNull(start, "start");
            if (durationHours < 1 || !(multiplier >= 0)) {
                throw new IllegalArgumentException("a spike needs at least one hour and a non-negative multiplier");
            }
        }

        /** An hour the spike only partly overlaps still counts as a spike hour. */
        boolean covers(String area, Instant hourStart) {
            return areaId.equals(area) && hourStart.plus(Duration.ofHours(1)).isAfter(start)
                    && hourStart.isBefore(start.plus(Duration.ofHours(durationHours)));
        }
    }

    /**
     * Counts of distinct valid events per (signal, area, hour or day start in the zone), bucketed by occurred_at;
     * plus how many duplicate and bad lines the stream holds.
     */
    public record Truth(Map<CountKey, Integer> hourly, Map<CountKey, Integer> daily, Map<Source, Integer> validBySource,
            int duplicates, Map<BadKind, Integer> badByKind, int lines) {
        public Truth {
            hourly = Map.copyOf(hourly);
            daily = Map.copyOf(daily);
            validBySource = Map.copyOf(validBySource);
            badByKind = Map.copyOf(badByKind);
        }

        public int validEvents() {
            return validBySource.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int badRecords() {
            return badByKind.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int hourly(Source signal, String areaId, Instant hourStart) {
            return hourly.getOrDefault(new CountKey(signal, areaId, hourStart), 0);
        }

        public int daily(Source signal, String areaId, Instant dayStart) {
            return daily.getOrDefault(new CountKey(signal, areaId, dayStart), 0);
        }
    }

    /**
     * What to generate. Rates are events per area per day, except drug_checking, whose rate is per checking site
     * per day (samples are only checked at the few fixed sites, during opening hours).
     */
    public record Settings(long seed, Instant start, int days, ZoneId zone, List<String> areaIds, PointSampler sampler,
            Map<Source, Double> ratePerDay, List<Spike> spikes, double duplicateFraction, double badFraction,
            double areaCodeShare, int checkingSites) {
        public Settings {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(sampler, "sampler");
            areaIds = List.copyOf(areaIds);
            ratePerDay = Map.copyOf(ratePerDay);
            spikes = List.copyOf(spikes);
            if (days < 1) {
                throw new IllegalArgumentException("days must be at least 1");
            }
            if (areaIds.isEmpty() || new HashSet<>(areaIds).size() != areaIds.size()) {
                throw new IllegalArgumentException("area ids must be non-empty and distinct");
            }
            for (Source s : Source.values()) {
                Double rate = ratePerDay.get(s);
                if (rate == null || !(rate >= 0)) {
                    throw new IllegalArgumentException("rate for " + s.code() + " must be given and non-negative");
                }
            }
            for (Spike spike : spikes) {
                if (!areaIds.contains(spike.areaId())) {
                    throw new IllegalArgumentException("spike area is not among the area ids");
                }
            }
            requireFraction("duplicateFraction", duplicateFraction);
            requireFraction("badFraction", badFraction);
            requireFraction("areaCodeShare", areaCodeShare);
            if (checkingSites < 0) {
                throw new IllegalArgumentException("checkingSites must be non-negative");
            }
        }

        public Instant end() {
            return start.plus(Duration.ofHours(24L * days));
        }

        public static Builder builder(List<String> areaIds, PointSampler sampler) {
            return new Builder(areaIds, sampler);
        }

        private static void requireFraction(String name, double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(name + " must be between 0 and 1");
            }
        }

        /** Defaults: seed 42, seven days from Monday 2026-03-02 00:00 in America/Toronto, modest urban rates. */
        public static final class Builder {
            private final List<String> areaIds;
            private final PointSampler sampler;
            private long seed = 42;
            private ZoneId zone = ZoneId.of("America/Toronto");
            private Instant start = ZonedDateTime.of(2026, 3, 2, 0, 0, 0, 0, zone).toInstant();
            private int days = 7;
            private final Map<Source, Double> ratePerDay = new EnumMap<>(Map.of(
                    Source.PARAMEDIC, 0.8, Source.NALOXONE, 0.4, Source.CORONER, 0.05, Source.DRUG_CHECKING, 12.0));
            private final List<Spike> spikes = new ArrayList<>();
            private double duplicateFraction = 0.02;
            private double badFraction = 0.01;
            private double areaCodeShare = 0.1;
            private int checkingSites = 3;

            private Builder(List<String> areaIds, PointSampler sampler) {
                this.areaIds = List.copyOf(areaIds);
                this.sampler = sampler;
            }

            public Builder seed(long value) { seed = value; return this; }
            public Builder start(Instant value) { start = value; return this; }
            public Builder days(int value) { days = value; return this; }
            public Builder zone(ZoneId value) { zone = value; return this; }
            public Builder ratePerDay(Source source, double value) { ratePerDay.put(source, value); return this; }
            public Builder spikes(List<Spike> value) { spikes.clear(); spikes.addAll(value); return this; }
            public Builder spike(String areaId, Instant spikeStart, int durationHours, double multiplier) {
                spikes.add(new Spike(areaId, spikeStart, durationHours, multiplier));
                return this;
            }
            public Builder duplicateFraction(double value) { duplicateFraction = value; return this; }
            public Builder badFraction(double value) { badFraction = value; return this; }
            public Builder areaCodeShare(double value) { areaCodeShare = value; return this; }
            public Builder checkingSites(int value) { checkingSites = value; return this; }

            public Settings build() {
                return new Settings(seed, start, days, zone, areaIds, sampler, ratePerDay, spikes, duplicateFraction,
                        badFraction, areaCodeShare, checkingSites);
            }
        }
    }

    /** One pass of generation; every random draw comes from one seeded generator in a fixed order. */
    private static final class Run {
        private final Settings s;
        private final SplittableRandom random;
        private final DemoEventFactory factory;
        private final BadRecordMaker badRecords;
        private final List<CheckingSite> sites = new ArrayList<>();
        private final List<Pending> pending = new ArrayList<>();
        private final Map<CountKey, Integer> hourly = new HashMap<>();
        private final Map<CountKey, Integer> daily = new HashMap<>();
        private final Map<Source, Integer> validBySource = new EnumMap<>(Source.class);
        private final Map<BadKind, Integer> badByKind = new EnumMap<>(BadKind.class);
        private int duplicates;

        private record Pending(Instant deliverAt, long sequence, String line) {}

        Run(Settings settings) {
            this.s = settings;
            this.random = new SplittableRandom(settings.seed());
            this.factory = new DemoEventFactory(settings.zone(), settings.sampler(), settings.areaCodeShare(), random);
            this.badRecords = new BadRecordMaker(random);
        }

        void execute(DemoStreamGenerator target) {
            placeCheckingSites();
            long hours = 24L * s.days();
            for (long h = 0; h < hours; h++) {
                Instant hourStart = s.start().plus(Duration.ofHours(h));
                ZonedDateTime local = hourStart.atZone(s.zone());
                spikeFindings(hourStart);
                for (String area : s.areaIds()) {
                    double multiplier = spikeMultiplier(area, hourStart);
                    int paramedic = Poisson.draw(mean(Source.PARAMEDIC, local) * multiplier, random::nextDouble);
                    for (int i = 0; i < paramedic; i++) {
                        paramedicCall(area, withinHour(hourStart), multiplier != 1.0);
                    }
                    int naloxone = Poisson.draw(mean(Source.NALOXONE, local) * multiplier, random::nextDouble);
                    for (int i = 0; i < naloxone; i++) {
                        naloxoneReport(area, withinHour(hourStart), person(Source.NALOXONE));
                    }
                    int coroner = Poisson.draw(mean(Source.CORONER, local), random::nextDouble);
                    for (int i = 0; i < coroner; i++) {
                        Instant occurred = withinHour(hourStart);
                        Instant reported = factory.reportedAt(Source.CORONER, occurred);
                        emit(Source.CORONER, area, occurred, reported,
                                factory.coroner(area, occurred, reported, person(Source.CORONER)));
                    }
                }
                for (CheckingSite site : sites) {
                    int checks = Poisson.draw(mean(Source.DRUG_CHECKING, local), random::nextDouble);
                    for (int i = 0; i < checks; i++) {
                        Instant occurred = withinHour(hourStart);
                        Instant reported = factory.reportedAt(Source.DRUG_CHECKING, occurred);
                        emit(Source.DRUG_CHECKING, site.areaId(), occurred, reported,
                                factory.drugChecking(site, occurred, reported));
                    }
                }
            }
            pending.sort(Comparator.comparing(Pending::deliverAt).thenComparingLong(Pending::sequence));
            target.lines = pending.stream().map(p -> new TimedLine(p.deliverAt(), p.line())).toList();
            target.truth = new Truth(hourly, daily, validBySource, duplicates, badByKind, pending.size());
        }

        private void paramedicCall(String area, Instant occurred, boolean inSpike) {
            FakePeople.Person person = person(Source.PARAMEDIC);
            Instant reported = factory.reportedAt(Source.PARAMEDIC, occurred);
            emit(Source.PARAMEDIC, area, occurred, reported,
                    factory.paramedic(area, occurred, reported, null, person, inSpike));
            if (person != null && random.nextDouble() < LINKED_NALOXONE_SHARE) {
                // The bystander's dose shortly before the crew arrived; clamped so nothing precedes the window.
                Instant given = occurred.minusSeconds(random.nextLong(60, 30 * 60));
                naloxoneReport(area, given.isBefore(s.start()) ? s.start() : given, person);
            }
        }

        private void naloxoneReport(String area, Instant occurred, FakePeople.Person person) {
            Instant reported = factory.reportedAt(Source.NALOXONE, occurred);
            emit(Source.NALOXONE, area, occurred, reported, factory.naloxone(area, occurred, reported, null, person));
        }

        private void spikeFindings(Instant hourStart) {
            for (int i = 0; i < s.spikes().size(); i++) {
                Spike spike = s.spikes().get(i);
                boolean startsThisHour = !spike.start().isBefore(hourStart)
                        && spike.start().isBefore(hourStart.plus(Duration.ofHours(1)));
                if (startsThisHour && !sites.isEmpty()) {
                    CheckingSite site = nearestSite(spike.areaId());
                    Instant reported = factory.reportedAt(Source.DRUG_CHECKING, spike.start());
                    emit(Source.DRUG_CHECKING, site.areaId(), spike.start(), reported,
                            factory.adulterantFinding(site, spike.start(), reported, ADULTERANTS[i % ADULTERANTS.length]));
                }
            }
        }

        private void emit(Source source, String area, Instant occurred, Instant reported, ObjectNode event) {
            String line = event.toString();
            pending.add(new Pending(reported, pending.size(), line));
            validBySource.merge(source, 1, Integer::sum);
            ZonedDateTime local = occurred.atZone(s.zone());
            hourly.merge(new CountKey(source, area, local.truncatedTo(ChronoUnit.HOURS).toInstant()), 1, Integer::sum);
            daily.merge(new CountKey(source, area, local.truncatedTo(ChronoUnit.DAYS).toInstant()), 1, Integer::sum);
            if (random.nextDouble() < s.duplicateFraction()) {
                // Upstream retries resend the identical record some minutes to hours later.
                pending.add(new Pending(reported.plusSeconds(random.nextLong(60, 6 * 3600)), pending.size(), line));
                duplicates++;
            }
            if (random.nextDouble() < s.badFraction()) {
                BadKind kind = BadKind.values()[random.nextInt(BadKind.values().length)];
                ObjectNode copy = event.deepCopy();
                copy.put("event_id", factory.nextEventId(source));
                pending.add(new Pending(reported.plusSeconds(random.nextLong(1, 600)), pending.size(),
                        badRecords.corrupt(copy, kind)));
                badByKind.merge(kind, 1, Integer::sum);
            }
        }

        private void placeCheckingSites() {
            List<String> candidates = new ArrayList<>(s.areaIds());
            int count = Math.min(s.checkingSites(), candidates.size());
            for (int i = 0; i < count; i++) {
                String area = candidates.remove(random.nextInt(candidates.size()));
                sites.add(new CheckingSite("DC-SITE-" + (i + 1), area, factory.pointIn(area)));
            }
        }

        private CheckingSite nearestSite(String areaId) {
            double[] p = factory.pointIn(areaId);
            double cosLat = Math.cos(Math.toRadians(p[0]));
            CheckingSite best = sites.get(0);
            double bestDistance = Double.MAX_VALUE;
            for (CheckingSite site : sites) {
                double dLat = site.location()[0] - p[0];
                double dLon = (site.location()[1] - p[1]) * cosLat;
                double d = dLat * dLat + dLon * dLon;
                if (d < bestDistance) {
                    bestDistance = d;
                    best = site;
                }
            }
            return best;
        }

        private double spikeMultiplier(String area, Instant hourStart) {
            double m = 1.0;
            for (Spike spike : s.spikes()) {
                if (spike.covers(area, hourStart)) {
                    m *= spike.multiplier();
                }
            }
            return m;
        }

        private double mean(Source source, ZonedDateTime localHour) {
            return RateProfile.hourlyMean(source, s.ratePerDay().get(source), localHour);
        }

        private Instant withinHour(Instant hourStart) {
            return hourStart.plusSeconds(random.nextInt(3600));
        }

        private FakePeople.Person person(Source source) {
            return random.nextDouble() < PERSON_SHARE.get(source) ? FakePeople.pick(random) : null;
        }
    }
}
