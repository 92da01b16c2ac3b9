package lookout.notify;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A subscriber's daily digest in one language: the steps kept for it since the previous digest, each in the same
 * words as its immediate message, with the link to its alert and the alert's "was this useful?" link.
 *
 * @param day      the local date on which it is due; with the channel it is the digest's idempotency key
 * @param subject  email subject
 * @param headline the first line: what the digest covers
 * @param items    one per step, oldest first
 * @param link     the dashboards' alert page
 * @param sms      one GSM-7 segment: how many changes, and the link (no per-alert feedback link: it does not fit)
 */
public record Digest(LocalDate day, String subject, String headline, List<Item> items, String footer, String link,
        String sms) {

    /** The step "digest" of the delivery log; its key is {@link #key}. */
    public static final String STEP = "digest";
    private static final String KEY_PREFIX = STEP + "/";

    /**
     * @param text     the step's sentence, as in its immediate message
     * @param link     the alert on the dashboards' alert page ({@link Messages#alertLink})
     * @param details  the "Details:" sentence with that link
     * @param feedback the "was this useful?" sentence with its link
     */
    public record Item(AlertStep step, String areaName, String text, String link, String details, String feedbackLink,
            String feedback) {}

    /** The idempotency key of one channel's digest of one day: {@code digest/2026-11-04/outreach/email1}. */
    public static String key(LocalDate day, Channel channel) {
        return KEY_PREFIX + day + "/" + channel.id();
    }

    static boolean isKey(String key) {
        return key.startsWith(KEY_PREFIX);
    }

    /** The day of a digest's key. */
    static LocalDate dayOf(String key) {
        return dayOfKey(key).orElseThrow(() -> new IllegalArgumentException("not a digest's key: " + key));
    }

    /** The day of a digest's key, or empty if the key names none (a damaged line of the delivery log). */
    static Optional<LocalDate> dayOfKey(String key) {
        if (!isKey(key) || key.length() < KEY_PREFIX.length() + 10) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(key.substring(KEY_PREFIX.length(), KEY_PREFIX.length() + 10)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Plain text: the headline, one paragraph per change with its alert's link and feedback link, the footer and the
     * link.
     */
    public String text(String details) {
        return headline + "\n\n" + items.stream()
                .map(i -> "- " + i.text() + "\n  " + i.details() + "\n  " + i.feedback())
                .collect(Collectors.joining("\n")) + "\n\n" + footer + "\n\n" + details;
    }
}
