package lookout.kernel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Whether a server can listen on an address. The web servers check it before they start: Javalin logs its own
 * failure to bind as an error line before it throws, and the command's one line says all there is to say.
 */
public final class ListenAddress {
    private ListenAddress() {}

    /** Whether a server socket can be bound to {@code bind}:{@code port} now (port 0: any free port). */
    public static boolean canListen(String bind, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bind, port));
            return true;
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return false;
        }
    }
}
