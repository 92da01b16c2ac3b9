package lookout.demo;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;

import lookout.cli.JobWatch;
import lookout.cli.Preflight;
import lookout.config.KafkaTopics;
import lookout.config.LookoutConfig;
import lookout.dashboards.AlertFeedFiles;
import lookout.dashboards.OpenData;
import lookout.dashboards.Users;
import lookout.geo.Area;
import lookout.geo.AreaIndex;
import lookout.ingest.KafkaCluster;
import lookout.job.Environments;
import lookout.job.KafkaJob;
import lookout.kernel.Command;
import lookout.kernel.Options;
import lookout.kernel.StopSignal;
import lookout.kernel.UsageException;
import lookout.privacy.PseudonymKey;
import lookout.release.ExportCommand;
import lookout.replay.KafkaPublisher;
import lookout.sink.DuckDbStore;

/**
 * {@code ./lookout demo}: the whole system on one machine. A real Kafka broker on loopback, the job on a
 * local Flink cluster, the dashboards, the notifier with a local inbox, and a generator that publishes
 * {@value #DAYS} days of the demo city's events: the history at once, then the last day as a live feed. Reports
 * that would be made after the demo's start (a coroner's comes two to eight weeks after the death) are held back,
 * as a real feed has not got them yet: the recent weeks' deaths are then partly reported, which the area page's
 * nowcast shows.
 */
public final class DemoCommand implements Command {
    /** Longer than a coroner report's longest delay, so that the reporting triangle sees every delay. */
    static final int DAYS = 91;
    /** The area of the spike replayed live, and its length (it starts at 04:00 of the live day). */
    static final String LIVE_SPIKE_AREA = "D12";
    static final int LIVE_SPIKE_HOURS = 8;
    public static final int DEFAULT_PORT = 8080;
    /**
     * The demo's {@code watermark.idleness}. It publishes 91 days in seconds, coroner reports among them dated weeks
     * before their publication, as coroners report; after the last of them the coroner topic held the job's event
     * time weeks back for the shipped minute, so no day was judged and the demo's first alert came a minute after
     * its records. Live, a coroner report holds event time that long only now and then.
     */
    static final Duration REPLAY_IDLENESS = Duration.ofSeconds(5);

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "run everything locally: Kafka broker, generator, job, dashboards, notifier, open data;"
                + " writes data/lookout.duckdb";
    }

    @Override
    public String usage() {
        return """
                Usage: ./lookout demo [--seconds N] [--live-seconds N] [--db FILE] [--port N] [--users FILE]

                Starts the dashboards (their URL is the first line printed), a Kafka broker (KRaft, 127.0.0.1,
                temporary directory) and the job on a local Flink cluster, then publishes %d days of generated
                events for the built-in demo city, with spikes and duplicates, bad records and coroner reports
                that arrive weeks late. History is sent at once; the last day is replayed live over
                --live-seconds (default 60); reports dated after now are held back, as a real feed has not
                got them yet. DuckDB is published to --db (default data/lookout.duckdb) after
                every checkpoint; open it read-only at any time. --db must be absent or a Lookout database.
                Checkpoints go to a temporary directory that the demo deletes when it stops. Flink and the
                dashboards listen on 127.0.0.1 only. Stops on Ctrl-C or SIGTERM, or --seconds N (at least 1)
                after it started, wherever it is then (the live day may not all be replayed, nor the open data
                published); stopping takes a few seconds more. Exits non-zero if the job is cancelled from
                outside or fails.

                The dashboards (as ./lookout serve) show the published file and each update of it:
                  --port N       their port (default %d; when that is in use, a free one, and the demo says so)
                  --users FILE   outreach and analyst accounts (see ./lookout users --help); without it the
                                 demo makes an analyst and an outreach lead of three areas and prints their
                                 tokens, which end with it. Access to restricted data is logged to DB.audit.log

                The notifier (as ./lookout notify) tells three demo subscribers of every alert's opening,
                worsening and all-clear, by email, webhook and SMS; their mail server, webhook receiver and SMS
                gateway is a local inbox (SMTP and HTTP on 127.0.0.1) that prints one line per message received.
                Its subscribers file, store and public CAP 1.2 and Atom feeds are in DB.notifier/, replaced by
                every demo. The inbox also receives the operator's messages of feed health. Outreach accounts
                manage their own subscription at /notifications (the notifier's API on a free 127.0.0.1 port,
                with a token made for this demo). The answers to "was this useful?" are counted in
                DB.feedback.json, replaced by every demo.

                Once the job has counted these days, their public tier is published as an open-data release in
                DB.open-data/ (as ./lookout export --open-data), which the dashboards serve at /open-data/.
                """.formatted(DAYS, DEFAULT_PORT);
    }

    /** A zero or negative value was taken as "no limit"; only leaving the option out means that. */
    private static int positiveSeconds(Options o, String name, int defaultValue) {
        int seconds = o.integer(name, defaultValue);
        if (o.has(name) && seconds < 1) {
            throw new UsageException("--" + name + " must be a whole number of seconds, at least 1");
        }
        return seconds;
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        long started = System.nanoTime();
        Options o = Options.parse(name(), args, Set.of("seconds", "live-seconds", "db", "port", "users"), Set.of());
        int seconds = positiveSeconds(o, "seconds", 0);
        Deadline deadline = seconds > 0 ? Deadline.after(started, seconds) : Deadline.NONE;
        int liveSeconds = positiveSeconds(o, "live-seconds", 60);
        Path db = Path.of(o.has("db") ? o.get("db") : "data/lookout.duckdb");
        Preflight.replaceableDatabase("--db", db, Map.of(), false, null);
        int port = o.integer("port", DEFAULT_PORT);
        if (port < 0 || port > 65535) {
            throw new UsageException("--port must be between 0 and 65535");
        }
        Path given = o.has("users") ? o.existingPath("users") : null;
        // Before the dashboards start, which would otherwise open an earlier demo's file and then see it vanish.
        DuckDbStore.delete(db);
        // The demo's checkpoints are worthless once it stops (its key and broker die with it), so they live in a
        // directory the demo creates for itself and deletes, never in a directory a user may also use.
        Path work = Files.createTempDirectory("lookout-demo-");
        try {
            Path usersFile = given != null ? given : work.resolve("users");
            DemoAccounts accounts = given != null ? null : DemoAccounts.make(usersFile);
            try (DemoNotifier.Api api = DemoNotifier.Api.reserve();
                 Dashboards dashboards = Dashboards.start(db, Users.read(usersFile), port, !o.has("port"), api.client(),
                         out)) {
                return run(db, usersFile, accounts, work, deadline, liveSeconds, dashboards, api, out);
            }
        } finally {
            FileUtils.deleteDirectoryQuietly(work.toFile());
        }
    }

    /** @param accounts the demo's own accounts, or null when {@code --users} gave them */
    private int run(Path db, Path usersFile, DemoAccounts accounts, Path work, Deadline deadline, int liveSeconds,
            Dashboards dashboards, DemoNotifier.Api api, PrintStream out) throws Exception {
        LookoutConfig defaults = LookoutConfig.defaults();
        Instant end = LocalDate.now(defaults.zone()).atStartOfDay(defaults.zone()).toInstant();
        Instant start = end.minus(Duration.ofDays(DAYS));
        // Watched from its history's first day, as a deployment says with this key. Without it each detector's
        // history would start at the broadcast start or at its own first event, whichever reached it first, and
        // two demos of the same data could judge different days and open different alerts.
        LookoutConfig config = defaults
                .with("db", db.toString())
                .with("checkpoint.interval", "PT2S")
                .with("checkpoint.dir", work.resolve("checkpoints").toString())
                .with("detection.watching_since", start.toString())
                .with("watermark.idleness", REPLAY_IDLENESS.toString());

        EmbeddedKafka kafka = EmbeddedKafka.start();
        config = config.with("kafka.bootstrap", kafka.bootstrapServers());
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), config.kafkaProperties(), KafkaTopics.all(config), 2);

        DemoNotifier notifier = DemoNotifier.start(db, kafka.bootstrapServers(), config.topicPrefix(),
                "http://" + Dashboards.BIND + ":" + dashboards.port, config.zone(), api, out);

        StreamExecutionEnvironment env = Environments.create(Environments.streaming(config, null), config.parallelism());
        KafkaJob.build(env, config, PseudonymKey.ephemeral(), OffsetsInitializer.earliest(), false, false);
        JobWatch job = new JobWatch(env.executeAsync("lookout demo"));

        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            interrupted.countDown();
            dashboards.close();
            notifier.close();
            stop(job, kafka);
            FileUtils.deleteDirectoryQuietly(work.toFile());
            printSummary("lookout demo: " + StopSignal.stopped() + "; ", db, out);
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(hook);
        kafka.ownerClosesOnExit();

        AreaIndex city = AreaIndex.demoCity();
        DemoStreamGenerator generator = new DemoStreamGenerator(generatorSettings(city, end, config.zone()));
        out.printf("lookout demo: Kafka at %s, Flink job %s (Flink listens on %s only)%n",
                kafka.bootstrapServers(), job.id(), config.flinkBindAddress());
        out.printf("  events for %s .. %s (%s), demo city of %d areas%n",
                start, end, config.zone(), city.areas().size());
        out.printf("  DuckDB for readers: %s (updated every checkpoint; the dashboards show each update)%n",
                config.db().toAbsolutePath());
        out.printf("  try: duckdb -readonly %s \"SELECT signal, sum(count) FROM area_counts WHERE granularity = 'day' GROUP BY ALL\"%n",
                config.db());
        notifier.describe(out);
        String site = "http://" + Dashboards.BIND + ":" + dashboards.port;
        if (accounts != null) {
            accounts.describe(site + "/", city.areas(), out);
        }
        String openDataPage = site + OpenData.PAGE;
        out.printf("  open data: the public tier of these days, published once the job has counted them, at %s (files"
                + " in %s)%n", openDataPage, DemoOpenData.directory(db));
        out.printf("  public CAP 1.2 and Atom feeds of the alerts: %s (files in %s)%n", site + AlertFeedFiles.ATOM,
                DemoNotifier.feedDirectory(db));
        out.println(deadline.seconds() > 0 ? "  stops" + deadline.describe() + ", or with Ctrl-C"
                : "  stop with Ctrl-C");

        try (KafkaPublisher publisher = new KafkaPublisher(config)) {
            publishPaced(generator.timedLines(), end.minus(Duration.ofDays(1)), Instant.now(), liveSeconds, publisher,
                    () -> job.ended() || deadline.passed(), out);
        }
        DemoOpenData.publish(db, LocalDate.ofInstant(end, config.zone()).minusDays(1),
                work.resolve(ExportCommand.LEDGER_FILE_NAME), usersFile, openDataPage,
                () -> interrupted.getCount() == 0 || deadline.passed(), out);
        while (!job.ended() && interrupted.getCount() > 0 && !deadline.passed()) {
            interrupted.await(200, TimeUnit.MILLISECONDS);
        }
        if (interrupted.getCount() == 0) {
            // A signal: the hook cancels the job, which then ends as asked.
            stopped.await();
            return 0;
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        dashboards.close();
        notifier.close();
        stop(job, kafka);
        job.requireNoUnexpectedEnd();
        printSummary("lookout demo: stopped" + deadline.describe() + "; ", db, out);
        return 0;
    }

    /**
     * The demo's {@value #DAYS} days of events ending at {@code end} (a midnight in {@code zone}). The events of a
     * date are the same in every run of that date: the seed is fixed, and only the weekday pattern moves with it.
     */
    static DemoStreamGenerator.Settings generatorSettings(AreaIndex city, Instant end, ZoneId zone) {
        Instant start = end.minus(Duration.ofDays(DAYS));
        return DemoStreamGenerator.Settings.builder(city.areas().stream().map(Area::id).toList(), city)
                .seed(2026).start(start).days(DAYS).zone(zone)
                // Strong enough to open an alert during the live day whatever the day's draw, so that the notifier
                // has something to tell while the user watches: the area has about one paramedic call every 30
                // hours, and its 8-hour intraday bound is 4 or 5 calls. The paramedic calls alone must cross it,
                // since naloxone reports not yet made when the demo starts are held back: sixty times the rate
                // left one weekday's within the bound (4 within 4), eighty crosses on every one (DemoLiveSpikeTest).
                .spike(LIVE_SPIKE_AREA, end.minus(Duration.ofHours(20)), LIVE_SPIKE_HOURS, 80)
                .spike("D31", start.plus(Duration.ofDays(9)), 12, 5)
                .build();
    }

    /** What the published file holds, as a reader sees it; said once the job has stopped writing. */
    private static void printSummary(String prefix, Path db, PrintStream out) {
        if (!Files.exists(db)) {
            out.println(prefix + "no checkpoint was completed, so " + db + " was not written");
            return;
        }
        try {
            List<String> lines = DuckDbStore.summary(db);
            out.println(prefix + db + " holds:");
            lines.forEach(line -> out.println("  " + line));
        } catch (SQLException e) {
            out.println(prefix + "cannot read " + db + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * History up to {@code liveFrom} at once, then the lines up to {@code now} spread evenly over {@code liveSeconds};
     * none delivered after {@code now}, and none once {@code done} says so (the job ended, --seconds passed).
     */
    private static void publishPaced(List<DemoStreamGenerator.TimedLine> lines, Instant liveFrom, Instant now,
            int liveSeconds, KafkaPublisher publisher, BooleanSupplier done, PrintStream out)
            throws InterruptedException {
        int history = 0;
        while (history < lines.size() && lines.get(history).deliverAt().isBefore(liveFrom)) {
            history++;
        }
        int upToNow = history;
        while (upToNow < lines.size() && !lines.get(upToNow).deliverAt().isAfter(now)) {
            upToNow++;
        }
        int sent = 0;
        for (; sent < history && !done.getAsBoolean(); sent++) {
            publisher.publish(lines.get(sent).line().getBytes(StandardCharsets.UTF_8));
        }
        publisher.flush();
        if (sent < history) {
            return;
        }
        out.printf("  published %d historical records; replaying %d more live over %d s; %d reports dated after now"
                + " held back (coroner reports come weeks late: the nowcast estimates them)%n",
                history, upToNow - history, liveSeconds, lines.size() - upToNow);
        int live = upToNow - history;
        for (; sent < upToNow && !done.getAsBoolean(); sent++) {
            publisher.publish(lines.get(sent).line().getBytes(StandardCharsets.UTF_8));
            publisher.flush();
            Thread.sleep(Math.max(1, liveSeconds * 1000L / Math.max(1, live)));
        }
        if (sent == upToNow) {
            out.println("  all generated records published; the job keeps running");
        }
    }

    private static void stop(JobWatch job, EmbeddedKafka kafka) {
        job.stop();
        kafka.close();
    }
}
