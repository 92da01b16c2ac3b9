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
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

import lookout.geo.AreaIndex;
import lookout.kernel.Sha256;
import lookout.schema.IngestResult;

/**
 * NDJSON files (plain or gzip-compressed), one record per line, ingested inside the file source like
 * {@link KafkaIngestDeserializer} does for Kafka. A bulk format (not a stream format) because only it is told the
 * file's path, which every dead letter names with its line number. A split is a byte range of a file
 * ({@link NdjsonRanges}) holding the lines that start in it ({@link NdjsonLines#range}), so that one file is read
 * on every core and still gives the same records and dead letters as read whole.
 */
public final class NdjsonFormat implements BulkFormat<IngestResult, FileSourceSplit> {
    /** Where a gzip file is truncated or corrupt: what followed cannot be read. */
    public static final String CORRUPT_GZIP = "corrupt_gzip";
    private static final int BATCH = 1024;
    private static final HexFormat HEX = HexFormat.of();

    private final IngestSettings settings;
    /** The {@link ReadProgress} the readers add to, or null. */
    private final String progress;
    /**
     * The boundaries, loaded once per subtask (each deserialises its own format): a subtask reads several byte
     * ranges one after another, and parsing the boundary file and indexing its polygons for each cost more than
     * reading a range's first thousand lines.
     */
    private transient AreaIndex areas;
    /** The newlines this subtask has counted or read in its files, for dead letters' line numbers. */
    private transient LineCounts lineCounts;

    public NdjsonFormat(IngestSettings settings, String progress) {
        this.settings = settings;
        this.progress = progress;
    }

    @Override
    public Reader<IngestResult> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new LineReader(split, newIngestor(), lineCounts(), settings.maxRecordBytes(),
                ReadProgress.find(progress), CheckpointedPosition.NO_OFFSET, 0);
    }

    /**
     * Resumes at a batch's first line ({@link CheckpointedPosition#getOffset()}, a plain file's byte offset) or,
     * for a gzip file, from the start, then skips the lines already emitted.
     */
    @Override
    public Reader<IngestResult> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        CheckpointedPosition at = split.getReaderPosition().orElse(null);
        return at == null
                ? createReader(config, split)
                : new LineReader(split, newIngestor(), lineCounts(), settings.maxRecordBytes(),
                        ReadProgress.find(progress), at.getOffset(), at.getRecordsAfterOffset());
    }

    private RecordIngestor newIngestor() {
        if (areas == null) {
            areas = settings.areas();
        }
        return settings.newIngestor(areas);
    }

    private LineCounts lineCounts() {
        if (lineCounts == null) {
            lineCounts = new LineCounts();
        }
        return lineCounts;
    }

    /** Splittable by {@link NdjsonRanges}, which cuts byte ranges itself rather than following a file's blocks. */
    @Override
    public boolean isSplittable() {
        return true;
    }

    @Override
    public TypeInformation<IngestResult> getProducedType() {
        return new AvroTypeInfo<>(IngestResult.class);
    }

    private static final class LineReader implements Reader<IngestResult> {
        private static final IngestResult EMPTY_LINE = IngestResult.newBuilder().setSkipped("empty_line").build();
        /** Dead letters carry their raw bytes, so a batch is cut short once it holds this much of them. */
        private static final long BATCH_BYTES = 16L << 20;
        /** What a dead letter's position is until the line's number is known; never left in one. */
        private static final String POSITION_PENDING = "";

        private final NdjsonLines lines;
        private final Path path;
        private final String file;
        /** A file's records were received when the file was delivered: this keeps backfills deterministic. */
        private final long receivedAt;
        private final RecordIngestor ingestor;
        private final LineCounts lineCounts;
        private final LineCounts.FileVersion version;
        private final ReadProgress progress;
        /** Lines read in this reader; the first was line {@code linesBefore + 1} of the file. */
        private long lineIndex;
        /** Newlines in the file before this reader's first line: counted when a dead letter first needs them. */
        private long linesBefore = -1;
        private long firstLineStart = -1;
        private long lastLineStart = -1;
        private long progressMark;
        private boolean eof;

        LineReader(FileSourceSplit split, RecordIngestor ingestor, LineCounts lineCounts, int maxRecordBytes,
                ReadProgress progress, long restartOffset, long linesToSkip) throws IOException {
            this.path = split.path();
            this.file = path.getPath();
            this.receivedAt = split.fileModificationTime();
            this.ingestor = ingestor;
            this.lineCounts = lineCounts;
            this.version = new LineCounts.FileVersion(path.toString(), split.fileSize(), split.fileModificationTime());
            this.progress = progress;
            long start = restartOffset == CheckpointedPosition.NO_OFFSET ? split.offset() : restartOffset;
            FSDataInputStream in = FileSystem.get(path.toUri()).open(path);
            try {
                if (start > 0) {
                    in.seek(start - 1);
                }
                this.lines = NdjsonLines.range(in, start, split.offset() + split.length(), maxRecordBytes);
            } catch (IOException e) {
                in.close();
                throw e;
            }
            skip(linesToSkip);
            progressMark = lines.gzip() ? 0 : lines.lineEnd();
        }

        /** Passes over the lines a restored reader had already emitted. */
        private void skip(long count) throws IOException {
            boolean more = true;
            while (more && lineIndex < count) {
                more = advance();
            }
        }

        private boolean advance() throws IOException {
            if (!lines.next()) {
                return false;
            }
            if (firstLineStart < 0) {
                firstLineStart = lines.lineStart();
                if (firstLineStart == 0 || lines.gzip()) {
                    linesBefore = 0;
                }
            }
            lastLineStart = lines.lineStart();
            lineIndex++;
            return true;
        }

        @Override
        public RecordIterator<IngestResult> readBatch() throws IOException {
            if (eof) {
                return null;
            }
            IngestResult[] batch = new IngestResult[BATCH];
            int n = 0;
            long bytes = 0;
            long firstIndex = lineIndex;
            long batchStart = -1;
            int records = 0;
            while (n < BATCH && bytes < BATCH_BYTES) {
                if (!advance()) {
                    eof = true;
                    break;
                }
                if (n == 0) {
                    batchStart = lines.lineStart();
                }
                byte[] line = lines.line();
                bytes += line.length;
                IngestResult result = ingest(line);
                if (result != EMPTY_LINE) {
                    records++;
                }
                batch[n++] = result;
            }
            reportProgress(records);
            if (n == 0) {
                return null;
            }
            ArrayResultIterator<IngestResult> iterator = new ArrayResultIterator<>();
            if (lines.gzip()) {
                iterator.set(Arrays.copyOf(batch, n), n, CheckpointedPosition.NO_OFFSET, firstIndex);
            } else {
                iterator.set(Arrays.copyOf(batch, n), n, batchStart, 0);
            }
            return iterator;
        }

        private IngestResult ingest(byte[] line) throws IOException {
            if (lines.damaged()) {
                String sha256 = HEX.formatHex(Sha256.of(line));
                return ingestor.refused(NdjsonFormat.CORRUPT_GZIP, line, sha256, position(), receivedAt);
            }
            if (lines.tooLarge()) {
                return ingestor.refused(RecordIngestor.TOO_LARGE, line, lines.tooLargeSha256(), position(), receivedAt);
            }
            if (lines.isBlank()) {
                return EMPTY_LINE;
            }
            IngestResult result = ingestor.ingest(line, POSITION_PENDING, receivedAt);
            if (result.getDeadLetter() != null) {
                result.getDeadLetter().setPosition(position());
            }
            return result;
        }

        /** {@code file:line} of the current line, as a dead letter names it. */
        private String position() throws IOException {
            if (linesBefore < 0) {
                linesBefore = lineCounts.before(version, firstLineStart, this::newlines);
            }
            return file + ":" + (linesBefore + lineIndex);
        }

        private void reportProgress(int records) {
            if (progress != null) {
                long read = lines.fileBytesRead();
                progress.add(read - progressMark, records);
                progressMark = read;
            }
        }

        private long newlines(long start, long end) throws IOException {
            try (FSDataInputStream in = FileSystem.get(path.toUri()).open(path)) {
                in.seek(start);
                return NdjsonLines.newlines(in, end - start);
            }
        }

        /** Every line this reader read but the last ended with one newline: what a later range's count can skip. */
        @Override
        public void close() throws IOException {
            if (!lines.gzip() && lineIndex > 1) {
                lineCounts.record(version, firstLineStart, lastLineStart, lineIndex - 1);
            }
            lines.close();
        }
    }
}
