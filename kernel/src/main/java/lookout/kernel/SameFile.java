package lookout.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether two paths a command is given name one file, so that writing one would overwrite the other. */
public final class SameFile {
    private SameFile() {}

    /** The same path once absolute and normalised, or, both existing, one file through a link or another spelling. */
    public static boolean as(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
