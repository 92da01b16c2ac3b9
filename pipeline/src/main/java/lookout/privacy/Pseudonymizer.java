package lookout.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed HMAC-SHA-256 pseudonyms. The same person (by normalised health number, or name and date of birth
 * when there is none) gets the same pseudonym under one key; without the key a pseudonym cannot be linked
 * back by guessing. Not thread-safe: one instance per operator instance.
 */
public final class Pseudonymizer {
    private static final HexFormat HEX = HexFormat.of();
    /** 128 bits: collisions are negligible for any realistic number of people or events. */
    private static final int OUTPUT_BYTES = 16;

    private static final byte[] HEALTH_NUMBER = "hn|".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NAME_AND_BIRTH_DATE = "nd|".getBytes(StandardCharsets.UTF_8);
    private static final byte[] EVENT = "ev|".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SEPARATOR = "|".getBytes(StandardCharsets.UTF_8);

    private final Mac mac;
    private final byte[] digest;

    public Pseudonymizer(PseudonymKey key) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
            digest = new byte[mac.getMacLength()];
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
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
     * The HMAC of {@code prefix + first} or of {@code prefix + first + "|" + second}, fed to the Mac part by part so
     * that no joined string is built per event. The parts are encoded before the first is fed, so nothing can leave
     * a message half fed.
     */
    private String hmac(byte[] prefix, byte[] first, byte[] second) {
        mac.update(prefix);
        mac.update(first);
        if (second != null) {
            mac.update(SEPARATOR);
            mac.update(second);
        }
        try {
            mac.doFinal(digest, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("the digest buffer holds a whole HMAC-SHA-256", e);
        }
        return HEX.formatHex(digest, 0, OUTPUT_BYTES);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
