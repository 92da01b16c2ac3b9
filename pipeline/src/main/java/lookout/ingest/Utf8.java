package lookout.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 (RFC 3629): no stray or missing continuation bytes, no overlong forms, no encoded surrogates,
 * nothing above U+10FFFF. The JSON parser alone lets some of these through and a text decoder replaces them,
 * so a record judged here is judged the same whichever way it came in.
 */
final class Utf8 {
    /** Reads eight bytes at once: a record is almost all ASCII, which is checked a word at a time. */
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {}

    static boolean isValid(byte[] b) {
        return isValid(b, b.length);
    }

    /** Whether the first {@code length} bytes of {@code b} are valid UTF-8. */
    static boolean isValid(byte[] b, int length) {
        int i = 0;
        while (i < length) {
            if (i + Long.BYTES <= length && ((long) WORD.get(b, i) & HIGH_BITS) == 0) {
                i += Long.BYTES;
            } else if (b[i] >= 0) {
                i++;
            } else {
                int n = sequenceLength(b, i, length);
                if (n == 0) {
                    return false;
                }
                i += n;
            }
        }
        return true;
    }

    /**
     * Whether {@code s} holds a surrogate that is not half of a pair: the text a JSON escape such as
     * {@code "\\ud800"} decodes to, which no UTF-8 can hold. Encoding it would put in a replacement character, so
     * two different values would become one.
     */
    static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a JSON text holds the escape of a surrogate that is not half of a pair ({@code \\ud800} alone): read
     * from the line's bytes, so that only replay, which needs it, pays for it and the job's reading does not.
     */
    static boolean hasLoneSurrogateEscape(byte[] json) {
        for (int i = 0; i < json.length - 1; i++) {
            if (json[i] != '\\') {
                continue;
            }
            int unit = escapedUnit(json, i);
            if (Character.isHighSurrogate((char) unit) && Character.isLowSurrogate((char) escapedUnit(json, i + 6))) {
                i += 11;
            } else if (unit >= 0 && Character.isSurrogate((char) unit)) {
                return true;
            } else {
                i++;
            }
        }
        return false;
    }

    /** The UTF-16 unit of the {@code \\uXXXX} escape at {@code at}, or -1 when there is none. */
    private static int escapedUnit(byte[] json, int at) {
        if (at + 5 >= json.length || json[at] != '\\' || json[at + 1] != 'u') {
            return -1;
        }
        int unit = 0;
        for (int k = at + 2; k < at + 6; k++) {
            int digit = Character.digit(json[k], 16);
            if (digit < 0) {
                return -1;
            }
            unit = unit * 16 + digit;
        }
        return unit;
    }

    /** How many bytes are not part of a valid UTF-8 sequence. */
    static int invalidBytes(byte[] b) {
        int invalid = 0;
        int i = 0;
        while (i < b.length) {
            int n = sequenceLength(b, i, b.length);
            if (n == 0) {
                invalid++;
                i++;
            } else {
                i += n;
            }
        }
        return invalid;
    }

    /** The length of the valid sequence starting at {@code i} and ending by {@code end}, or 0 when none does. */
    private static int sequenceLength(byte[] b, int i, int end) {
        int c = b[i] & 0xFF;
        if (c < 0x80) {
            return 1;
        }
        int length;
        int min = 0x80;
        int max = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            min = c == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
            max = c == 0xED ? 0x9F : 0xBF; // ED A0..BF would encode a surrogate
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            min = c == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
            max = c == 0xF4 ? 0x8F : 0xBF; // F4 90.. would lie above U+10FFFF
        } else {
            return 0;
        }
        if (i + length > end) {
            return 0;
        }
        int second = b[i + 1] & 0xFF;
        if (second < min || second > max) {
            return 0;
        }
        for (int k = 2; k < length; k++) {
            if ((b[i + k] & 0xC0) != 0x80) {
                return 0;
            }
        }
        return length;
    }
}
