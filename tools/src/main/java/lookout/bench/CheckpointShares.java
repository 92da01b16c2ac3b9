package lookout.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;

/**
 * A completed checkpoint's state size per part of the job, read from its metadata: the project allows state
 * that grows with events only within the dedupe horizon, so the dedupe set is told apart from the rest.
 */
final class CheckpointShares {
    /** Parts of the job by the uids of their stateful operators; whatever is left is counted as "other". */
    static final Map<String, List<String>> PARTS = parts();

    private CheckpointShares() {}

    private static Map<String, List<String>> parts() {
        Map<String, List<String>> parts = new LinkedHashMap<>();
        parts.put("dedupe", List.of("deduplicate"));
        parts.put("linker", List.of("overdose-linker"));
        parts.put("detection", List.of("watching-since", "detect-area-signal", "substance-novelty", "detect-toxicity", "coroner-confirmation"));
        return parts;
    }

    /** Bytes of state per part, plus "other" (sources, sinks) and "total", of the checkpoint in {@code chk}. */
    static Map<String, Long> read(Path chk) throws IOException {
        CheckpointMetadata metadata;
        try (InputStream in = Files.newInputStream(chk.resolve("_metadata"))) {
            metadata = Checkpoints.loadCheckpointMetadata(new DataInputStream(in),
                    CheckpointShares.class.getClassLoader(), chk.toString());
        }
        Map<OperatorID, Long> byOperator = new LinkedHashMap<>();
        long total = 0;
        for (OperatorState state : metadata.getOperatorStates()) {
            byOperator.put(state.getOperatorID(), state.getStateSize());
            total += state.getStateSize();
        }
        Map<String, Long> shares = new LinkedHashMap<>();
        long named = 0;
        for (Map.Entry<String, List<String>> part : PARTS.entrySet()) {
            long bytes = 0;
            for (String uid : part.getValue()) {
                bytes += byOperator.getOrDefault(new OperatorID(StreamGraphHasherV2.generateUserSpecifiedHash(uid)), 0L);
            }
            shares.put(part.getKey(), bytes);
            named += bytes;
        }
        shares.put("other", total - named);
        shares.put("total", total);
        return shares;
    }
}
