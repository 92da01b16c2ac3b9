package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.UsageException;

/** What {@code run --from-checkpoint} takes for a checkpoint before it hands it to Flink. */
class PreflightCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void aChkDirectoryOrItsMetadataIsTakenWhenTheMetadataIsFlinks() throws Exception {
        Path chk = Files.createDirectories(dir.resolve("chk-3"));
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(chk.resolve("_metadata")))) {
            out.writeInt(Checkpoints.HEADER_MAGIC_NUMBER);
            out.writeInt(6);
        }
        Preflight.checkpoint("--from-checkpoint", chk.toString());
        Preflight.checkpoint("--from-checkpoint", chk.resolve("_metadata").toString());
        Preflight.checkpoint("--from-checkpoint", chk.toUri().toString());
    }

    /** A text file was taken for the metadata itself, and Flink's restore failed in the job. */
    @Test
    void anotherFileOrAChkDirectoryWhoseMetadataIsNotFlinksIsOneLine() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "my notes\n");
        assertEquals("--from-checkpoint " + notes + " is not a checkpoint (it is not Flink's checkpoint metadata)",
                refusal(notes));
        Path chk = Files.createDirectories(dir.resolve("chk-4"));
        Files.writeString(chk.resolve("_metadata"), "");
        assertEquals("--from-checkpoint " + chk + " is not a checkpoint (its _metadata is not Flink's checkpoint"
                + " metadata)", refusal(chk));
        assertEquals("--from-checkpoint " + dir + " is not a checkpoint (no _metadata in it)", refusal(dir));
    }

    private static String refusal(Path location) {
        return assertThrows(UsageException.class, () -> Preflight.checkpoint("--from-checkpoint", location.toString()))
                .getMessage();
    }
}
