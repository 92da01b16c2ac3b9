package lookout.replay;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import lookout.cli.JobOptions;
import lookout.cli.ProgressLine;
import lookout.config.KafkaTopics;
import lookout.config.LookoutConfig;
import lookout.ingest.InputSniffer;
import lookout.ingest.KafkaCluster;
import lookout.ingest.NdjsonLines;
import lookout.ingest.ReadProgress;
import lookout.kernel.Command;
import lookout.kernel.Options;
import lookout.kernel.UsageException;

/** {@code ./lookout replay}: publishes an NDJSON file to the job's Kafka topics. */
public final class ReplayCommand implements Command {
    /** Lines between two looks at the clock: a look costs more than a line. */
    private static final int LINES_PER_LOOK = 1024;
    /** What is left once every line is read: the producer's batches still on their way. */
    private static final ProgressLine.Stage FLUSHING = new ProgressLine.Stage("sending the last records to Kafka",
            List.of());

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
                with a reason. Empty lines are skipped. Missing topics are created. A gzip-compressed file is
                read as it is. A line longer than ingest.max_record_bytes is not sent whole: its first 4096
                bytes go to PREFIX.unrouted, marked so that the job records it as record_too_large, as a
                backfill of the same file would. While it runs, it shows on stderr how much it has read and
                how long reading has left: on a terminal one line that updates in place, elsewhere a line
                every 5 seconds.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out) throws Exception {
        Options o = Options.parse(name(), args, Set.of("input", "bootstrap", "config"), Set.of());
        Path input = o.existingPath("input");
        if (Files.isDirectory(input)) {
            throw new UsageException("--input must be a file, not a directory");
        }
        InputSniffer.requireNdjson(List.of(input));
        LookoutConfig config = JobOptions.config(o).with("kafka.bootstrap", o.required("bootstrap"));
        KafkaCluster.ensureTopics(config.kafkaBootstrap(), config.kafkaProperties(), KafkaTopics.inputs(config), 1);
        // Lines are handled as bytes, never decoded to text: decoding would replace invalid UTF-8 and so
        // accept lines that a backfill of the same file refuses.
        try (KafkaPublisher publisher = new KafkaPublisher(config);
             NdjsonLines reader = NdjsonLines.open(Files.newInputStream(input), config.maxRecordBytes());
             ReadProgress read = ReadProgress.start()) {
            ProgressLine progress = new ProgressLine(name(), read, Files.size(input), () -> FLUSHING, System.err,
                    System.console() != null ? ProgressLine.terminalColumns() : 0, System.nanoTime());
            Published published;
            try {
                published = publishAll(input, reader, publisher, read, progress);
            } finally {
                progress.end();
            }
            out.printf("replay: %d records published, %d empty lines skipped%n", published.records(),
                    published.emptyLines());
            publisher.sent().forEach((topic, n) -> out.printf("  %-40s %8d%n", topic, n));
        }
        return 0;
    }

    private record Published(long records, long emptyLines) {}

    /** Publishes every line and waits until Kafka has them, telling {@code read} and {@code progress} as it goes. */
    private static Published publishAll(Path input, NdjsonLines reader, KafkaPublisher publisher, ReadProgress read,
            ProgressLine progress) throws Exception {
        long lines = 0;
        long empty = 0;
        long lastLook = System.nanoTime();
        long bytesShown = 0;
        long linesShown = 0;
        while (reader.next()) {
            if (reader.damaged()) {
                throw new UsageException("input " + input + " is a damaged gzip file: " + lines
                        + " records before the damage were published");
            }
            if (reader.isBlank()) {
                empty++;
            } else if (reader.tooLarge()) {
                publisher.publishTooLarge(reader.line(), reader.tooLargeSha256());
                lines++;
            } else {
                publisher.publish(reader.line());
                lines++;
            }
            if (lines % LINES_PER_LOOK == 0 && System.nanoTime() - lastLook >= ProgressLine.TICK.toNanos()) {
                lastLook = System.nanoTime();
                read.add(reader.fileBytesRead() - bytesShown, lines - linesShown);
                bytesShown = reader.fileBytesRead();
                linesShown = lines;
                progress.tick(lastLook);
            }
        }
        read.add(reader.fileBytesRead() - bytesShown, lines - linesShown);
        progress.tick(System.nanoTime());
        publisher.flush();
        return new Published(lines, empty);
    }
}
