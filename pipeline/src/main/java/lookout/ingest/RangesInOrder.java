package lookout.ingest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;

/**
 * Hands out a file source's ranges in the order {@link NdjsonRanges} made them: each file from its start. Flink's
 * default assigner takes them from a hash set, in no order, so a reader's first range was often near a file's
 * end, and a dead letter there had its line number counted over everything before it ({@link LineCounts} then
 * knows only what that reader has read or counted). In order, a reader counts at most the ranges the others read.
 */
public final class RangesInOrder implements FileSplitAssigner {
    private final Deque<FileSourceSplit> ranges;

    public RangesInOrder(Collection<FileSourceSplit> ranges) {
        this.ranges = new ArrayDeque<>(ranges);
    }

    /** The provider a file source is given. */
    public static FileSplitAssigner.Provider provider() {
        return RangesInOrder::new;
    }

    @Override
    public Optional<FileSourceSplit> getNext(String hostname) {
        return Optional.ofNullable(ranges.pollFirst());
    }

    /** Ranges given back (a reader failed) go first again, in their order. */
    @Override
    public void addSplits(Collection<FileSourceSplit> splits) {
        List<FileSourceSplit> back = new ArrayList<>(splits);
        for (int i = back.size() - 1; i >= 0; i--) {
            ranges.addFirst(back.get(i));
        }
    }

    @Override
    public Collection<FileSourceSplit> remainingSplits() {
        return new ArrayList<>(ranges);
    }
}
