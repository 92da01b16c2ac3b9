package lookout.privacy;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import lookout.cli.UsageException;

/**
 * The secret behind every pseudonym and dedupe key. Without it nobody can test a guessed health number
 * against a pseudonym, so it is never logged: {@link #toString()} is redacted.
 */
public final class PseudonymKey implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String ENV_VAR = "LOOKOUT_PSEUDONYM_KEY";
    public static final String FILE_ENV_VAR = "LOOKOUT_PSEUDONYM_KEY_FILE";
    private static final int MIN_BYTES = 32;

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
        return new PseudonymKey(b, false);
    }

    public static PseudonymKey fromFile(Path file) {
        try {
            return fromBase64(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
        } catch (IOException e) {
            throw new UsageException("cannot read pseudonym key file " + file);
        }
    }

    /** The key from {@code LOOKOUT_PSEUDONYM_KEY} (base64) or the file named by {@code LOOKOUT_PSEUDONYM_KEY_FILE}. */
    public static Optional<PseudonymKey> fromEnvironment() {
        String inline = System.getenv(ENV_VAR);
        if (inline != null && !inline.isBlank()) {
            return Optional.of(fromBase64(inline, ENV_VAR));
        }
        String file = System.getenv(FILE_ENV_VAR);
        if (file != null && !file.isBlank()) {
            return Optional.of(fromFile(Path.of(file)));
        }
        return Optional.empty();
    }

    byte[] bytes() {
        return bytes.clone();
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
