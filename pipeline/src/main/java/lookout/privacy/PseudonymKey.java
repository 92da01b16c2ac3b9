package lookout.privacy;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import lookout.kernel.UsageException;

/**
 * The secret behind every pseudonym and dedupe key. Without it nobody can test a guessed health number
 * against a pseudonym, so it is never logged: {@link #toString()} is redacted.
 */
public final class PseudonymKey implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String ENV_VAR = "LOOKOUT_PSEUDONYM_KEY";
    public static final String FILE_ENV_VAR = "LOOKOUT_PSEUDONYM_KEY_FILE";
    private static final int MIN_BYTES = 32;
    /** A random 32-byte key has about 30 distinct byte values; fewer than this means it was not drawn at random. */
    private static final int MIN_DISTINCT_BYTES = 16;
    /** The chance of this many equal bytes in a row in a random 32-byte key is about 3 in 10^11. */
    private static final int MAX_RUN = 5;

    private final byte[] bytes;
    private final boolean ephemeral;

    private PseudonymKey(byte[] bytes, boolean ephemeral) {
        this.bytes = bytes.clone();
        this.ephemeral = ephemeral;
    }

    /** A fresh random key, for runs whose pseudonyms need not survive the process (demo, backfill). */
    public static PseudonymKey ephemeral() {
        byte[] b = new byte[MIN_BYTES];
        new SecureRandom().nextBytes(b);
        return new PseudonymKey(b, true);
    }

    /** A key given as base64 text (at least 32 bytes once decoded). */
    public static PseudonymKey fromBase64(String text, String where) {
        byte[] b;
        try {
            b = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new UsageException("pseudonym key in " + where + " is not base64");
        }
        if (b.length < MIN_BYTES) {
            throw new UsageException("pseudonym key in " + where + " is " + b.length
                    + " bytes; at least " + MIN_BYTES + " are required (openssl rand -base64 32)");
        }
        lowEntropy(b).ifPresent(why -> {
            throw new UsageException("pseudonym key in " + where + " is not random (" + why
                    + "); generate one with openssl rand -base64 32");
        });
        return new PseudonymKey(b, false);
    }

    /**
     * Why a key cannot have been drawn at random, if it cannot: fewer than 16 distinct byte values, or more than 5
     * equal bytes in a row (32 zero bytes fail both). A random 32-byte key passes with near certainty.
     */
    static Optional<String> lowEntropy(byte[] key) {
        long distinct = IntStream.range(0, key.length).map(i -> key[i]).distinct().count();
        if (distinct < MIN_DISTINCT_BYTES) {
            return Optional.of("fewer than " + MIN_DISTINCT_BYTES + " distinct bytes: " + distinct);
        }
        int run = 1;
        for (int i = 1; i < key.length; i++) {
            run = key[i] == key[i - 1] ? run + 1 : 1;
            if (run > MAX_RUN) {
                return Optional.of(run + " equal bytes in a row");
            }
        }
        return Optional.empty();
    }

    /** @param warn told, in one line, if other users can read the file */
    public static PseudonymKey fromFile(Path file, Consumer<String> warn) {
        try {
            PseudonymKey key = fromBase64(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
            readableByOthers(file).ifPresent(mode -> warn.accept("pseudonym key file " + file
                    + " is readable by other users (" + mode + "); chmod 600 it"));
            return key;
        } catch (IOException e) {
            throw new UsageException("cannot read pseudonym key file " + file);
        }
    }

    private static Optional<String> readableByOthers(Path file) throws IOException {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            return mode.contains(PosixFilePermission.OTHERS_READ) || mode.contains(PosixFilePermission.GROUP_READ)
                    ? Optional.of(PosixFilePermissions.toString(mode)) : Optional.empty();
        } catch (UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * The key from {@code LOOKOUT_PSEUDONYM_KEY} (base64) or the file named by {@code LOOKOUT_PSEUDONYM_KEY_FILE}.
     *
     * @param warn told, in one line, of a key file that other users can read
     */
    public static Optional<PseudonymKey> fromEnvironment(Consumer<String> warn) {
        String inline = System.getenv(ENV_VAR);
        if (inline != null && !inline.isBlank()) {
            return Optional.of(fromBase64(inline, ENV_VAR));
        }
        String file = System.getenv(FILE_ENV_VAR);
        if (file != null && !file.isBlank()) {
            return Optional.of(fromFile(Path.of(file), warn));
        }
        return Optional.empty();
    }

    byte[] bytes() {
        return bytes.clone();
    }

    /** The key's {@link Pseudonymizer#keyId}, which the DuckDB sink records with each commit. */
    public String id() {
        return new Pseudonymizer(this).keyId();
    }

    public boolean isEphemeral() {
        return ephemeral;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PseudonymKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return ephemeral ? "PseudonymKey[ephemeral, redacted]" : "PseudonymKey[redacted]";
    }
}
