package lookout.notify;

import java.text.Normalizer;

/**
 * The GSM 03.38 default alphabet that one SMS segment of 160 septets is written in. A text with any other
 * character is sent in UCS-2, where a segment holds only 70 characters; {@link #fold} keeps a text in GSM-7 by
 * writing such characters without their accent (French ê, â, î, ô, û, ç and typographic quotes), which readers
 * of SMS alerts are used to.
 */
public final class Gsm7 {
    /** One septet each. */
    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    /** Two septets each (an escape and the character). */
    private static final String EXTENSION = "^{}\\[~]|€\f";
    /** One segment: 160 GSM-7 septets. */
    public static final int SEGMENT_SEPTETS = 160;
    /** One segment when the text needs UCS-2. */
    public static final int SEGMENT_UCS2 = 70;

    private Gsm7() {}

    public static boolean encodable(String text) {
        return text.chars().allMatch(c -> BASIC.indexOf(c) >= 0 || EXTENSION.indexOf(c) >= 0);
    }

    /** The septets the text takes in GSM-7; it must be {@link #encodable}. */
    public static int septets(String text) {
        return text.chars().map(c -> EXTENSION.indexOf(c) >= 0 ? 2 : 1).sum();
    }

    /** The length that counts against one segment's limit: septets, or UTF-16 units when it needs UCS-2. */
    public static int length(String text) {
        return encodable(text) ? septets(text) : text.length();
    }

    /** The most one segment of this text may hold: 160 in GSM-7, 70 if it needs UCS-2. */
    public static int segmentLimit(String text) {
        return encodable(text) ? SEGMENT_SEPTETS : SEGMENT_UCS2;
    }

    public static boolean fitsOneSegment(String text) {
        return length(text) <= segmentLimit(text);
    }

    /** The text with every character outside GSM-7 replaced by its unaccented letter or a plain sign, if any. */
    public static String fold(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            String s = Character.toString(c);
            if (encodable(s)) {
                b.append(s);
                return;
            }
            switch (c) {
                case '\u2018', '\u2019', '\u02BC' -> b.append('\'');
                case '\u201C', '\u201D', '\u00AB', '\u00BB' -> b.append('"');
                case '\u2013', '\u2014', '\u2212' -> b.append('-');
                case '\u00A0', '\u202F', '\u2009' -> b.append(' ');
                case '\u2026' -> b.append("...");
                case '\u0153' -> b.append("oe");
                case '\u0152' -> b.append("OE");
                default -> {
                    String base = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
                    b.append(encodable(base) && !base.isEmpty() ? base : "?");
                }
            }
        });
        return b.toString();
    }
}
