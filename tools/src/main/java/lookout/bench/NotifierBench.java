package lookout.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import lookout.demo.DemoInbox;
import lookout.demo.EmbeddedKafka;
import lookout.ingest.AvroContractCodec;
import lookout.kernel.Topics;
import lookout.notify.Notifier;
import lookout.notify.NotifierConfig;
import lookout.schema.Alert;

/**
 * The notifier ({@code ./lookout notify}) in front of a real SMTP server and a real webhook receiver on loopback
 * ({@link DemoInbox}), measured twice:
 * <ol>
 * <li>from an alert record's append to the alerts topic of a real broker to its email's arrival at the SMTP server
 * and its webhook's arrival at the receiver, alert after alert at a steady pace, each alert for its own subscriber
 * (so no rate limit holds any); the baseline, in the same run, is the same SMTP server and receiver sent to
 * directly (Jakarta Mail, the JDK's HTTP client) with no Kafka and no notifier;</li>
 * <li>from the Kafka append of the event that crosses the detector's bound ({@link AlertProbe}), through the
 * streaming job, to the message at the SMTP server and the receiver, beside the same bursts' append to the
 * alerts topic.</li>
 * </ol>
 */
final class NotifierBench {
    private static final int ALERTS = 200;
    private static final int QUICK_ALERTS = 20;
    private static final int WARM_UP_ALERTS = 5;
    /** One alert every this many ms: a steady pace, so latency is not queueing behind the previous alert. */
    private static final long ALERT_GAP_MS = 200;
    /**
     * Events/s of the stream around the bursts. The bench's stream starts without history, so every area it touches
     * soon looks unusual and its alerts open by the hundred: a flood no city sees, which would measure the notifier's
     * backlog (each step rewrites the public feeds) rather than one alert's way through. Kept low, and the steps
     * handled in the run are reported beside the figures.
     */
    private static final int BACKGROUND_RATE = 50;
    private static final int BURSTS = 12;
    private static final int QUICK_BURSTS = 3;
    private static final Duration ARRIVAL_WAIT = Duration.ofSeconds(60);
    private static final String DOMAIN = "bench.example.org";
    private static final long HOUR = 3_600_000L;

    private final BenchSettings s;
    private final BenchCity city;
    private final PrintStream log;
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();

    NotifierBench(BenchSettings settings, BenchCity city, PrintStream log) {
        this.s = settings;
        this.city = city;
        this.log = log;
    }

    List<Figure> run() throws Exception {
        Path dir = s.dir().resolve("notifier");
        StreamingRig.deleteRecursively(dir);
        Files.createDirectories(dir);
        List<Figure> figures = new ArrayList<>();
        try (DemoInbox inbox = DemoInbox.start(this::arrived)) {
            figures.addAll(topicToDelivery(dir.resolve("topic"), inbox));
            figures.addAll(appendToInbox(dir.resolve("stream"), inbox));
        }
        return figures;
    }

    /** The first arrival of each message: {@code email:ID} or {@code webhook:ID}, ID the subscriber's. */
    private void arrived(DemoInbox.Received r) {
        String id = r.kind() == DemoInbox.Kind.EMAIL ? r.to().substring(0, r.to().indexOf('@')) : r.to();
        arrivals.putIfAbsent(r.kind().name().toLowerCase() + ":" + id, r.atNanos());
    }

    /** Part (a): alert records produced onto the topic, one by one, each to its own subscriber. */
    private List<Figure> topicToDelivery(Path dir, DemoInbox inbox) throws Exception {
        int n = s.quick() ? QUICK_ALERTS : ALERTS;
        List<Subscriber> subscribers = new ArrayList<>();
        for (int k = 0; k < WARM_UP_ALERTS + n; k++) {
            subscribers.add(new Subscriber("a" + k, "N" + k, null));
        }
        String topic = Topics.name("lookout", Topics.ALERTS);
        log.printf("bench: notifier: %d alerts on the topic (after %d unmeasured), one every %d ms, each to its own"
                + " email and webhook%n", n, WARM_UP_ALERTS, ALERT_GAP_MS);
        Map<String, Long> appended = new HashMap<>();
        double cpu;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir)) {
            kafka.createTopics(1, topic);
            try (RunningNotifier notifier = RunningNotifier.start(kafka.bootstrapServers(), dir, subscribers, inbox);
                 KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                         new ByteArraySerializer(), new ByteArraySerializer())) {
                AvroContractCodec codec = new AvroContractCodec();
                for (int k = 0; k < WARM_UP_ALERTS; k++) {
                    producer.send(record(topic, codec, subscribers.get(k))).get();
                }
                long reading = System.nanoTime();
                awaitArrivals(subscribers.subList(0, WARM_UP_ALERTS));
                log.printf("bench:   the notifier delivered its first alerts %.1f s after it started reading%n",
                        (System.nanoTime() - reading) / 1e9);
                double cpuStart = MachineInfo.processCpuSeconds();
                for (Subscriber sub : subscribers.subList(WARM_UP_ALERTS, subscribers.size())) {
                    long start = System.nanoTime();
                    appended.put(sub.id(), start);
                    producer.send(record(topic, codec, sub)).get();
                    Thread.sleep(Math.max(0, ALERT_GAP_MS - (System.nanoTime() - start) / 1_000_000));
                }
                awaitArrivals(subscribers);
                cpu = MachineInfo.processCpuSeconds() - cpuStart;
            }
        }
        Latencies email = latencies("email", appended);
        Latencies webhook = latencies("webhook", appended);
        String what = String.format("alert record appended to the alerts topic (producer send, acknowledged) -> the"
                + " message received in full by a real %%s on loopback; %d alerts at one per %d ms, each its own"
                + " subscriber with email and a generic webhook; broker, notifier and receivers in one JVM; load"
                + " average %.1f on %d cores (shared machine)", n, ALERT_GAP_MS, MachineInfo.loadAverage(),
                Runtime.getRuntime().availableProcessors());
        List<Figure> figures = new ArrayList<>();
        figures.addAll(distribution("notifier.alert_to_email", email, what.formatted("SMTP server (GreenMail)")));
        figures.addAll(distribution("notifier.alert_to_webhook", webhook, what.formatted("webhook receiver (JDK HTTP server)")));
        figures.add(new Figure("notifier.cpu_ms_per_alert", cpu * 1000 / n, "ms", n, String.format("CPU time of the"
                + " whole JVM (broker, notifier, SMTP server, receiver, producer) ÷ alerts while they were sent and"
                + " delivered, %.1f CPU-s: what an alert's email and webhook cost whatever else ran", cpu)));
        figures.addAll(baseline(inbox, n));
        return figures;
    }

    /** The same servers sent to directly, one message at a time: what SMTP and HTTP on loopback cost by themselves. */
    private List<Figure> baseline(DemoInbox inbox, int n) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(inbox.smtpPort()));
        Session session = Session.getInstance(p);
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Long> emailStart = new HashMap<>();
        Map<String, Long> webhookStart = new HashMap<>();
        for (int k = 0; k < WARM_UP_ALERTS + n; k++) {
            String id = "b" + k;
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress("lookout@" + DOMAIN));
            m.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(id + "@" + DOMAIN));
            m.setSubject("Lookout alert in area N" + k + ": more paramedic calls for overdoses");
            m.setText("More paramedic calls for overdoses than usual: 9 in 6 hours; usually about 1.");
            long emailAt = System.nanoTime();
            Transport.send(m);
            long webhookAt = System.nanoTime();
            http.send(HttpRequest.newBuilder(URI.create(inbox.webhookUrl(id)))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"headline\":\"More paramedic calls\"}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (k >= WARM_UP_ALERTS) {
                emailStart.put(id, emailAt);
                webhookStart.put(id, webhookAt);
            }
        }
        Latencies email = latencies("email", emailStart);
        Latencies webhook = latencies("webhook", webhookStart);
        String what = "baseline in the same run: the same SMTP server and webhook receiver sent to directly, one message"
                + " at a time (Jakarta Mail Transport.send of a plain-text email, then a JDK HttpClient POST of a small"
                + " JSON), no Kafka and no notifier: send -> received";
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure("notifier.baseline.smtp_direct.p50_ms", email.p50(), "ms", email.count(), what));
        figures.add(new Figure("notifier.baseline.smtp_direct.p99_ms", email.p99(), "ms", email.count(), what));
        figures.add(new Figure("notifier.baseline.webhook_direct.p50_ms", webhook.p50(), "ms", webhook.count(), what));
        figures.add(new Figure("notifier.baseline.webhook_direct.p99_ms", webhook.p99(), "ms", webhook.count(), what));
        return figures;
    }

    /** Part (b): the streaming job's own alerts, opened by {@link AlertProbe} bursts, as far as the inbox. */
    private List<Figure> appendToInbox(Path dir, DemoInbox inbox) throws Exception {
        AlertProbe probe = new AlertProbe(city.index(), s.quick() ? QUICK_BURSTS : BURSTS);
        Map<AlertProbe.Target, Subscriber> byTarget = new HashMap<>();
        List<Subscriber> subscribers = new ArrayList<>();
        Subscriber ready = new Subscriber("ready", "ready", null);
        subscribers.add(ready);
        for (int k = 0; k < probe.targets().size(); k++) {
            AlertProbe.Target t = probe.targets().get(k);
            Subscriber sub = new Subscriber("t" + k, t.area(), t.source().code());
            byTarget.put(t, sub);
            subscribers.add(sub);
        }
        int rate = BACKGROUND_RATE;
        log.printf("bench: notifier: streaming job at %,d events/s with %d alert bursts, the notifier on its alerts topic%n",
                rate, probe.measured().size());
        StreamingBench.Step main;
        int steps;
        try (StreamingRig rig = StreamingRig.start(city, dir, s.checkpointInterval(), s.parallelism());
             AlertWatcher alerts = new AlertWatcher(rig.bootstrapServers(), rig.alertTopic());
             RunningNotifier notifier = RunningNotifier.start(rig.bootstrapServers(), dir, subscribers, inbox)) {
            awaitReady(rig.bootstrapServers(), rig.alertTopic(), ready);
            AvroEvents events = new AvroEvents(new ContractLines(city.index(), s.zone(), s.seed()), s.zone(), "bench",
                    probe.quietAreas());
            StreamingBench bench = new StreamingBench(rig, events, probe, alerts, log);
            try (DuckDbWatcher watcher = new DuckDbWatcher(rig.db(), bench.visibility())) {
                bench.sendHistory();
                bench.measureWithBursts(rate, s.streamingDuration().dividedBy(3), probe.warmUp());
                main = bench.measureWithBursts(rate, s.streamingDuration(), probe.measured());
            }
            awaitArrivals(probe.measured().stream().map(byTarget::get).toList());
            steps = notifier.steps();
        }
        Map<String, Long> appended = new HashMap<>();
        for (AlertProbe.Target t : probe.measured()) {
            OptionalLong at = probe.lastAppendNanos(t);
            if (at.isPresent()) {
                appended.put(byTarget.get(t).id(), at.getAsLong());
            }
        }
        Latencies email = latencies("email", appended);
        Latencies webhook = latencies("webhook", appended);
        Latencies toTopic = main.alerts().latencies();
        String what = String.format("Kafka append of the event that crosses the intraday detector's bound -> the"
                + " alert's message received by a real %%s on loopback, through the streaming job (checkpoint every"
                + " %d s, %,d events/s offered, %s) and the notifier; %d bursts, each its own subscriber; the same"
                + " bursts reached the alerts topic in p50 %.0f ms, max %.0f ms; the notifier handled %d alert steps"
                + " in the run (the job's alerts in the whole city); load average %.1f on %d cores (shared machine)",
                s.checkpointInterval().toSeconds(), main.offered(), city.label(), probe.measured().size(),
                toTopic.p50(), toTopic.max(), steps, MachineInfo.loadAverage(), Runtime.getRuntime().availableProcessors());
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure("notifier.append_to_email.p50_ms", email.p50(), "ms", email.count(), what.formatted("SMTP server")));
        figures.add(new Figure("notifier.append_to_email.max_ms", email.max(), "ms", email.count(),
                what.formatted("SMTP server") + unseen(email)));
        figures.add(new Figure("notifier.append_to_webhook.p50_ms", webhook.p50(), "ms", webhook.count(), what.formatted("webhook receiver")));
        figures.add(new Figure("notifier.append_to_webhook.max_ms", webhook.max(), "ms", webhook.count(),
                what.formatted("webhook receiver") + unseen(webhook)));
        return figures;
    }

    /**
     * One alert record of an area the job never alerts on, produced beside the job's, until its email arrives:
     * from then on the notifier has joined its consumer group and reads the topic.
     */
    private void awaitReady(String bootstrap, String topic, Subscriber ready) throws Exception {
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(record(topic, new AvroContractCodec(), ready)).get();
        }
        awaitArrivals(List.of(ready));
        log.printf("bench:   the notifier delivered its first alert %.1f s after it started reading%n",
                (System.nanoTime() - start) / 1e9);
    }

    private static String unseen(Latencies l) {
        return l.unseen() > 0 ? "; " + l.unseen() + " never arrived" : "";
    }

    private static List<Figure> distribution(String name, Latencies l, String what) {
        String note = what + unseen(l);
        return List.of(new Figure(name + ".p50_ms", l.p50(), "ms", l.count(), note),
                new Figure(name + ".p95_ms", l.p95(), "ms", l.count(), note),
                new Figure(name + ".p99_ms", l.p99(), "ms", l.count(), note),
                new Figure(name + ".max_ms", l.max(), "ms", l.count(), note));
    }

    /** Arrival minus start for each subscriber in {@code started}; a message that never came is counted unseen. */
    private Latencies latencies(String kind, Map<String, Long> started) {
        List<Double> ms = new ArrayList<>();
        int unseen = 0;
        for (Map.Entry<String, Long> e : started.entrySet()) {
            Long at = arrivals.get(kind + ":" + e.getKey());
            if (at == null || e.getValue() == null) {
                unseen++;
            } else {
                ms.add((at - e.getValue()) / 1e6);
            }
        }
        return Latencies.of(ms, unseen);
    }

    private void awaitArrivals(List<Subscriber> subscribers) throws InterruptedException {
        long deadline = System.nanoTime() + ARRIVAL_WAIT.toNanos();
        while (System.nanoTime() < deadline && !subscribers.stream().allMatch(
                sub -> arrivals.containsKey("email:" + sub.id()) && arrivals.containsKey("webhook:" + sub.id()))) {
            Thread.sleep(20);
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, AvroContractCodec codec, Subscriber sub) {
        long now = System.currentTimeMillis();
        Alert a = Alert.newBuilder().setSpikeId("bench-" + sub.id()).setAreaId(sub.area()).setSignal("paramedic")
                .setMethod("intraday").setOpenedAt(now).setUpdatedAt(now).setClosedAt(null)
                .setWindowStart(now - 6 * HOUR).setWindowEnd(now).setObserved(9).setExpected(1.2).setThreshold(5)
                .setScore(3.1).setSeverity("moderate").setStatus("opened").setEvidence("{}")
                .setExplanation("bench").build();
        return new ProducerRecord<>(topic, a.getSpikeId().getBytes(StandardCharsets.UTF_8), codec.encode(a));
    }

    /** One subscriber of one area (and one signal, unless null), by email and a generic webhook. */
    private record Subscriber(String id, String area, String signal) {}

    /** The notifier polling in a thread of its own, as {@code ./lookout notify} runs it. */
    private static final class RunningNotifier implements AutoCloseable {
        private final Notifier notifier;
        private final Thread thread;

        private RunningNotifier(Notifier notifier) {
            this.notifier = notifier;
            this.thread = new Thread(notifier::run, "bench-notifier");
            thread.start();
        }

        static RunningNotifier start(String bootstrap, Path dir, List<Subscriber> subscribers, DemoInbox inbox)
                throws Exception {
            ObjectMapper json = new ObjectMapper();
            ObjectNode root = json.createObjectNode();
            ArrayNode list = root.putArray("subscribers");
            for (Subscriber sub : subscribers) {
                ObjectNode o = list.addObject().put("id", sub.id()).put("name", "bench " + sub.id());
                o.putArray("channels").addObject().put("email", sub.id() + "@" + DOMAIN);
                ((ArrayNode) o.get("channels")).addObject().put("webhook", inbox.webhookUrl(sub.id()));
                o.putArray("areas").add(sub.area());
                if (sub.signal() != null) {
                    o.putArray("signals").add(sub.signal());
                }
            }
            Files.createDirectories(dir);
            Path file = Files.writeString(dir.resolve("subscriptions.json"), root.toString());
            Map<String, String> values = new HashMap<>();
            values.put("kafka.bootstrap", bootstrap);
            values.put("kafka.consumer_group", "lookout-notifier-bench");
            values.put("subscriptions", file.toString());
            values.put("store", dir.resolve("notifier-store").toString());
            values.put("feed.dir", dir.resolve("feed").toString());
            values.put("smtp.host", "127.0.0.1");
            values.put("smtp.port", Integer.toString(inbox.smtpPort()));
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            return new RunningNotifier(Notifier.start(NotifierConfig.fromMap(values), Clock.systemUTC(), quiet));
        }

        /** Lifecycle steps the notifier has journalled: every alert it told of, subscribed to or not. */
        int steps() {
            return notifier.store().steps().size();
        }

        @Override
        public void close() throws InterruptedException {
            notifier.wakeup();
            thread.join(10_000);
            notifier.close();
        }
    }
}
