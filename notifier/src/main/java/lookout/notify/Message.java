package lookout.notify;

import java.util.function.Supplier;

/**
 * One step's message in one language, in every form a channel needs.
 *
 * @param subject  email subject
 * @param headline one line: the Teams card's title and the CAP headline
 * @param body     the plain-language paragraph (what happened, the numbers)
 * @param footer   the harm-reduction footer
 * @param link     the alert on the dashboards' alert page ({@link Messages#alertLink})
 * @param smsText  makes the SMS text (one segment, the link included when it fits) when an SMS channel asks for it
 */
public record Message(String subject, String headline, String body, String footer, String link,
        Supplier<String> smsText) {
    /** The SMS text: one segment, the link included when it fits. */
    public String sms() {
        return smsText.get();
    }

    /** Plain text: body, footer and the link, one paragraph each. */
    public String text(String details) {
        return body + "\n\n" + footer + "\n\n" + details;
    }
}
