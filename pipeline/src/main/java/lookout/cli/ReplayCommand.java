package lookout.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import lookout.config.LookoutConfig;
import lookout.ingest.KafkaCluster;
import lookout.ingest.KafkaPublisher;
import lookout.job.Inputs;

/** {@code ./lookout replay}: publishes an NDJSON file to the job's Kafka topics. */
public final class ReplayCommand implements Command {
    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String summary() {
        return "publish an NDJSON file to the input topics as Avro single-object messages";
    }

    @Override
    public String usage() {
        return """
                Usage: ./lookout replay --input FILE --bootstrap HOST:PORT [--config FILE]

                Publishes each line to PREFIX.<source> (default prefix: lookout) as Avro with single-object
                encoding. A line that breaks the contract's types is sent unchanged (to its source's topic,
                or to PREFIX.unrouted when its source cannot be read), so the job records it as a dead letter
                with a reason. Empty lines are skipped. Missing topics are created.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Options o = Options.parse(name(), args, Set.of("input", "bootstrap", "config"), Set.of());
        Path input = o.existingPath("input");
        if (Files.isDirectory(input)) {
            throw new UsageException("--input must be a file, not a directory");
        }
        LookoutConfig config = JobOptions.config(o).with("kafka.bootstrap", o.required("bootstrap"));
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), config.kafkaProperties(), Inputs.topics(config), 1);
        long lines = 0;
        long empty = 0;
        try (KafkaPublisher publisher = new KafkaPublisher(config);
             BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(input), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    empty++;
                    continue;
                }
                publisher.publish(line.getBytes(StandardCharsets.UTF_8));
                lines++;
            }
            publisher.flush();
            out.printf("replay: %d records published, %d empty lines skipped%n", lines, empty);
            publisher.sent().forEach((topic, n) -> out.printf("  %-40s %8d%n", topic, n));
        }
        return 0;
    }
}
