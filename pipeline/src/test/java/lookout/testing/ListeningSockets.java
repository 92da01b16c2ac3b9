package lookout.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** The TCP sockets a process listens on, read from Linux's /proc as {@code ss -ltnp} would. */
public final class ListeningSockets {
    /** One listening socket: its local address as /proc prints it (hex) decoded, and its port. */
    public record Socket(String address, int port) {
        public boolean loopback() {
            return address.equals("127.0.0.1") || address.equals("::1") || address.equals("::ffff:127.0.0.1");
        }
    }

    private static final String LISTEN = "0A";

    private ListeningSockets() {}

    public static boolean supported() {
        return Files.isDirectory(Path.of("/proc/self/fd")) && Files.isRegularFile(Path.of("/proc/net/tcp"));
    }

    public static List<Socket> of(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // the descriptor closed while we looked
                }
            }
        }
        List<Socket> sockets = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc", Long.toString(pid), "net", table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[3].equals(LISTEN) && inodes.contains(f[9])) {
                    String[] local = f[1].split(":");
                    sockets.add(new Socket(decode(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return sockets;
    }

    /** /proc prints addresses as 32-bit words in host (little-endian) order. */
    private static String decode(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int word = 0; word < b.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                b[word * 4 + i] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - i) * 2, word * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        try {
            String a = InetAddress.getByAddress(b).getHostAddress();
            if (b.length == 16 && a.startsWith("0:0:0:0:0:ffff:")) {
                return "::ffff:" + InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)).getHostAddress();
            }
            return a.equals("0:0:0:0:0:0:0:1") ? "::1" : a.equals("0:0:0:0:0:0:0:0") ? "::" : a;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The port among {@code sockets} that answers Flink's REST API ({@code GET /jobs}), if any. */
    public static Optional<Integer> flinkRest(List<Socket> sockets) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        for (Socket s : sockets) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/jobs"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().startsWith("{\"jobs\"")) {
                    return Optional.of(s.port());
                }
            } catch (IOException e) {
                // not HTTP
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
