package lookout.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class BearerTokenTest {
    @Test
    void theSchemeIsCaseInsensitiveAndTheTokenStripped() {
        assertEquals(Optional.of("abc"), BearerToken.of("Bearer abc"));
        assertEquals(Optional.of("abc"), BearerToken.of("bearer abc"));
        assertEquals(Optional.of("abc"), BearerToken.of("BEARER  abc "));
    }

    @Test
    void noHeaderOrAnotherSchemeHasNoToken() {
        assertEquals(Optional.empty(), BearerToken.of(null));
        assertEquals(Optional.empty(), BearerToken.of("Basic dXNlcjpwYXNz"));
        assertEquals(Optional.empty(), BearerToken.of("Bearer"));
        assertEquals(Optional.empty(), BearerToken.of("Bearerabc"));
    }
}
