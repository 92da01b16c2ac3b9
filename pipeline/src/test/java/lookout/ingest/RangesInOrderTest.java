package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.assigners.FileSplitAssigner;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;

class RangesInOrderTest {
    private static List<FileSourceSplit> ranges(String file, int count) {
        List<FileSourceSplit> ranges = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ranges.add(new FileSourceSplit(file + i, new Path("/data/" + file), 100L * i, 100, 1, 100L * count));
        }
        return ranges;
    }

    private static List<String> drain(FileSplitAssigner assigner) {
        List<String> ids = new ArrayList<>();
        Optional<FileSourceSplit> next;
        while ((next = assigner.getNext(null)).isPresent()) {
            ids.add(next.get().splitId());
        }
        return ids;
    }

    @Test
    void rangesLeaveInTheOrderTheyWereCutEachFileFromItsStart() {
        List<FileSourceSplit> all = new ArrayList<>(ranges("a", 8));
        all.addAll(ranges("b", 3));
        FileSplitAssigner assigner = RangesInOrder.provider().create(all);
        assertEquals(List.of("a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "b0", "b1", "b2"), drain(assigner));
    }

    @Test
    void rangesGivenBackGoFirstInTheirOrderAndTheRestRemain() {
        FileSplitAssigner assigner = new RangesInOrder(ranges("a", 5));
        FileSourceSplit first = assigner.getNext(null).orElseThrow();
        FileSourceSplit second = assigner.getNext(null).orElseThrow();
        assertEquals(List.of("a2", "a3", "a4"), assigner.remainingSplits().stream().map(FileSourceSplit::splitId).toList());
        assigner.addSplits(List.of(first, second));
        assertEquals(List.of("a0", "a1", "a2", "a3", "a4"), drain(assigner));
    }
}
