package lookout.notify;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback (the JDK's) standing in for a webhook receiver or an SMS gateway: it keeps every
 * request body and answers the first {@code failures} requests with {@code failStatus}, then 200; or, made by
 * {@link #stallingBody()}, answers 200's headers and then sends no body until it is closed.
 */
final class Receiver implements AutoCloseable {
    record Request(String path, String authorization, String contentType, String body) {}

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft;
    private final int failStatus;
    private final boolean stall;
    private final CountDownLatch closing = new CountDownLatch(1);

    Receiver(int failures, int failStatus) throws IOException {
        this(failures, failStatus, false);
    }

    private Receiver(int failures, int failStatus, boolean stall) throws IOException {
        this.failuresLeft = new AtomicInteger(failures);
        this.failStatus = failStatus;
        this.stall = stall;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                requests.add(new Request(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            if (this.stall) {
                exchange.sendResponseHeaders(200, 0);
                awaitClosing();
            } else {
                exchange.sendResponseHeaders(failuresLeft.getAndDecrement() > 0 ? failStatus : 200, -1);
            }
            exchange.close();
        });
        server.start();
    }

    Receiver() throws IOException {
        this(0, 200);
    }

    /** A receiver that sends a response's headers and then stalls, its body never coming. */
    static Receiver stallingBody() throws IOException {
        return new Receiver(0, 200, true);
    }

    private void awaitClosing() {
        try {
            closing.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        // A stalled handler holds the server's only thread, which stopping waits for.
        closing.countDown();
        server.stop(0);
    }
}
