package lookout.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class ListenAddressTest {
    @Test
    void aPortAnotherServerListensOnIsTakenAndFreeOnceItIsClosed() throws Exception {
        int port;
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = other.getLocalPort();
            assertFalse(ListenAddress.canListen("127.0.0.1", port));
        }
        assertTrue(ListenAddress.canListen("127.0.0.1", port));
    }

    @Test
    void anAddressNotOfThisMachineCannotBeListenedOn() {
        assertFalse(ListenAddress.canListen("192.0.2.1", 0), "TEST-NET-1, never a local address");
        assertFalse(ListenAddress.canListen("no-such-host.invalid", 0));
    }
}
