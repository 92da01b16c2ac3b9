package lookout.privacy;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

import lookout.kernel.Sha256;
import lookout.schema.Hash128;

/**
 * Keyed HMAC-SHA-256 pseudonyms. The same person (by normalised health number, or name and date of birth
 * when there is none) gets the same pseudonym under one key; without the key a pseudonym cannot be linked
 * back by guessing. Not thread-safe: one instance per operator instance.
 */
public final class Pseudonymizer {
    /** 128 bits: collisions are negligible for any realistic number of people or events. */
    private static final int OUTPUT_BYTES = 16;

    private static final byte[] HEALTH_NUMBER = "hn|".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NAME_AND_BIRTH_DATE = "nd|".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EVENT = "ev|".getBytes(StandardCharsets.UTF_8);
    private static final byte[] KEY_ID = "key|".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SEPARATOR = "|".getBytes(StandardCharsets.UTF_8);

    /** SHA-256's block: a key is padded (or first hashed) to it (RFC 2104). */
    private static final int BLOCK_BYTES = 64;
    private static final byte INNER_PAD = 0x36;
    private static final byte OUTER_PAD = 0x5c;

    /** Words that forms and exports put where a health number is not known, normalised. */
    private static final Set<String> NOT_KNOWN = Set.of("UNKNOWN", "UNK", "NA", "NONE", "NULL", "NIL", "NOTAVAILABLE",
            "NOTKNOWN", "REFUSED", "DECLINED", "NOHEALTHCARD", "NOCARD", "NOHCN", "PENDING", "TBD");
    /** Names that forms put where a person's name is not known, normalised: strangers share them too. */
    private static final Set<String> UNNAMED = Set.of("unknown", "unidentified", "john doe", "jane doe", "doe john",
            "doe jane", "no name", "unknown unknown", "not known", "refused", "declined", "unk unk", "anonymous", "doe",
            "patient", "unknown male", "unknown female", "no name given", "not given", "not stated");
    /** Dates that forms put where a birth date is not known, as written: strangers share them too. */
    private static final Set<String> UNDATED = Set.of("1900-01-01", "1800-01-01", "0001-01-01", "0000-00-00",
            "1901-01-01");

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
        inner = Sha256.digest();
        outer = Sha256.digest();
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

    /**
     * The person's pseudonym, or null when the record does not identify a person well enough to link
     * (no health number, and not both a name and a date of birth).
     */
    public Hash128 person(String healthNumber, String name, String dateOfBirth) {
        String hn = normaliseHealthNumber(healthNumber);
        if (hn != null) {
            return hmac(HEALTH_NUMBER, utf8(hn), null);
        }
        String n = normaliseName(name);
        String dob = dateOfBirth == null ? null : dateOfBirth.strip();
        if (n == null || dob == null || dob.isEmpty() || UNDATED.contains(dob) || Placeholders.isUnknownWord(dob)) {
            return null;
        }
        return hmac(NAME_AND_BIRTH_DATE, utf8(n), utf8(dob));
    }

    /**
     * Deduplicates on (source, event_id) without keeping the source's own record id in state; {@code sourceCode} is
     * the contract's name of the source ({@code Source.code()}).
     */
    public Hash128 dedupeKey(String sourceCode, String eventId) {
        return hmac(EVENT, utf8(sourceCode), utf8(eventId));
    }

    /**
     * Names this key without telling anything of it, in a domain of its own (no person's or event's input begins
     * with {@code key|}): equal for equal keys, so that a run's commits can record which key its pseudonyms and dedupe
     * keys were made with.
     */
    public String keyId() {
        return HexFormat.of().formatHex(hmac(KEY_ID, utf8("lookout"), null).bytes());
    }

    /**
     * The health number's letters and digits, upper-cased; null when there are none or they are a placeholder
     * ({@link #isPlaceholder}), so that the person is linked by name and birth date, if at all.
     */
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
        String hn = b.toString();
        return hn.isEmpty() || isPlaceholder(hn) ? null : hn;
    }

    /**
     * Whether a normalised health number is what a form holds when the number is not known: one character
     * repeated ({@code 0000000000}, {@code 999-999-9999}, {@code XXXXXXXXXX}) or a word for "unknown". Such a
     * value is shared by strangers, and linking on it would count their overdoses as one.
     */
    private static boolean isPlaceholder(String hn) {
        return repeatsOneCharacter(hn) || NOT_KNOWN.contains(hn);
    }

    private static boolean repeatsOneCharacter(String s) {
        for (int i = 1; i < s.length(); i++) {
            if (s.charAt(i) != s.charAt(0)) {
                return false;
            }
        }
        return true;
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
        return folded.isEmpty() || UNNAMED.contains(folded) || Placeholders.isUnknownWord(name) ? null : folded;
    }

    /**
     * The HMAC of {@code prefix + first} or of {@code prefix + first + "|" + second}, fed part by part so that no
     * joined string is built per event. Its first 128 bits, as bytes: the job never needs them spelt.
     */
    private Hash128 hmac(byte[] prefix, byte[] first, byte[] second) {
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
        return new Hash128(Arrays.copyOf(digest, OUTPUT_BYTES));
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
