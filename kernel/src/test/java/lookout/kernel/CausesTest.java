package lookout.kernel;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CausesTest {
    @Test
    void theInnermostCauseOfAChainAndAFailureWithoutOne() {
        SQLException root = new SQLException("IO Error");
        IOException middle = new IOException("could not publish", root);
        assertSame(root, Causes.innermost(new IllegalStateException("failed", middle)));
        assertSame(root, Causes.innermost(root));
    }

    @Test
    @Timeout(5)
    void aCycleOfCausesEndsTheWalk() {
        IOException a = new IOException("a");
        IOException b = new IOException("b", a);
        a.initCause(b);
        assertSame(a, Causes.innermost(a), "the walk stops where the cycle comes back to a cause already seen");
    }
}
