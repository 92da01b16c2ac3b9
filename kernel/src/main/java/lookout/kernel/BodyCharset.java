package lookout.kernel;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;

/**
 * The charset a request's {@code Content-Type} declares for its body, as the dashboards and the notifier judge it
 * before any handler reads the body. Javalin decodes a body, a form's too, with {@code Charset.forName} of that
 * name, so one Java does not know failed in whichever handler read the body first, as an internal error: a
 * client's mistake, to be refused (415) in the same words by both servers.
 */
public final class BodyCharset {
    public static final String UNKNOWN = "the body's charset is not one this server knows; send UTF-8";

    private BodyCharset() {}

    /** Whether a body in {@code name} can be read; no charset declared ({@code null}) is read as UTF-8. */
    public static boolean isKnown(String name) {
        if (name == null) {
            return true;
        }
        try {
            return Charset.isSupported(name);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }
}
