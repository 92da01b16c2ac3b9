package lookout.kernel;

import java.util.Optional;

/**
 * The token of an {@code Authorization} header's bearer credentials (RFC 6750). The scheme's name is
 * case-insensitive (RFC 9110, section 11.1): clients and proxies that send {@code bearer} are answered as those that
 * send {@code Bearer}.
 */
public final class BearerToken {
    private static final String SCHEME = "Bearer ";

    private BearerToken() {}

    /** The header's token, or empty when there is no header or it holds another scheme. */
    public static Optional<String> of(String header) {
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        return Optional.of(header.substring(SCHEME.length()).strip());
    }
}
