package lookout.notify;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import lookout.kernel.Command;
import lookout.kernel.Options;

/** {@code ./lookout notify --config FILE}: runs the notifier until stopped (Ctrl-C). */
public final class NotifyCommand implements Command {
    @Override
    public String name() {
        return "notify";
    }

    @Override
    public String summary() {
        return "send alerts to subscribers (email, webhooks, SMS) and write the CAP/Atom feeds";
    }

    @Override
    public String usage() {
        return """
                Usage: ./lookout notify --config FILE

                Reads the alerts topic and tells each subscriber of the subscribers file when an alert opens,
                worsens and closes (the all-clear), by email, webhook or SMS; writes the public CAP 1.2 and Atom
                feeds. Reads the feed-health topic too and tells the operators (operator.email,
                operator.webhook) when a source's feed goes silent or bad and when it is back.
                Runs until stopped (Ctrl-C); a restart resumes where it stopped and sends nothing twice.
                With http.port set it also runs its HTTP server: the SMS gateway's inbound webhook (JOIN, STOP)
                and the subscriptions API the dashboards call (README, "Notifier HTTP API").

                  --config FILE   the notifier's properties file (keys: README, "Notifications")
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Options o = Options.parse(name(), args, Set.of("config"), Set.of());
        Path file = o.existingPath("config");
        NotifierConfig config = NotifierConfig.load(file);
        CountDownLatch stopped = new CountDownLatch(1);
        try (Notifier notifier = Notifier.start(config, Clock.systemUTC(), out)) {
            Thread hook = new Thread(() -> {
                notifier.wakeup();
                try {
                    stopped.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "notify-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            notifier.run();
        } finally {
            stopped.countDown();
        }
        return 0;
    }
}
