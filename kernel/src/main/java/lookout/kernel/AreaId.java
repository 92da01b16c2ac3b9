package lookout.kernel;

import java.util.regex.Pattern;

/**
 * What an area's id may be. It names the area's page and API paths, download files, and the areas of outreach
 * accounts and subscriptions, so it is read by all of them the same way: an id the boundaries held but the others
 * refused (a slash, a space) gave an area whose page no one could open.
 */
public final class AreaId {
    /** At least one letter or digit: "." and ".." would name the paths above the area's page. */
    public static final Pattern PATTERN = Pattern.compile("(?=.*[A-Za-z0-9])[A-Za-z0-9._-]{1,64}");
    /** The rule in words, for the messages that refuse an id. */
    public static final String RULE = "1 to 64 letters, digits, '.', '_' or '-', at least one a letter or digit";

    private AreaId() {}

    public static boolean isValid(String id) {
        return PATTERN.matcher(id).matches();
    }
}
