package lookout.ingest;

import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

import lookout.schema.IngestResult;

/**
 * NDJSON files (plain or gzip-compressed), one record per line, ingested inside the file source like
 * {@link KafkaIngestDeserializer} does for Kafka. A bulk format (not a stream format) because only it is told the file's path, which every
 * dead letter names with its line number.
 */
public final class NdjsonFormat implements BulkFormat<IngestResult, FileSourceSplit> {
    /** Where a gzip file is truncated or corrupt: what followed cannot be read. */
    public static final String CORRUPT_GZIP = "corrupt_gzip";
    private static final int BATCH = 1024;
    private static final HexFormat HEX = HexFormat.of();

    private final IngestSettings settings;

    public NdjsonFormat(IngestSettings settings) {
        this.settings = settings;
    }

    @Override
    public Reader<IngestResult> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new LineReader(split, settings, 0);
    }

    @Override
    public Reader<IngestResult> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        long skip = split.getReaderPosition().map(CheckpointedPosition::getRecordsAfterOffset).orElse(0L);
        return new LineReader(split, settings, skip);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<IngestResult> getProducedType() {
        return new AvroTypeInfo<>(IngestResult.class);
    }

    private static final class LineReader implements Reader<IngestResult> {
        private static final IngestResult EMPTY_LINE = IngestResult.newBuilder().setSkipped("empty_line").build();
        /** Dead letters carry their raw bytes, so a batch is cut short once it holds this much of them. */
        private static final long BATCH_BYTES = 16L << 20;

        private final NdjsonLines lines;
        private final String file;
        /** A file's records were received when the file was delivered: this keeps backfills deterministic. */
        private final long receivedAt;
        private final RecordIngestor ingestor;
        private long lineNumber;
        private boolean eof;

        LineReader(FileSourceSplit split, IngestSettings settings, long linesToSkip) throws IOException {
            this.lines = NdjsonLines.open(FileSystem.get(split.path().toUri()).open(split.path()), settings.maxRecordBytes());
            this.file = split.path().getPath();
            this.receivedAt = split.fileModificationTime();
            this.ingestor = settings.newIngestor();
            while (lineNumber < linesToSkip && lines.next()) {
                lineNumber++;
            }
        }

        @Override
        public RecordIterator<IngestResult> readBatch() throws IOException {
            if (eof) {
                return null;
            }
            IngestResult[] batch = new IngestResult[BATCH];
            int n = 0;
            long bytes = 0;
            long firstLine = lineNumber;
            while (n < BATCH && bytes < BATCH_BYTES) {
                if (!lines.next()) {
                    eof = true;
                    break;
                }
                lineNumber++;
                byte[] line = lines.line();
                bytes += line.length;
                batch[n++] = ingest(line, file + ":" + lineNumber);
            }
            if (n == 0) {
                return null;
            }
            ArrayResultIterator<IngestResult> iterator = new ArrayResultIterator<>();
            iterator.set(Arrays.copyOf(batch, n), n, CheckpointedPosition.NO_OFFSET, firstLine);
            return iterator;
        }

        private IngestResult ingest(byte[] line, String position) {
            if (lines.damaged()) {
                String sha256 = HEX.formatHex(RecordIngestor.sha256().digest(line));
                return ingestor.refused(CORRUPT_GZIP, line, sha256, position, receivedAt);
            }
            if (lines.tooLarge()) {
                return ingestor.refused(RecordIngestor.TOO_LARGE, line, lines.tooLargeSha256(), position, receivedAt);
            }
            return lines.isBlank() ? EMPTY_LINE : ingestor.ingest(line, position, receivedAt);
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }
}
