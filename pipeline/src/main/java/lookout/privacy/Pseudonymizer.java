package lookout.privacy;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Keyed HMAC-SHA-256 pseudonyms. The same person (by normalised health number, or name and date of birth
 * when there is none) gets the same pseudonym under one key; without the key a pseudonym cannot be linked
 * back by guessing. Not thread-safe: one instance per operator instance.
 */
public final class Pseudonymizer {
    private static final HexFormat HEX = HexFormat.of();
    /** 128 bits: collisions are negligible for any realistic number of people or events. */
    private static final int OUTPUT_BYTES = 16;
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** Each ASCII character's value as a lower-case hex digit, -1 (every bit set) for the others. */
    private static final byte[] DIGIT_VALUES = digitValues();

    private static final byte[] HEALTH_NUMBER = "hn|".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NAME_AND_BIRTH_DATE = "nd|".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EVENT = "ev|".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SEPARATOR = "|".getBytes(StandardCharsets.UTF_8);

    /** SHA-256's block: a key is padded (or first hashed) to it (RFC 2104). */
    private static final int BLOCK_BYTES = 64;
    private static final byte INNER_PAD = 0x36;
    private static final byte OUTER_PAD = 0x5c;

    /**
     * SHA-256 after the key's inner and outer padded blocks: HMAC's first block of each pass, the same for every
     * message, so it is hashed once here and each HMAC starts from a copy (javax.crypto's Mac hashes both blocks
     * again for every message, half the cost of a short one). Equal to {@code Mac "HmacSHA256"}, as
     * PseudonymizerTest checks.
     */
    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] digest = new byte[32];

    public Pseudonymizer(PseudonymKey key) {
        byte[] k = key.bytes();
        inner = sha256();
        outer = sha256();
        if (k.length > BLOCK_BYTES) {
            k = inner.digest(k);
        }
        byte[] block = Arrays.copyOf(k, BLOCK_BYTES);
        for (int i = 0; i < BLOCK_BYTES; i++) {
            block[i] ^= INNER_PAD;
        }
        inner.update(block);
        for (int i = 0; i < BLOCK_BYTES; i++) {
            block[i] ^= INNER_PAD ^ OUTER_PAD;
        }
        outer.update(block);
        Arrays.fill(block, (byte) 0);
        Arrays.fill(k, (byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /**
     * The person's pseudonym, or null when the record does not identify a person well enough to link
     * (no health number, and not both a name and a date of birth).
     */
    public String person(String healthNumber, String name, String dateOfBirth) {
        String hn = normaliseHealthNumber(healthNumber);
        if (hn != null) {
            return hmac(HEALTH_NUMBER, utf8(hn), null);
        }
        String n = normaliseName(name);
        String dob = dateOfBirth == null ? null : dateOfBirth.strip();
        if (n == null || dob == null || dob.isEmpty()) {
            return null;
        }
        return hmac(NAME_AND_BIRTH_DATE, utf8(n), utf8(dob));
    }

    /**
     * Deduplicates on (source, event_id) without keeping the source's own record id in state; {@code sourceCode} is
     * the contract's name of the source ({@code Source.code()}).
     */
    public String dedupeKey(String sourceCode, String eventId) {
        return hmac(EVENT, utf8(sourceCode), utf8(eventId));
    }

    /**
     * The 128 bits of {@code text} into {@code bits} (high, then low) when it is a hash as this class writes it: 32
     * hex digits, lower case only; false otherwise ({@code bits} then means nothing). Those who carry a hash as its
     * bits spell it back with {@link #hashText}, in lower case, so an upper-case spelling must stay text: it is
     * another string. One pass over the digits: the job's serializers and keys read two hashes of every record.
     */
    public static boolean hashBits(String text, long[] bits) {
        if (text == null || text.length() != 2 * OUTPUT_BYTES) {
            return false;
        }
        int invalid = 0;
        for (int half = 0; half < 2; half++) {
            long value = 0;
            for (int i = half * OUTPUT_BYTES, end = i + OUTPUT_BYTES; i < end; i++) {
                char c = text.charAt(i);
                int digit = c < DIGIT_VALUES.length ? DIGIT_VALUES[c] : -1;
                invalid |= digit;
                value = value << 4 | (digit & 0xF);
            }
            bits[half] = value;
        }
        return invalid >= 0;
    }

    /** The hash whose bits are {@code high} and {@code low}, spelt as this class writes it. */
    public static String hashText(long high, long low) {
        byte[] text = new byte[2 * OUTPUT_BYTES];
        for (int i = 0; i < OUTPUT_BYTES; i++) {
            int shift = 4 * (OUTPUT_BYTES - 1 - i);
            text[i] = DIGITS[(int) (high >>> shift) & 0xF];
            text[OUTPUT_BYTES + i] = DIGITS[(int) (low >>> shift) & 0xF];
        }
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    private static byte[] digitValues() {
        byte[] values = new byte[128];
        Arrays.fill(values, (byte) -1);
        for (int d = 0; d < DIGITS.length; d++) {
            values[DIGITS[d]] = (byte) d;
        }
        return values;
    }

    static String normaliseHealthNumber(String healthNumber) {
        if (healthNumber == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(healthNumber.length());
        for (int i = 0; i < healthNumber.length(); i++) {
            char c = healthNumber.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                b.append(Character.toUpperCase(c));
            }
        }
        return b.length() == 0 ? null : b.toString();
    }

    static String normaliseName(String name) {
        if (name == null) {
            return null;
        }
        String folded = Normalizer.normalize(name, Normalizer.Form.NFKD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}]+", " ")
                .strip();
        return folded.isEmpty() ? null : folded;
    }

    /**
     * The HMAC of {@code prefix + first} or of {@code prefix + first + "|" + second}, fed part by part so that no
     * joined string is built per event.
     */
    private String hmac(byte[] prefix, byte[] first, byte[] second) {
        MessageDigest in = copy(inner);
        in.update(prefix);
        in.update(first);
        if (second != null) {
            in.update(SEPARATOR);
            in.update(second);
        }
        MessageDigest out = copy(outer);
        out.update(in.digest());
        try {
            out.digest(digest, 0, digest.length);
        } catch (DigestException e) {
            throw new IllegalStateException("the digest buffer holds a whole SHA-256", e);
        }
        return HEX.formatHex(digest, 0, OUTPUT_BYTES);
    }

    private static MessageDigest copy(MessageDigest started) {
        try {
            return (MessageDigest) started.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("this JVM's SHA-256 cannot be copied", e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
